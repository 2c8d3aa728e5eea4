"""The region's begrippenlijst: everyone in the region reads it, projectleiders keep it."""

from __future__ import annotations

from flask import Blueprint, flash, url_for

from dla import htmx
from dla.auth.loaders import get_in_region_or_404, get_region_or_404
from dla.errors import saving
from dla.forms import to_int
from dla.glossary import queries, services
from dla.glossary.forms import TermForm
from dla.glossary.models import GlossaryTerm

bp = Blueprint("glossary", __name__)


def _index(region, form: TermForm, status: int = 200):
    return htmx.render(
        "glossary/index.html", region=region, terms=queries.region_terms(region.id), form=form
    ), status


@bp.get("/regios/<int:region_id>/begrippen")
def index(region_id: int):
    region = get_region_or_404(region_id)
    return _index(region, TermForm())


@bp.post("/regios/<int:region_id>/begrippen")
def create(region_id: int):
    region = get_region_or_404(region_id, "edit_glossary")
    form = TermForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            term = services.create_term(
                region, term=form.term.data, definition=form.definition.data
            )
        if saved.ok:
            flash(f"‘{term.term}’ staat in de begrippenlijst.")
            return htmx.redirect(url_for("glossary.index", region_id=region.id))
    return _index(region, form, 422)


@bp.route("/begrippen/<int:term_id>/bewerken", methods=["GET", "POST"])
def edit(term_id: int):
    item = get_in_region_or_404(GlossaryTerm, term_id, "edit_glossary")
    form = TermForm(obj=item)
    status = 200
    if not form.is_submitted():
        form.lock_version.data = item.lock_version
    elif form.validate_on_submit():
        with saving(form) as saved:
            services.update_term(
                item,
                term=form.term.data,
                definition=form.definition.data,
                lock_version=to_int(form.lock_version.data),
            )
        if saved.ok:
            return htmx.redirect(url_for("glossary.index", region_id=item.region_id))
        status = saved.error.status
    else:
        status = 422
    return htmx.render("glossary/form.html", form=form, item=item, region=item.region), status


@bp.post("/begrippen/<int:term_id>/verwijderen")
def delete(term_id: int):
    item = get_in_region_or_404(GlossaryTerm, term_id, "edit_glossary")
    region_id = item.region_id
    with saving(refuse=True):
        services.delete_term(item)
    flash("Het begrip is verwijderd.")
    return htmx.redirect(url_for("glossary.index", region_id=region_id))
