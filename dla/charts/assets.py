"""plotly.js as the chart pages serve it (never from a CDN): plotly.js's *cartesian* partial
bundle, vendored under ``static/vendor/`` in exactly the plotly.js version that the installed
plotly package bundles (it holds every trace type the charts use: scatter, bar, heatmap; a
third of the full bundle's size), its style rules as a style sheet (our CSP blocks the ones it
would insert), and the ids of the <style> elements it would add. Each is read once and kept,
plain and gzipped.

When plotly is upgraded, vendor the partial bundle of its plotly.js version (``npm pack
plotly.js-cartesian-dist-min@<version>``, see ``static/vendor/README.md``); until then the full
bundle from the plotly package is served, and ``tests/test_charts_bundle.py`` fails.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from functools import cache
from pathlib import Path

import plotly

log = logging.getLogger(__name__)

PLOTLY_VERSION = plotly.__version__
PACKAGE_PATH = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
# Trace types the charts draw (dla/charts/figures.py); the partial bundle must hold each.
TRACE_TYPES = ("scatter", "bar", "heatmap")


@cache
def plotly_js_version() -> str:
    """The plotly.js version the installed plotly package bundles (its file's header)."""
    with PACKAGE_PATH.open(encoding="utf-8") as handle:
        head = handle.read(200)
    found = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head)
    if found is None:
        raise RuntimeError(f"No plotly.js version in the header of {PACKAGE_PATH}")
    return found.group(1)


def partial_bundle_path() -> Path:
    return VENDOR / f"plotly-cartesian-{plotly_js_version()}.min.js"


@cache
def plotly_path() -> Path:
    """The file served: the vendored partial bundle, or the package's full one when no partial
    bundle of this plotly.js version is vendored (after an upgrade of plotly)."""
    partial = partial_bundle_path()
    if partial.is_file():
        return partial
    log.warning("%s is missing: serving the full plotly.js bundle (3x larger)", partial.name)
    return PACKAGE_PATH


@cache
def plotly_js() -> tuple[bytes, bytes, str]:
    """plotly.js, plain and gzipped, with its ETag."""
    return compressed(plotly_path().read_bytes())


def compressed(raw: bytes) -> tuple[bytes, bytes, str]:
    return raw, gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()[:16]


_JS_STRING = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_RULE = re.compile(rf"({_JS_STRING})\s*:\s*({_JS_STRING})")
# Per-chart modebar colours plotly would add itself (it cannot under our CSP).
_MODEBAR_CSS = """
.js-plotly-plot .plotly .modebar-btn path { fill: rgba(68, 68, 68, 0.3); }
.js-plotly-plot .plotly .modebar-btn:hover path,
.js-plotly-plot .plotly .modebar-btn.active path { fill: rgba(68, 68, 68, 0.7); }
.js-plotly-plot .plotly .modebar { background-color: rgba(255, 255, 255, 0.5); }
.js-plotly-plot .plotly a:focus-visible, .js-plotly-plot .plotly button:focus-visible {
  outline: 3px solid #1b4f9c; outline-offset: 1px;
}
"""


def _js_string(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


@cache
def plotly_css() -> tuple[bytes, bytes, str]:
    """The style rules plotly.js inserts at run time, as a style sheet.

    plotly.js adds its base CSS with a <style> element, which our Content-Security-Policy
    (no inline styles) blocks; so the rules are read from the served plotly.js (the
    object of selectors after ``"X,X div"``) and served from here instead.
    """
    source = plotly_path().read_text(encoding="utf-8")
    start = source.find('"X,X div"')
    end = source.find("for(", start)
    rules = []
    if start > 0 and end > start:
        for selector, body in _RULE.findall(source[start:end]):
            selector = _js_string(selector)
            if selector.startswith(","):
                selector = " " + selector
            full = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
            rules.append(f"{full} {{ {_js_string(body)} }}")
    if not rules:
        log.warning("plotly.js style rules not found in %s; charts may look wrong", plotly_path())
    return compressed(("\n".join(rules) + _MODEBAR_CSS).encode("utf-8"))


@cache
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js adds when it loads (the full bundle's map styles,
    one in the cartesian bundle).

    It skips each one when an element with that id exists; the chart pages render empty
    placeholders with these ids, so the CSP has nothing to block (we draw no maps).
    """
    source = plotly_path().read_text(encoding="utf-8")
    return tuple(
        dict.fromkeys(
            re.findall(
                r'if\(!document\.getElementById\("([\w-]+)"\)\)'
                r'\{var \w+=document\.createElement\("style"\)',
                source,
            )
        )
    )
