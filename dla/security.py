"""Security headers on every response, and the ``@public`` marker of views anyone may reach."""

from flask import Flask, Response, g, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Responses that may be cached although a person is logged in: files that are the same for
# everyone (style sheets, scripts, plotly.js).
CACHEABLE_ENDPOINTS = {"static", "charts.plotly_js", "charts.plotly_css"}


# Pages with plotly charts: plotly sets style *attributes* on SVG text (hover labels, axis
# titles). Those are allowed there; <style> elements and scripts stay as strict as elsewhere
# (plotly's own style sheet is served as a file, see dla.charts.views).
CHART_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY + "; style-src-attr 'unsafe-inline'"


def allow_chart_styles(response: Response) -> Response:
    """An ``after_request`` hook for blueprints whose pages draw plotly charts."""
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CHART_CONTENT_SECURITY_POLICY
    return response


def public(view):
    """Mark a view function as reachable without logging in (the login check in
    :mod:`dla.auth.login` reads the mark). Put it under the route decorator::

        @bp.get("/healthz")
        @public
        def healthz(): ...
    """
    view.dla_public = True
    return view


def is_public(view) -> bool:
    return bool(getattr(view, "dla_public", False))


def register(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        # The user as loaded for this request (no new query here: the database may be away).
        user = g.get("_login_user")
        if request.endpoint not in CACHEABLE_ENDPOINTS and user and user.is_authenticated:
            # What a logged-in person sees (pages, fragments, downloads) is never kept by the
            # browser or a proxy: after logout, "back" or a shared computer shows nothing.
            # Pages with an ETag from the page cache (dla.caching.pages) may be kept by this
            # person's browser, which must ask again every time; never by a shared cache.
            from dla.caching.pages import cache_control

            headers["Cache-Control"] = cache_control(response) or "no-store"
        if app.config.get("DLA_ENV") == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
