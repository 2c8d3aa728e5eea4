"""``flask dla citations PATH --region NAME [--json]``: the citation check on the command line.

Like ``export``, an operator's command without a user; it matches against the versions the
whole region may read (restricted versions left out) unless ``--include-restricted`` is
given. Prints the data on stdout and nothing else.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click
from flask.cli import with_appcontext

# Registered on `flask dla` at import: everything heavier than click is imported inside the
# command, so that `flask dla --help` stays quick (see dla/cli.py).
log = logging.getLogger(__name__)


@click.command("citations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--region", "region_name", required=True, help="Region name.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Also match versions distributed to named members only.",
)
@with_appcontext
def citations_command(path: str, region_name: str, as_json: bool, include_restricted: bool):
    """Check the quoted learning questions of a report (.txt or .docx) and their tags."""
    from sqlalchemy import select

    from dla.agendas.models import Version
    from dla.auth.permissions import RESTRICTED
    from dla.citations import services
    from dla.errors import DomainError
    from dla.extensions import db
    from dla.regions.models import Region

    region = db.session.scalar(select(Region).where(Region.name == region_name))
    if region is None:
        raise click.ClickException(f"Onbekende regio {region_name!r}.")
    file = Path(path)
    try:
        text = services.report_text(filename=file.name, data=file.read_bytes())
    except DomainError as error:
        raise click.ClickException(error.message) from None
    readable = None if include_restricted else Version.distribution != RESTRICTED
    results = services.check_report(region, text, readable)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
        return
    for number, result in enumerate(results, 1):
        data = result.as_json()
        click.echo(f"{number}. {data['text']}")
        click.echo(f"   tag: {data['tag'] or '-'}")
        match = data["match"]
        where = (
            f"{match['agenda']} v{match['version']} {match['label']}"
            + (f" ({match['reference']})" if match["reference"] else "")
            if match
            else "-"
        )
        click.echo(f"   {data['kind']}: {where}")
        verdict = {True: "ok", False: "wrong", None: "no claim"}[data["citation_ok"]]
        suggestion = f" -> {data['suggested_tag']}" if data["suggested_tag"] else ""
        click.echo(f"   citation: {verdict}{suggestion}")
