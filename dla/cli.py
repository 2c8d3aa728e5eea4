"""``flask dla …`` commands.

The group is also registered as a ``flask.commands`` entry point (pyproject.toml), so
``flask dla --help`` lists the commands without building the app. Keep this module's imports
light: anything heavier than click and Flask is imported inside the command that needs it.
"""

import logging
import sys

import click
from flask.cli import with_appcontext


@click.group("dla")
def dla_cli():
    """DLA-werkplaats commands."""


@dla_cli.command("demo")
@click.option("--reset", is_flag=True, help="Remove the demo regions and load them again.")
@with_appcontext
def demo(reset: bool):
    """Load the demo workspace (idempotent)."""
    from dla.demo import DEMO_USERS, load_demo
    from dla.extensions import db

    created = load_demo(reset=reset)
    db.session.commit()
    click.echo("Demo workspace loaded." if created else "Demo workspace already present.")
    _print_demo_users(DEMO_USERS)


def _print_demo_users(users) -> None:
    click.echo("Demo accounts (for trying the app only; never use these in production):")
    for email, name, _role, password in users:
        click.echo(f"  {email:32} {password:24} {name}")


@dla_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int):
    """Upgrade the database, load the demo when it is empty, and run the development server."""
    from flask import current_app
    from flask_migrate import upgrade
    from sqlalchemy import func, select
    from werkzeug.serving import run_simple

    from dla import logs
    from dla.demo import load_demo
    from dla.extensions import db
    from dla.regions.models import Region

    upgrade()
    if not db.session.scalar(select(func.count(Region.id))):
        from dla.demo import DEMO_USERS

        load_demo()
        db.session.commit()
        click.echo("Empty database: demo workspace loaded.")
        _print_demo_users(DEMO_USERS)
    click.echo(f"DLA-werkplaats runs on http://{host}:{port}/")
    logging.getLogger().setLevel(logs.log_level(current_app, serving=True))
    run_simple(host, port, current_app._get_current_object(), threaded=True)


@dla_cli.command("create-admin")
@click.option("--email", prompt="E-mailadres")
@click.option("--name", prompt="Naam")
@click.password_option("--password", prompt="Wachtwoord")
@with_appcontext
def create_admin(email: str, name: str, password: str):
    """Create a global beheerder (manages users and regions)."""
    from dla.auth import services
    from dla.errors import DomainError
    from dla.extensions import db

    try:
        user = services.create_user(email, name, password, is_admin=True)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Beheerder {user.email} aangemaakt.")


