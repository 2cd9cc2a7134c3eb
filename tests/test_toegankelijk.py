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
