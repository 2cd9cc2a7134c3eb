"""One glossary: every figure has one Dutch name, its label in the metric catalogue, and every page uses it
in tiles, tables and charts. Retired synonyms (the names the same figures had on different pages) appear
nowhere."""
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from herstelmonitor import format, privacy
from herstelmonitor.access import Access
from herstelmonitor.queries import catalogue
from herstelmonitor.ui import PAGES

# Names the same figures used to have on one page or another.
RETIRED = ("Dagen tot contact", "Mediaan tot contact", "mediaan tot contact", "Bereik na 8 weken",
           "Aangemelde ouders in die gemeenten", "Dagen van delen gegevens")
OLD_MISSING_MARK = "–"  # the en dash, once a second mark for a missing value beside "-"
# Tiles that show no single figure of the catalogue: a statement about several, a what-if, or a weekly rate
# the forecast computes.
COMPOSITE = {"Gemeenten met een achtervangsignaal", "Gemeenten die achtervang nodig hebben", "Vroegsignalering",
             "Gemeenten die zij bedient", "Van hen in een gemeente met achtervangsignaal",
             "Eerste toetsen per week", "Aanmeldingen per week", "Betalingen per week",
             # forecast dates, a share of all registered parents, gemeenten where a signal fires, and the
             # answers to one survey question
             "Eerste toets: iedereen klaar", "Integrale beoordeling: iedereen klaar", "Van alle aangemelde ouders",
             "Gemeenten: ouders niet geholpen", "Ja, sneller", "Nee", "Weet niet"}


def test_every_figure_has_one_name_and_no_name_two_figures():
    labels = [m.label for m in catalogue().values()]
    assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})
    assert all(m.label and m.definition for m in catalogue().values())
    assert not any(r in m.label for m in catalogue().values() for r in (*RETIRED, OLD_MISSING_MARK))


def test_a_missing_and_a_hidden_figure_have_one_mark():
    # A figure on too few parents (privacy) and a figure that is missing (format) are written the same way.
    frame = pd.DataFrame({"gemeentecode": ["GM0001"], "bereik_basis": [4], "bereik_pct": [75.0], "in_contact": [3],
                          "doorlooptijd_contact_mediaan": [12.0]})
    hidden = privacy.protect(frame, Access("landelijk", "test")).iloc[0]
    marks = {hidden["bereik_pct"], hidden["doorlooptijd_contact_mediaan"], format.pct(None), format.dagen(None),
             format.getal(None), format.figure("bereik_pct", None), format.LEEG}
    assert marks == {"-"} and OLD_MISSING_MARK not in marks
    assert not [n for n, v in vars(privacy).items() if isinstance(v, str) and v in ("-", OLD_MISSING_MARK) and n != "LEEG"]


def shown(at) -> dict[str, list[str]]:
    """What a page shows, by kind: tile labels, table headers, chart titles and series, and its text."""
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {
        "values": [m.value for m in at.metric] + [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()],
        "tiles": [m.label for m in at.metric],
        "headers": [str(c) for df in at.dataframe for c in df.value.columns],
        "charts": [str((c.get("layout", {}).get("title") or {}).get("text", "")).replace("<br>", " ") for c in charts]
                  + [str(t.get("name", "")) for c in charts for t in c.get("data", [])],
        "text": [m.value for m in (*at.markdown, *at.caption)],
    }


@pytest.mark.parametrize("page", [f for f, _, _ in PAGES if f != "pages/upload.py"])
def test_every_page_names_figures_as_the_glossary(klein_db, page):
    at = AppTest.from_file("../dashboard.py", default_timeout=90)
    at.query_params["gemeente"] = "GM0599"
    at.run()
    if page != "dashboard.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    seen = shown(at)
    labels = {m.label for m in catalogue().values()}
    assert OLD_MISSING_MARK not in seen.pop("values"), page
    for kind, texts in seen.items():
        for text in texts:
            assert not any(r in text for r in RETIRED), (page, kind, text)
    for tile in seen["tiles"]:
        # A tile shows one figure by its name (possibly followed by where it is counted), or is a statement.
        assert tile in COMPOSITE or any(tile == lab or tile.startswith(lab + " ") for lab in labels), (page, tile)
    for header in seen["headers"]:
        # A column that holds a catalogued figure's values carries its name; other columns name no figure.
        assert header in labels or not any(header.lower() == lab.lower() for lab in labels), (page, header)
