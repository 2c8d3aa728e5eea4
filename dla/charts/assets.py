"""plotly.js as the chart pages serve it: the file from the installed plotly package (never a
CDN), its style rules as a style sheet (our CSP blocks the ones it would insert), and the ids
of the <style> elements it would add. Each is read once and kept, plain and gzipped."""

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
PLOTLY_PATH = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@cache
def plotly_js() -> tuple[bytes, bytes, str]:
    """plotly.min.js from the installed plotly package, plain and gzipped, with its ETag."""
    return compressed(PLOTLY_PATH.read_bytes())


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
    (no inline styles) blocks; so the rules are read from the installed plotly.min.js (the
    object of selectors after ``"X,X div"``) and served from here instead.
    """
    source = PLOTLY_PATH.read_text(encoding="utf-8")
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
        log.warning("plotly.js style rules not found in %s; charts may look wrong", PLOTLY_PATH)
    return compressed(("\n".join(rules) + _MODEBAR_CSS).encode("utf-8"))


@cache
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.min.js adds when it loads (the map styles).

    It skips each one when an element with that id exists; the chart pages render empty
    placeholders with these ids, so the CSP has nothing to block (we draw no maps).
    """
    source = PLOTLY_PATH.read_text(encoding="utf-8")
    return tuple(
        dict.fromkeys(
            re.findall(
                r'if\(!document\.getElementById\("([\w-]+)"\)\)'
                r'\{var \w+=document\.createElement\("style"\)',
                source,
            )
        )
    )
