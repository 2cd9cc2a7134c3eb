"""Colour contrast of what axe cannot see (text drawn on the tables' canvas) and of the shared styles,
computed from the theme's own colours; and the Dutch replacements of Streamlit's English strings."""
import ast
import tomllib

import pytest

from herstelmonitor import toegankelijk as t
from herstelmonitor.paths import ROOT

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]


def test_contrast_formula_matches_known_pairs():
    assert t.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert t.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    # The grey caption measured on main by axe: #828180 on white is 3.88:1.
    assert t.contrast("#828180", "#ffffff") == pytest.approx(3.88, abs=0.01)


@pytest.mark.parametrize("text, background", [
    ("textColor", "backgroundColor"),                     # table cells on the canvas, body text
    ("textColor", "secondaryBackgroundColor"),            # sidebar text
    ("dataframeHeaderTextColor", "dataframeHeaderBackgroundColor"),  # table headers on the canvas
    ("linkColor", "backgroundColor"),
    ("linkColor", "secondaryBackgroundColor"),
    ("primaryColor", "backgroundColor"),                  # selected options, buttons' text
])
def test_theme_text_colours_reach_4_5_to_1(text, background):
    assert t.contrast(THEME[text], THEME[background]) >= 4.5


def test_shared_style_colours_reach_4_5_to_1_on_page_and_sidebar():
    assert THEME["secondaryBackgroundColor"] == t.ZIJBALK and THEME["backgroundColor"] == t.WIT
    for colour in (t.GEDEMPT, t.TEKST, t.HUIDIG):
        assert t.contrast(colour, t.WIT) >= 4.5
        assert t.contrast(colour, t.ZIJBALK) >= 4.5
    # The focus ring is a non-text indicator (3:1 needed) and must differ from the current-page mark.
    assert t.contrast(t.FOCUS, t.WIT) >= 3 and t.contrast(t.FOCUS, t.ZIJBALK) >= 3
    assert t.FOCUS != t.HUIDIG


def test_no_table_column_is_pinned():
    """Streamlit draws a pinned column's cells in a faded grey on the canvas (about 3.9:1)."""
    for path in [*(ROOT / "herstelmonitor").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "pinned":
                assert isinstance(node.value, ast.Constant) and node.value.value is False, f"{path.name}:{node.lineno}"


def test_built_in_english_strings_have_dutch_replacements():
    for english in ("Skip to main content", "Select all", "No results", "Download plot as a PNG", "Print",
                    "Upload", "Choose an option"):
        assert t.VERTALING[english] and t.VERTALING[english] != english
    assert t.VOORVOEGSELS["Help for "] == "Uitleg bij "


def test_a_chart_carries_source_and_peildatum_and_the_original_is_untouched():
    from datetime import date

    import plotly.graph_objects as go
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout=dict(title=dict(text="Bereik")))
    shown = t.met_bron(fig, date(2023, 12, 31))
    assert shown.layout.title.subtitle.text == "Bron: UHT, VNG; Herstelmonitor · peildatum 31-12-2023"
    assert not fig.layout.title.subtitle.text and t.titel(fig) == "Bereik"
    untitled = t.met_bron(go.Figure(go.Scatter(x=[1], y=[2])), date(2023, 12, 31))
    assert [a.text for a in untitled.layout.annotations] == ["Bron: UHT, VNG; Herstelmonitor · peildatum 31-12-2023"]


def test_list_view_sorts_shown_numbers_by_value_and_links_every_gemeente():
    import pandas as pd
    frame = pd.DataFrame({"gemeentecode": ["GM0001", "GM0002", "GM0003"], "Gemeente": ["Bé", "Aa", "C<&>"],
                          "Ouders": ["1.234", "<5", "57"], "Bereik": ["57,1%", "-", "9,0%"]})
    assert list(t.gesorteerd(frame, "Ouders", True)["gemeentecode"]) == ["GM0001", "GM0003", "GM0002"]
    assert list(t.gesorteerd(frame, "Bereik", False)["gemeentecode"]) == ["GM0002", "GM0003", "GM0001"]
    assert list(t.gesorteerd(frame, "Gemeente", False)["Gemeente"]) == ["Aa", "Bé", "C<&>"]
    html = t.html_tabel(frame, "Lijst")
    assert html.count('<a href="gemeente?gemeente=GM00') == 3 and "C&lt;&amp;&gt;" in html
    assert "<caption>Lijst</caption>" in html and '<th scope="col">Ouders</th>' in html
    assert "gemeentecode" not in html.split("<tbody>")[0]
    # On a phone each row is a card: every cell carries its column's name.
    assert '<td data-label="Ouders">1.234</td>' in html and '<th scope="row" data-label="Gemeente"><a ' in html


