"""symbiosis in Jupyter (issue 14, item 4): HTML views registered with IPython for the
network, the report and every section, the inline network and Sankey views (offline,
names inert, the report's CSS), data warnings through :mod:`warnings`, progress, and the
Tongling walk-through notebook executed in a real kernel."""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import pytest

import symbiosis
import symbiosis.notebook as nb
from symbiosis.examples import example_path
from symbiosis.export import notebook as views
from symbiosis.export.report_headline import headline_cards, section_dict

sys.path.insert(0, str(Path(__file__).parent / "export"))
from html_networks import HOSTILE, hostile_network

DOCS = Path(__file__).parents[1] / "docs"
SMALL = Path(__file__).parent / "data" / "small"


@pytest.fixture(scope="module")
def tongling():
    network = symbiosis.load(example_path("tongling"))
    return network, symbiosis.analyze(network)


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


# ------------------------------------------------------------------ IPython formatters


def test_every_object_has_an_html_view_in_ipython(shell, tongling):
    """Before: no object of symbiosis had an HTML view; a Report printed 74 kB of text."""
    network, report = tongling
    assert nb.register(shell)
    objects = [network, report, *report.sections.values()]
    for obj in objects:
        data, _ = shell.display_formatter.format(obj)
        assert "text/html" in data, type(obj).__name__
        assert data["text/html"].startswith('<div class="symbiosis-nb">')


def test_formatters_are_registered_by_name(shell):
    """Registration imports nothing: the classes are named, not imported."""
    formatter = shell.display_formatter.formatters["text/html"]
    nb.register(shell)
    for module, name, _ in nb.FORMATTED:
        assert formatter.lookup_by_type(f"{module}.{name}") is nb.html


def test_register_without_ipython_running():
    assert nb.register(None) in (True, False)  # no shell: nothing to do, no error


def test_html_refuses_other_objects():
    with pytest.raises(TypeError, match="no notebook view of int"):
        nb.html(3)


# --------------------------------------------------------------------------- contents


def test_network_card(tongling):
    network, _ = tongling
    card = nb.html(network)
    summary = network.summary()
    assert f"{summary.firms:,} nodes ({summary.actors:,} actors" in card
    assert f"{summary.flows:,} flows" in card
    assert "Totals per dimension" in card and "Data warnings" in card
    assert len(card) < 20_000  # a card, not 13.5 kB of repr


def test_report_headline_is_the_html_report_s(tongling):
    network, report = tongling
    block = nb.html(report)
    data = {name: section_dict(result) for name, result in report.sections.items()}
    for value, label in headline_cards(network, data):
        assert f'<div class="big">{value}</div><div>{label}</div>' in block
    assert block.count("<details>") == len(report.sections) + bool(report.warnings)
    for name in report.sections:
        assert f"<summary>{name}</summary>" in block
    assert len(block) < 150_000


def test_report_of_some_sections(tongling):
    network, _ = tongling
    report = symbiosis.analyze(network, sections=["loops"])
    block = nb.html(report)
    assert "loops found" in block and "reuse share" not in block


def test_section_tables_truncated_with_the_count(tongling):
    _, report = tongling
    reuse = report.sections["reuse"]
    block = nb.html(reuse)
    materials = len(reuse.tables()["by_material"])
    assert materials > views.MAX_ROWS
    shown = f"({views.MAX_ROWS} of {materials} rows)"
    assert f'<strong>by_material</strong> <span class="unit">{shown}' in block
    assert block.count("<table") == len(reuse.tables())


def test_small_network_hand_computed():
    """tests/data/small: 800 kt of 1.7 Mt of residuals reused (47.1 %), 100 kt disposed."""
    network = symbiosis.load(SMALL)
    block = nb.html(symbiosis.analyze(network))
    assert '<div class="big">47.1 %</div><div>reuse share (mass)</div>' in block
    assert '<div class="big">100 kt/yr</div><div>disposed (mass)</div>' in block


def test_scoped_css_styles_nothing_else():
    css = views.scoped_css()
    rules = re.findall(r"([^{}]+)\{", css)
    assert rules
    for selectors in rules:
        for selector in selectors.split(","):
            assert selector.strip().startswith(".symbiosis-nb"), selector
    # what keeps a Sankey's bands from being drawn as black shapes
    assert ".symbiosis-nb svg.sankey path {fill: none;" in css


# ------------------------------------------------------------------------------ views


def test_inline_views_are_offline_and_sandboxed(tongling):
    network, report = tongling
    for view in (nb.show(network, report), nb.show_sankey(network)):
        markup = view.data if hasattr(view, "data") else view
        outer, _, rest = markup.partition(' srcdoc="')
        page = rest.partition('"')[0]
        assert 'sandbox="allow-scripts"' in outer and "allow-same-origin" not in outer
        assert '"' not in page  # the page is one escaped attribute
        import html

        inner = html.unescape(page)
        assert "default-src 'none'" in inner  # the page's own CSP: nothing loads
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", inner)


def test_sankey_view_has_the_report_css(tongling):
    import html

    network, _ = tongling
    inner = html.unescape(nb.show_sankey(network).data.split('srcdoc="')[1].split('"')[0])
    assert "svg.sankey path { fill: none;" in inner
    assert inner.count('<svg class="sankey"') == len(network.dimensions)


def test_show_refuses_a_report(tongling):
    _, report = tongling
    with pytest.raises(TypeError, match=r"show\(network, report\)"):
        nb.show(report)