@dla_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--region", "region_name", required=True, help="Region name.")
@click.option("--agenda", "agenda_title", required=True, help="Agenda title.")
@click.option(
    "--create", is_flag=True, help="Create the region and the agenda when they do not exist."
)
@click.option("--level", default="operationeel", show_default=True)
@click.option("--audience", default="Niet opgegeven", show_default=True)
@click.option("--date", "document_date", default=None, help="Document date (24-02-2020).")
@click.option("--origin", default="werksessie", show_default=True)
@click.option("--dry-run", is_flag=True, help="Save nothing; show what would be imported.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--reference", "report_reference", default="", help='How reports cite it ("bijlage 2.4").'
)
@with_appcontext
def import_command(
    path,
    region_name,
    agenda_title,
    create,
    level,
    audience,
    document_date,
    origin,
    dry_run,
    as_json,
    report_reference,
):
    """Import a DLA text (.txt or .docx) as the agenda's next version.

    For every question it shows the link that saving makes (``proposed``: continues, merged,
    split or returns, or none) and the candidates with their scores (``suggestions``). Saving
    makes exactly the proposed links; questions of the previous version that nothing
    continues are left for a person to decide, in a concept version.
    """
    import json
    from pathlib import Path

    from sqlalchemy import select

    from dla.agendas import importing, imports
    from dla.agendas import services as agendas
    from dla.agendas.models import Agenda
    from dla.errors import DomainError
    from dla.extensions import db
    from dla.forms import parse_dutch_date
    from dla.regions import services as regions
    from dla.regions.models import Region

    data = Path(path).read_bytes()
    try:
        document = importing.read_upload(path, data)
        day = parse_dutch_date(document_date) if document_date else document.document_date
    except importing.DocumentError as error:
        raise click.ClickException(error.message) from None
    except ValueError:
        raise click.ClickException(f"Deze datum klopt niet: {document_date}") from None
    region = db.session.scalar(select(Region).where(Region.name == region_name))
    if region is None and not create:
        known = list(db.session.scalars(select(Region.name)))
        raise click.ClickException(
            f"Onbekende regio {region_name!r}.{_did_you_mean(region_name, known)} "
            "Geef --create mee om de regio aan te maken."
        )
    agenda = None
    if region is not None:
        agenda = db.session.scalar(
            select(Agenda).where(Agenda.region_id == region.id, Agenda.title == agenda_title)
        )
        if agenda is None and not create:
            known = list(
                db.session.scalars(select(Agenda.title).where(Agenda.region_id == region.id))
            )
            raise click.ClickException(
                f"Onbekende agenda {agenda_title!r} in regio {region_name!r}."
                f"{_did_you_mean(agenda_title, known)} Geef --create mee om de agenda aan te maken."
            )
    matches = (
        imports.suggest_links(region, [q.full_text for q in document.questions], agenda)
        if region is not None
        else [None for _ in document.questions]
    )
    warnings = list(document.warnings)
    result = {
        "version": {
            "title": document.title,
            "label": document.version_label,
            "document_date": day.isoformat() if day else None,
            "session_date": document.session_date.isoformat() if document.session_date else None,
            "context_line": document.context_line,
            "distribution": document.distribution,
            "themes": document.themes,
            "groups": document.groups,
            "report_reference": report_reference,
        },
        "agenda": {"title": agenda_title, "exists": agenda is not None},
        "warnings": warnings,
        "questions": [
            {
                "group": document.groups[q.group],
                "label": q.label,
                "full_text": q.full_text,
                "goal": q.parsed.goal,
                "barrier": q.parsed.barrier,
                "subquestions": q.subquestions,
                "proposed": _proposal_json(match, document.questions),
                "suggestions": [_suggestion_json(s) for s in (match.suggestions if match else [])],
            }
            for q, match in zip(document.questions, matches, strict=True)
        ],
        "saved": False,
    }
    if not dry_run:
        try:
            if region is None:
                region = regions.create_region(region_name)
            if agenda is None:
                agenda = agendas.create_agenda(
                    region, level=level, audience=audience, title=agenda_title
                )
            version = imports.import_version(
                agenda,
                groups=document.groups,
                questions=[
                    imports.ConfirmedQuestion(
                        text=q.text,
                        shared_stem=q.shared_stem,
                        group=q.group,
                        label=q.label,
                        subquestions=q.subquestions,
                        **(imports.confirmed_from_proposal(match) if match else {}),
                    )
                    for q, match in zip(document.questions, matches, strict=True)
                ],
                label=document.version_label,
                document_date=day,
                session_date=document.session_date,
                origin=origin,
                context_line=document.context_line,
                distribution=document.distribution,
                themes="\n".join(document.themes),
                author=document.sender,
                recipient=document.recipient,
                reference=document.reference,
                report_reference=report_reference,
            )
            if not agendas.missing_transitions(version):
                agendas.publish_version(version)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        db.session.commit()
        result["saved"] = True
        result["version"]["number"] = version.number
        result["version"]["status"] = version.status
        result["version"]["undecided"] = [w.label for w in agendas.missing_transitions(version)]
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    for item in result["questions"]:
        group = f"{item['group']} " if item["group"] else ""
        click.echo(f"{group}{item['label']}. {item['full_text']}")
        proposed = item["proposed"]
        if proposed:
            where = f"{proposed['agenda']} v{proposed['version']} {proposed['label']}"
            click.echo(f"  {proposed['kind']}: {where} ({proposed['score']:.2f})")
            for merge in proposed.get("merges", []):
                click.echo(f"  + merged: {merge['agenda']} v{merge['version']} {merge['label']}")
        else:
            click.echo("  new question")
    if result["saved"]:
        status = result["version"]["status"]
        click.echo(f"Saved as version {result['version']['number']} ({status}).", err=True)
    else:
        click.echo("Dry run: nothing saved.", err=True)


