"""One helper for htmx: answer with the full page or just the fragment."""

from flask import Flask, Response, make_response, render_template, request


def is_fragment_request() -> bool:
    """An htmx request that is not a history restore wants a fragment."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(page: str, fragment: str | None = None, **context):
    """Render ``fragment`` for htmx requests and ``page`` otherwise."""
    template = fragment if fragment and is_fragment_request() else page
    return make_response(render_template(template, **context))


def redirect(location: str) -> Response:
    """Redirect that works for plain and htmx requests alike."""
    if request.htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    response = make_response("", 303)
    response.headers["Location"] = location
    return response


def register(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        response.vary.add("HX-Request")
        return response