def test_downloads_name_source_and_peildatum():
    import io
    from datetime import date

    import pandas as pd

    from herstelmonitor.export import bron_regels, csv_met_bron, xlsx_bytes
    frame = pd.DataFrame({"Gemeente": ["Aa"], "Ouders": [12]})
    lines = csv_met_bron(frame, date(2023, 12, 31)).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("# Bron: extracten van UHT") and lines[0].endswith("Peildatum: 31-12-2023")
    assert lines[1:] == ["Gemeente;Ouders", "Aa;12"]
    sheets = pd.read_excel(io.BytesIO(xlsx_bytes(frame, "Herstelmonitor", bron_regels(date(2023, 12, 31)))),
                           sheet_name=None)
    assert list(sheets) == ["Herstelmonitor", "Bron"]
    assert sheets["Bron"]["Bron"].tolist()[1] == "Peildatum: 31-12-2023"


LIJST_APP = '''
import pandas as pd
import streamlit as st
from herstelmonitor.toegankelijk import lijstweergave

n = st.session_state.get("n", 3)
frame = pd.DataFrame({"gemeentecode": [f"GM{i:04d}" for i in range(n)], "Gemeente": [f"G{i}" for i in range(n)]})
lijstweergave(frame, "De kaart", "lijst")
'''


def test_the_list_view_is_made_and_sent_only_when_opened_and_stays_open_when_its_count_changes(tmp_path):
    from streamlit.testing.v1 import AppTest
    app = tmp_path / "lijst_app.py"
    app.write_text(LIJST_APP, encoding="utf-8")
    at = AppTest.from_file(str(app)).run()
    assert [e.label for e in at.expander] == ["De kaart: als lijst (3 gemeenten, met links)"]
    assert not at.get("html") and not at.selectbox  # closed: no table, no sort controls
    # Opening it (what the browser reports for a click or Enter on the summary, then the callback) shows the list.
    at.session_state["lijst_open"] = True
    at.session_state["lijst_open_onthouden"] = True
    at.run()
    assert "GM0002" in at.get("html")[0].proto.body and at.selectbox[0].label == "Sorteer op"
    # A filter changes the count in its label: it stays open.
    at.session_state["n"] = 5
    at.run()
    assert [e.label for e in at.expander] == ["De kaart: als lijst (5 gemeenten, met links)"]
    assert "GM0004" in at.get("html")[0].proto.body


def test_a_long_chart_title_is_broken_over_lines_that_fit_a_phone():
    from datetime import date

    import plotly.graph_objects as go
    long = "Voelt zich geholpen over de peildata (% van de antwoorden)"
    fig = go.Figure(go.Scatter(x=[1], y=[2]), layout=dict(title=dict(text=long), margin=dict(t=50)))
    shown = t.met_bron(fig, date(2023, 12, 31))
    lines = shown.layout.title.text.split("<br>")
    assert lines == ["Voelt zich geholpen over de peildata (%", "van de antwoorden)"]
    assert all(len(line) <= t.TITEL_TEKENS for line in lines)
    # Room for the subtitle (16) and the second line (20); the title as read aloud is still one sentence.
    assert shown.layout.margin.t == 50 + 16 + t.TITELREGEL and t.titel(shown) == long
    short = t.met_bron(go.Figure(layout=dict(title=dict(text="Bereik"), margin=dict(t=50))), None)
    assert short.layout.title.text == "Bereik" and short.layout.margin.t == 66