def _did_you_mean(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    return f" Bedoelt u: {', '.join(repr(c) for c in close)}?" if close else ""


def _where(candidate) -> dict:
    return {
        "wording_id": int(candidate.key),
        "agenda": candidate.agenda,
        "version": candidate.version,
        "label": candidate.label,
        "text": candidate.text,
    }


def _suggestion_json(suggestion) -> dict:
    return {
        **_where(suggestion.candidate),
        "score": suggestion.score,
        "weak": suggestion.weak,
        "other_agenda": suggestion.other_agenda,
        "possible_merge": suggestion.possible_merge,
        "matched": list(suggestion.matched),
        "warning": suggestion.warning,
    }


def _proposal_json(match, questions) -> dict | None:
    if match is None or match.proposed is None:
        return None
    proposal = match.proposed
    found = {
        "kind": proposal.kind,
        **_where(proposal.suggestion.candidate),
        "score": proposal.suggestion.score,
        "other_agenda": proposal.suggestion.other_agenda,
        "matched": list(proposal.suggestion.matched),
    }
    if proposal.merges:
        found["merges"] = [{**_where(s.candidate), "score": s.score} for s in proposal.merges]
    if proposal.split_with is not None:
        found["continues_in"] = questions[proposal.split_with].label
    return found


@dla_cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "zip", "qdpx", "qdc"]),
    default="json",
    show_default=True,
    help="json (complete, restorable), csv (one row per question per version), xlsx, zip "
    "(researcher bundle), qdpx (REFI-QDA project) or qdc (REFI-QDA codebook).",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["comma", "excel-nl"]),
    default="comma",
    show_default=True,
    help="csv: comma-separated, or excel-nl (semicolons, decimal comma: Excel with Dutch "
    "settings). Both UTF-8 with a byte order mark.",
)
@click.option("--region", "region_name", help="Only this region (by name). Default: all regions.")
@click.option("--without-names", is_flag=True, help="Leave out author and commenter names.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write ('-': stdout). Default: stdout for json, csv and qdc, "
    "dla-<region>-<date>.<ext> otherwise.",
)
@with_appcontext
def export(
    fmt: str, csv_dialect: str, region_name: str | None, without_names: bool, output: str | None
):
    """Export regions (everything, including restricted versions)."""
    from sqlalchemy import select

    from dla.exports import services
    from dla.extensions import db
    from dla.regions.models import Region

    query = select(Region).order_by(Region.id)
    if region_name is not None:
        query = query.where(Region.name == region_name)
    regions = list(db.session.scalars(query))
    if region_name is not None and not regions:
        raise click.ClickException(
            f"Region not found / regio niet gevonden: {region_name!r}. Names are case-sensitive."
        )
    include_authors = not without_names
    document = services.export_document(regions, include_authors=include_authors)
    name = services.basename(regions)
    data = services.build_file(
        document, fmt, name=name, include_authors=include_authors, csv_dialect=csv_dialect
    )
    if output == "-" or (output is None and fmt in services.TEXT_FORMATS):
        if fmt in services.TEXT_FORMATS:
            click.echo(data.decode("utf-8-sig"), nl=False)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    path = output or f"{name}.{fmt}"
    with open(path, "wb") as handle:
        handle.write(data)
    click.echo(
        f"Written / geschreven: {path} ({len(regions)} region(s), {len(data)} bytes)", err=True
    )


@dla_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--max-mb",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Refuse a file (or the JSON inside a zip) larger than this many megabytes.",
)
@with_appcontext
def restore(file: str, max_mb: int):
    """Restore a JSON export (or a researcher bundle .zip) into an EMPTY database.

    Run `flask db upgrade` first on a new database. The original ids are kept.
    """
    from dla.errors import DomainError
    from dla.exports import restore, restore_input
    from dla.extensions import db

    try:
        document = restore_input.read_export(file, max_bytes=max_mb * 1024 * 1024)
        restore.restore_document(document)
    except DomainError as error:
        db.session.rollback()
        # The reason alone, in Dutch, on stderr (no English "Error:" before it).
        click.echo(f"Terugzetten mislukt: {error.message}", err=True)
        click.get_current_context().exit(1)
    db.session.commit()
    regions = len(document["regions"])
    click.echo(f"Restored / teruggezet: {regions} region(s) from {file}.")
    click.echo("Users and memberships are not part of an export: a beheerder invites people again.")


def _register_domain_commands() -> None:
    from dla.citations.commands import citations_command

    dla_cli.add_command(citations_command)


_register_domain_commands()
