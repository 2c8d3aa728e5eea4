"""``dla.errors.saving``: the one way a view commits."""

from sqlalchemy import inspect

from dla.errors import saving
from dla.extensions import db
from dla.regions.models import Region
from tests.factories import make_region


def test_keep_loaded_leaves_what_was_committed_in_memory_and_only_for_that_commit(app):
    with app.test_request_context():
        region = make_region()
        db.session.commit()
        region = db.session.get(Region, region.id)
        region.description = "Bewaard en niet opnieuw gelezen."
        with saving(keep_loaded=True) as saved:
            db.session.flush()
        assert saved.ok
        assert not inspect(region).expired_attributes  # answered from memory, no SELECT
        assert region.description == "Bewaard en niet opnieuw gelezen."
        assert db.session().expire_on_commit  # the next commit expires as usual

        region.description = "Daarna weer gewoon."
        with saving() as saved:
            db.session.flush()
        assert saved.ok
        assert "description" in inspect(region).expired_attributes
        assert db.session.get(Region, region.id).description == "Daarna weer gewoon."
