"""The audience view: what the projector in the room shows.

The question in focus in large type, the join code with a QR code and the short ``/w/CODE``
link, the timer, the accepted new questions and (once the facilitator revealed them) the
votes. No controls, no names, no moderation queue: the facilitator keeps the control view
on their own screen. It polls like the phones do and gets 204 when nothing changed.
"""

from __future__ import annotations

import segno
from flask import request, url_for
from markupsafe import Markup

from dla import htmx
from dla.auth.loaders import get_session_or_404
from dla.werksessies import queries, room
from dla.werksessies.models import OPEN, Werksessie
from dla.werksessies.views import bp


def qr_svg(url: str) -> Markup:
    """The link as a QR code, inline SVG (no image request, nothing fetched at run time)."""
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")
    return Markup(svg)  # segno's own output: no user text in it


def _context(ws: Werksessie, stand: str | None = None) -> dict:
    context = {"ws": ws, "view": room.audience(ws, stand) if ws.status == OPEN else None}
    if ws.status == OPEN:
        short = url_for("werksessies.phone", code=ws.code, _external=True)
        context["short_url"] = short
        context["short_text"] = short.split("://", 1)[-1]
        context["qr"] = qr_svg(short)
    return context


@bp.get("/werksessies/<int:werksessie_id>/zaalscherm")
def audience(werksessie_id: int):
    ws = get_session_or_404(werksessie_id, "lead")
    return htmx.render("werksessies/audience.html", **_context(ws))


@bp.get("/werksessies/<int:werksessie_id>/zaalscherm/stand")
def audience_poll(werksessie_id: int):
    """The audience view's content, polled every second: 204 when nothing changed."""
    ws = get_session_or_404(werksessie_id, "lead")
    stand = queries.fingerprint(ws) if ws.status == OPEN else None
    if stand is not None and request.args.get("stand") == stand:
        return "", 204
    return htmx.render("werksessies/_audience.html", **_context(ws, stand))
