"""plotly.js as the chart pages get it: the vendored cartesian partial bundle, in exactly the
plotly.js version that the installed plotly package bundles, holding every trace type the
charts draw, with its licence, at most 700 kB over the wire."""

import gzip
import re
from pathlib import Path

from dla.charts import assets
from dla.charts.assets import PLOTLY_VERSION

ROOT = Path(__file__).resolve().parents[1]
AXIS_TYPES = {"date", "category", "linear", "log", "multicategory", "-"}


def test_vendored_bundle_is_the_plotly_js_version_of_the_installed_plotly():
    version = assets.plotly_js_version()
    package_head = assets.PACKAGE_PATH.read_text(encoding="utf-8")[:200]
    assert f"plotly.js v{version}\n" in package_head
    partial = ROOT / "static" / "vendor" / f"plotly-cartesian-{version}.min.js"
    assert partial.is_file(), (
        f"plotly bundles plotly.js {version}: vendor its partial bundle "
        "(see static/vendor/README.md)"
    )
    source = partial.read_text(encoding="utf-8")
    assert f"plotly.js (cartesian - minified) v{version}\n" in source[:200]
    assert f'.version="{version}"' in source
    assert assets.plotly_path() == partial
    licence = partial.with_name(f"plotly-cartesian-{version}.LICENSE.txt")
    assert licence.read_text(encoding="utf-8").startswith("MIT License")
    assert f"plotly-cartesian-{version}.min.js" in (partial.parent / "README.md").read_text()


def test_the_bundle_holds_every_trace_type_the_charts_draw():
    figures = (ROOT / "dla" / "charts" / "figures.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"type": "(\w+)"', figures)) - AXIS_TYPES
    assert used == set(assets.TRACE_TYPES)
    source = assets.plotly_path().read_text(encoding="utf-8")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', source))
    assert used <= registered, f"not in the partial bundle: {used - registered}"


def test_first_chart_view_transfers_at_most_700_kb_of_plotly(client):
    url = f"/js/plotly-{PLOTLY_VERSION}.min.js"
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) <= 700_000
    assert gzip.decompress(response.data) == assets.plotly_path().read_bytes()
    css = client.get(f"/js/plotly-{PLOTLY_VERSION}.css").get_data(as_text=True)
    assert ".js-plotly-plot .plotly .main-svg" in css and ".modebar" in css
