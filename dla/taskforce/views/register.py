"""The decisions and actions register of a region."""

from dla.auth.loaders import get_region_or_404
from dla.htmx import render
from dla.taskforce import queries
from dla.taskforce.views import bp
from dla.taskforce.views.common import today


@bp.get("/regios/<int:region_id>/besluitenregister")
def register(region_id: int):
    region = get_region_or_404(region_id, "read_digest")
    return render(
        "taskforce/register.html",
        region=region,
        register=queries.register(region, today()),
        today=today(),
    )