def test_hostile_names_are_inert_everywhere():
    network = hostile_network()
    report = symbiosis.analyze(network)
    blocks = [nb.html(network), nb.html(report)]
    blocks += [nb.html(result) for result in report.sections.values()]
    for block in blocks:
        for text in HOSTILE.values():
            assert text not in block
        lowered = block.lower()
        for tag in ("<img", "<b>", '<a href="javascript', "<!--", "<script"):
            assert tag not in lowered
    assert "&lt;script&gt;alert(" in nb.html(report)  # shown, as text
    for view in (nb.show(network, report), nb.show_sankey(network)):
        markup = view.data
        outer = markup.split(' srcdoc="')[0] + markup.split(' srcdoc="')[1].split('"', 1)[1]
        assert "<script" not in outer.lower()
        for text in HOSTILE.values():
            assert text not in markup


# ------------------------------------------------------------------ warnings, progress


def test_data_warnings_reach_python_warnings():
    """Before: the warnings were only in network.warnings."""
    assert issubclass(nb.SymbiosisWarning, UserWarning)
    assert nb.SymbiosisWarning is symbiosis.errors.SymbiosisWarning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        network = nb.load(SMALL)
    assert network.warnings
    assert [str(w.message) for w in caught] == list(network.warnings)
    assert {w.category for w in caught} == {nb.SymbiosisWarning}
    assert caught[0].filename == __file__  # pointed at the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error", nb.SymbiosisWarning)
        with pytest.raises(nb.SymbiosisWarning, match="no quantity"):
            nb.load(SMALL)


def test_analyze_with_progress_equals_analyze(monkeypatch):
    network = symbiosis.load(SMALL)
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(str(obj))

    monkeypatch.setattr(nb, "_progress_line", lambda total: nb._ProgressLine(total, Handle(), str))
    report = nb.analyze(network, sections=["reuse", "loops"], max_loop_length=4)
    # in the order they run (symbiosis.report.STAGES)
    assert shown == ["analysing: reuse (1 of 2)", "analysing: loops (2 of 2)", ""]
    expected = symbiosis.analyze(network, sections=["reuse", "loops"], max_loop_length=4)
    assert report.to_dict() == expected.to_dict()


# --------------------------------------------------------------------------- notebook


def test_the_tongling_notebook_runs(tmp_path):
    """docs/tongling.ipynb, every cell, in a fresh kernel: it never rots."""
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (test extra)")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (test extra)")
    notebook = nbformat.read(DOCS / "tongling.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError:
        raise
    except Exception as exc:  # no kernel: jupyter_client's NoSuchKernel, a dead kernel ...
        if "kernel" not in type(exc).__name__.lower() and "kernel" not in str(exc).lower():
            raise
        pytest.skip(f"a Jupyter kernel could not start ({type(exc).__name__}: {exc})")
    outputs = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            html = [
                o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})
            ]
            outputs[cell.source] = "".join(html)
    assert "symbiosis-nb" in outputs["network"]
    assert "reuse share (mass)" in outputs["report = nb.analyze(network)\nreport"]
    assert "by_generator" in outputs["report.reuse"]
    assert 'sandbox="allow-scripts"' in outputs["nb.show_sankey(network)"]
    assert list(tmp_path.iterdir()) == []  # the notebook writes nothing where it runs


# ------------------------------------------------------------------------ in a browser

HOST_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>notebook</title></head>
<body><table id="outside"><tr><td>a cell of the notebook itself</td></tr></table>
<svg id="bare" width="10" height="10"><path d="M0 0L9 9" stroke="red"/></svg>
{blocks}<script>document.documentElement.dataset.ready = "1";</script></body></html>"""


def test_views_in_a_real_browser(tmp_path):
    """Hostile names in every view, in headless Chromium with the network cut off: no
    script of theirs runs, nothing is requested, the report's CSS styles the blocks (a
    Sankey's bands unfilled) and nothing else of the page."""
    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    from chromium import READY, TRAP, Browser, find_chromium

    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from symbiosis.export.sankey import sankey
    from symbiosis.export.sankey_draw import sankey_svg

    network = hostile_network()
    report = symbiosis.analyze(network)
    diagram = sankey(network, network.dimensions[0])
    blocks = [nb.html(network), nb.html(report), nb.html(report.sections["reuse"])]
    blocks.append(views._wrap(sankey_svg(diagram)))  # the SVG alone, in the scoped CSS
    blocks += [nb.show(network, report).data, nb.show_sankey(network).data]
    page_file = tmp_path / "notebook.html"
    page_file.write_text(HOST_PAGE.format(blocks="\n".join(blocks)), encoding="utf-8")
    with Browser(width=1200, height=900) as browser:
        page = browser.open(page_file, init_script=TRAP)
        page.wait_for(READY, timeout=60)
        browser.pump(2.0)  # let the framed pages run their scripts
        style = "getComputedStyle(document.querySelector(%r))[%r]"
        assert page.evaluate(style % (".symbiosis-nb .card", "borderTopWidth")) == "1px"
        assert page.evaluate(style % (".symbiosis-nb svg.sankey path", "fill")) == "none"
        assert page.evaluate(style % ("#outside", "borderCollapse")) == "separate"
        assert page.evaluate(style % ("#bare path", "fill")) != "none"  # not ours: untouched
        assert page.errors() == []
        assert page.external_requests() == []
        assert page.evaluate("window.__xss || []") == []
        browser.close_page(page)


def test_the_progress_line_counts_the_sections_that_run(monkeypatch):
    """It counted every registered section ("7 of 10"): the trends, recovery and
    uncertainty of a network without years, register columns or samples never run."""
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(str(obj))

    monkeypatch.setattr(nb, "_progress_line", lambda total: nb._ProgressLine(total, Handle(), str))
    nb.analyze(symbiosis.load(SMALL))
    assert shown[-2:] == [shown[-2][: shown[-2].index("(")] + "(7 of 7)", ""]
    nb.analyze(symbiosis.load(SMALL), sections="reuse,loops")
    assert shown[-2] == "analysing: loops (2 of 2)"
