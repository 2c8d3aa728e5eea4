"""Import of an existing DLA: paste or upload it, check what was read, save it."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from dla import htmx
from dla.agendas import importing, imports, queries, services
from dla.agendas.forms import lines
from dla.agendas.models import DISTRIBUTIONS, LEVELS, ORIGINS, Agenda
from dla.agendas.views import bp
from dla.agendas.views.versions import readable_source
from dla.auth.loaders import get_region_or_404
from dla.auth.permissions import access
from dla.errors import ValidationError, error_response, saving
from dla.extensions import db
from dla.forms import parse_dutch_date, to_int
from dla.regions.models import Region


def _import_region(region_id: int) -> Region:
    return get_region_or_404(region_id, "import")


def _import_agendas(region: Region) -> list[Agenda]:
    return [
        agenda
        for agenda in queries.region_agendas(region.id)
        if access().can_create_version(agenda)
    ]


def _import_form(region: Region, status: int = 200, error: str = "", **values):
    return htmx.render(
        "agendas/import.html",
        region=region,
        agendas=_import_agendas(region),
        levels=LEVELS,
        error=error,
        values=values,
    ), status


def _chosen_agenda(region: Region, agenda_id: int) -> Agenda:
    """The agenda imported into: one of the region the user may start a version of."""
    agenda = db.session.get(Agenda, agenda_id)
    if agenda is None or agenda not in _import_agendas(region):
        abort(404)
    readable_source(agenda)
    return agenda


@bp.get("/regios/<int:region_id>/importeren")
def import_start(region_id: int):
    region = _import_region(region_id)
    return _import_form(region, agenda_id=to_int(request.args.get("agenda")))


@bp.post("/regios/<int:region_id>/importeren")
def import_read(region_id: int):
    """Read the pasted text or the uploaded file and show what was understood."""
    region = _import_region(region_id)
    values = {key: request.form.get(key, "") for key in ("tekst", "titel", "niveau", "doelgroep")}
    values["agenda_id"] = to_int(request.form.get("agenda_id"))
    upload = request.files.get("bestand")
    try:
        if upload is not None and upload.filename:
            document = importing.read_upload(upload.filename, upload.read())
        else:
            document = importing.parse_document(importing.clean_text(values["tekst"]))
    except importing.DocumentError as error:
        return _import_form(region, 422, error.message, **values)
    agenda = _chosen_agenda(region, values["agenda_id"]) if values["agenda_id"] else None
    matches = imports.suggest_links(
        region,
        [q.full_text for q in document.questions],
        agenda,
        readable=access().readable_versions(region.id),
    )
    previous = services.latest_published(agenda) if agenda is not None else None
    return htmx.render(
        "agendas/import_preview.html",
        region=region,
        agenda=agenda,
        document=document,
        rows=list(zip(document.questions, matches, strict=True)),
        previous_key=str(previous.id) if previous is not None else None,
        values=values,
        levels=LEVELS,
        origins=ORIGINS,
        distributions=DISTRIBUTIONS,
        error="",
    )


def _confirmed_questions(form) -> list[imports.ConfirmedQuestion]:
    count = min(to_int(form.get("aantal")) or 0, 500)
    confirmed = []
    for index in range(count):
        prefix = f"q-{index}-"
        if form.get(prefix + "weglaten"):
            continue
        # The lineage choice: "<wording id>" continues it, "s<wording id>" is split off it.
        choice = (form.get(prefix + "vervolg") or "").strip()
        confirmed.append(
            imports.ConfirmedQuestion(
                text=form.get(prefix + "tekst", ""),
                shared_stem=form.get(prefix + "stam", ""),
                group=to_int(form.get(prefix + "groep")) or 0,
                label=form.get(prefix + "label", "")[:10],
                subquestions=lines(form.get(prefix + "deelvragen")),
                link=to_int(choice) if not choice.startswith("s") else None,
                split_from=to_int(choice[1:]) if choice.startswith("s") else None,
                merges=[m for m in (to_int(v) for v in form.getlist(prefix + "samen")) if m],
            )
        )
    return confirmed


def _version_meta(form, region: Region) -> dict:
    meta = {
        "label": form.get("label", ""),
        "document_date": _form_date(form.get("datum")),
        "session_date": _form_date(form.get("sessiedatum")),
        "origin": form.get("herkomst", "werksessie"),
        "context_line": form.get("aanleiding", ""),
        "distribution": form.get("verspreiding", "regio"),
        "themes": form.get("themas", ""),
        "author": form.get("van", ""),
        "recipient": form.get("aan", ""),
        "reference": form.get("kenmerk", ""),
    }
    if not access().can_issue_any_origin(region.id):
        meta["origin"] = "gereconstrueerd"
    return meta


@bp.post("/regios/<int:region_id>/importeren/opslaan")
def import_save(region_id: int):
    """Save the confirmed import as the agenda's next concept version, all or nothing."""
    region = _import_region(region_id)
    form = request.form
    with saving() as saved:
        agenda_id = to_int(request.values.get("agenda_id"))
        if agenda_id:
            agenda = _chosen_agenda(region, agenda_id)
        else:
            if not access().can_create_agenda(region.id):
                abort(403)
            agenda = services.create_agenda(
                region,
                level=form.get("niveau", ""),
                audience=form.get("doelgroep", ""),
                title=form.get("titel", ""),
                ambition=form.get("ambitie", ""),
            )
        meta = _version_meta(form, region)
        groups = [
            form.get(f"groep-{i}", "") for i in range(min(to_int(form.get("groepen")) or 1, 50))
        ]
        version = imports.import_version(
            agenda,
            groups=groups,
            questions=_confirmed_questions(form),
            created_by_id=current_user.id,
            readable=access().readable_versions(region.id),
            **meta,
        )
    if not saved.ok:
        return error_response(saved.error.status, saved.message)
    flash(
        "De versie is ingelezen als concept. Kies bij de vragen van de vorige versie wat ermee "
        "gebeurde, en stel de versie daarna vast."
    )
    return htmx.redirect(url_for("agendas.version", version_id=version.id))


def _form_date(value: str | None):
    try:
        return parse_dutch_date(value or "")
    except ValueError:
        raise ValidationError(
            f"De datum ‘{value}’ klopt niet. Schrijf bijvoorbeeld 24-02-2020."
        ) from None
