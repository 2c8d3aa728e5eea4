"""Who works on an agenda (deelnemers) and who may read a restricted version (leden)."""

from flask import request, url_for

from dla import htmx
from dla.agendas.views import bp
from dla.auth import services as auth_services
from dla.auth.loaders import get_agenda_or_404, get_version_or_404
from dla.errors import saving
from dla.forms import to_int


@bp.post("/agendas/<int:agenda_id>/deelnemers")
def add_participant(agenda_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    with saving(refuse=True):
        auth_services.add_participant(agenda, to_int(request.form.get("user_id")) or 0)
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id, _anchor="deelnemers"))


@bp.post("/agendas/<int:agenda_id>/deelnemers/<int:user_id>/verwijderen")
def remove_participant(agenda_id: int, user_id: int):
    agenda = get_agenda_or_404(agenda_id, "manage")
    with saving(refuse=True):
        auth_services.remove_participant(agenda, user_id)
    return htmx.redirect(url_for("agendas.show", agenda_id=agenda.id, _anchor="deelnemers"))


@bp.post("/versies/<int:version_id>/leden")
def add_version_member(version_id: int):
    version = get_version_or_404(version_id, "manage")
    with saving(refuse=True):
        auth_services.add_version_member(version, to_int(request.form.get("user_id")) or 0)
    return htmx.redirect(url_for("agendas.version", version_id=version.id, _anchor="leden"))


@bp.post("/versies/<int:version_id>/leden/<int:user_id>/verwijderen")
def remove_version_member(version_id: int, user_id: int):
    version = get_version_or_404(version_id, "manage")
    with saving(refuse=True):
        auth_services.remove_version_member(version, user_id)
    return htmx.redirect(url_for("agendas.version", version_id=version.id, _anchor="leden"))
