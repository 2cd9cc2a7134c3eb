"""The briefing: one A4 page holding the figures the overview shows, built without any outside request."""
import io
import socket
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from herstelmonitor import briefing, db, metrics
from herstelmonitor.access import Access


def build(db_path, role="landelijk"):
    con = db.connect(db_path, read_only=True)
    try:
        peildata = metrics.peildata(con)
        return briefing.maak(con, peildata, peildata[-1], Access(role, "test", None), True,
                             nu=datetime(2024, 1, 5, 9, 30))
    finally:
        con.close()


def pdf_text(data: bytes) -> tuple[int, str, tuple]:
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages), (box.width, box.height)


def test_change_in_words():
    vorige = date(2023, 11, 30)
    assert briefing.verandering("count", 3419, 3046, vorige) == "373 meer dan op 30 november 2023"
    assert briefing.verandering("count", 10, 12, vorige) == "2 minder dan op 30 november 2023"
    assert briefing.verandering("count", 7, 7, vorige) == "evenveel als op 30 november 2023"
    assert briefing.verandering("percentage", 57.1, 55.0, vorige) == "2,1 procentpunt hoger dan op 30 november 2023"
    assert briefing.verandering("days", 40, 41, vorige) == "1 dag korter dan op 30 november 2023"
    assert briefing.verandering("count", 7, None, None) == "geen eerdere peildatum om mee te vergelijken"


def test_briefing_is_one_a4_page_with_the_figures_of_the_overview(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    pages, text, (w, h) = pdf_text(briefing.pdf(build(klein_db)))
    assert pages == 1
    assert (round(float(w)), round(float(h))) == (595, 842)  # A4 in points
    # The hand-made extracts: 12 registered (7 at the previous peildatum), 5 paid (2 before).
    assert "Aangemeld 12 5 meer dan op 31 maart 2021" in text
    assert "EUR 30.000 betaald 5 3 meer dan op 31 maart 2021" in text
    for label in ("Aangemeld", "Erkend gedupeerd", "€ 30.000 betaald", "Integrale beoordeling afgerond",
                  "In contact"):
        assert f"{briefing.latin1(label)} {tiles[label]} " in text, label
    assert "Peildatum 30 juni 2021" in text
    assert "0 van de 342 gemeenten hebben een achtervangsignaal" in text
    assert "Gemaakt op 05-01-2024 om 09:30" in text and "Bron: extracten van UHT" in text
    assert "Eerste toets voor iedereen die nu is aangemeld" in text
    assert "wettelijke termijn" in text


def test_briefing_makes_no_outside_request(klein_db, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"outside request while making the briefing: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert briefing.pdf(build(klein_db)).startswith(b"%PDF")


def test_a_briefing_that_would_not_fit_is_refused(klein_db):
    b = build(klein_db)
    long = b.__class__(**{**b.__dict__, "top": b.top + [("9", "Gemeente " * 8, "12", "stilstand")] * 40})
    with pytest.raises(ValueError, match="past niet op één A4-pagina"):
        briefing.pdf(long)


def test_an_open_ended_range_runs_to_the_forecast_horizon(klein_db):
    """'From 3 March 2024 to later than two years': the bar reaches the horizon and says 'later'; a step not
    done within the horizon says so instead of drawing nothing."""
    from dataclasses import replace
    from datetime import timedelta

    from herstelmonitor import prognose

    b = build(klein_db)
    start = b.peildatum
    open_ = [briefing.Mijlpaal("Eerste toets voor iedereen die nu is aangemeld", "x", None, date(2021, 9, 1), None),
             briefing.Mijlpaal("Integrale beoordeling voor iedereen die nu is aangemeld", "y", None, None, None)]
    pages, text, _ = pdf_text(briefing.pdf(replace(b, tijdlijn=open_)))
    horizon = start + timedelta(weeks=prognose.HORIZON_WEKEN)
    assert pages == 1
    assert f"{start:%d-%m-%Y} {horizon:%d-%m-%Y}" in text  # the axis runs to the horizon, not to 01-09-2021
    assert "Eerste toets later" in text and "Integrale beoordeling niet binnen twee jaar" in text
