"""Briefing for the staatssecretaris: one A4 page (PDF), built on the server, with nothing fetched.

What it holds, all at one peildatum: the five figures that matter and their change since the previous
peildatum in words, the timeline (forecast with its range, herstelmonitor.forecast), the number of parents
past the legal term, the achtervang count and its top five gemeenten, the source and the time of making.
The PDF uses fpdf2's built-in core font (Helvetica), so no font or image is read from anywhere.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
from fpdf import FPDF

from herstelmonitor import achtervang as av
from herstelmonitor import metrics, privacy, prognose, tempo
from herstelmonitor.format import datum, getal, metric_value
from herstelmonitor.privacy import Viewer
from herstelmonitor.queries import all_metrics

# The five figures of the briefing: the compensation chain, and the gemeenten's reach.
VIJF = ("aangemeld", "erkend_gedupeerd", "forfait_betaald", "integrale_beoordeling_afgerond", "in_contact")
BRON = ("Bron: extracten van UHT (aanmeldingen) en VNG (ondersteuning, deelname); Herstelmonitor, "
        "berekend volgens de definities op de pagina Over de cijfers.")
TOP = 5


@dataclass(frozen=True)
class Cijfer:
    label: str
    waarde: str
    verandering: str  # in words, e.g. "373 meer dan op 30 november 2023"


@dataclass(frozen=True)
class Mijlpaal:
    wat: str          # "Eerste toets voor iedereen die nu is aangemeld"
    tekst: str        # "rond 3 maart 2024 (tussen 1 februari 2024 en 2 mei 2024)"
    datum: date | None
    vroeg: date | None
    laat: date | None


@dataclass(frozen=True)
class Briefing:
    peildatum: date
    vorige: date | None
    cijfers: list[Cijfer]
    tijdlijn: list[Mijlpaal]
    tempo_weken: int
    over_termijn: str
    achtervang: str
    top: list[tuple[str, str, str, str]]  # (rang, gemeente, getroffen ouders, signalen)
    gemaakt: datetime
    voorbeeld: bool


def verandering(kind: str, nu, vorig, vorige: date | None) -> str:
    """The change since the previous peildatum in words (Dutch)."""
    if vorige is None or vorig is None or nu is None or nu != nu or vorig != vorig:
        return "geen eerdere peildatum om mee te vergelijken"
    delta = float(nu) - float(vorig)
    op = f"op {datum(vorige)}"
    if kind == "percentage":
        return f"gelijk aan {op}" if round(delta, 1) == 0 else \
            f"{getal(abs(delta), 1)} procentpunt {'hoger' if delta > 0 else 'lager'} dan {op}"
    if kind == "days":
        n = round(abs(delta))
        return f"gelijk aan {op}" if n == 0 else f"{getal(n)} {'dag' if n == 1 else 'dagen'} " \
                                                 f"{'langer' if delta > 0 else 'korter'} dan {op}"
    return f"evenveel als {op}" if round(delta) == 0 else \
        f"{getal(abs(delta))} {'meer' if delta > 0 else 'minder'} dan {op}"


def cijfers(con: duckdb.DuckDBPyConnection, peildata: list[date], peildatum: date) -> tuple[list[Cijfer], date | None]:
    reeks = metrics.national(con, peildata[0], peildatum)
    vorige = reeks.index[-2] if len(reeks) > 1 else None
    out = []
    for name in VIJF:
        m = all_metrics()[name]
        nu = reeks[name].iloc[-1]
        vorig = reeks[name].iloc[-2] if vorige is not None else None
        out.append(Cijfer(m.label, metric_value(m.kind, nu), verandering(m.kind, nu, vorig, vorige)))
    return out, (vorige.date() if hasattr(vorige, "date") else vorige)


def mijlpalen(blik) -> list[Mijlpaal]:
    """When everyone registered so far has a first check and a full review: the overview's forecast band
    (herstelmonitor.tempo.overzicht / iedereen_klaar)."""
    out = []
    for stap, wat in (("eerste_toets", "Eerste toets voor iedereen die nu is aangemeld"),
                      ("integrale_beoordeling", "Integrale beoordeling voor iedereen die nu is aangemeld")):
        u = blik.voorspelling.uitkomsten.get((stap, "bevroren")) if blik else None
        tekst = tempo.iedereen_klaar(blik.voorspelling, stap) if blik else "geen gegevens"
        out.append(Mijlpaal(wat, tekst.replace("–", "tot"), None, getattr(u, "klaar_laag", None),
                            getattr(u, "klaar_hoog", None)))
    return out


def maak(con: duckdb.DuckDBPyConnection, peildata: list[date], peildatum: date, viewer: Viewer,
         voorbeeld: bool, nu: datetime | None = None) -> Briefing:
    """Everything the briefing shows, at `peildatum`, as `viewer` may see it."""
    vijf, vorige = cijfers(con, peildata, peildatum)
    blik = tempo.overzicht(con, peildatum)
    tijdlijn = mijlpalen(blik)
    over = blik.over_termijn if blik else 0
    s = metrics.achtervang_summary(con, peildatum)
    drempels = av.defaults()
    lijst = av.needs_achtervang(av.history(con, peildata, peildatum, drempels), peildatum, drempels, viewer)
    top = [(str(r.rang), r.gemeentenaam, str(r.ouders), ", ".join(av.label(x).lower() for x in r.signalen))
           for r in lijst.head(TOP).itertuples()]
    return Briefing(
        peildatum, vorige, vijf, tijdlijn, tempo.DEFAULT_WINDOW,
        f"{getal(over)} ouders zijn meer dan een jaar geleden aangemeld en hebben nog geen besluit "
        "(de wettelijke termijn is een jaar).",
        f"{getal(s['gemeenten'])} van de {getal(s['gemeenten_totaal'])} gemeenten hebben een achtervangsignaal; "
        f"daar wonen {getal(s['ouders'])} aangemelde ouders.",
        top, nu or datetime.now(ZoneInfo("Europe/Amsterdam")), voorbeeld)


# --- the PDF --------------------------------------------------------------------------------------------------

VOET = 297 - 28  # mm from the top where the footer (source, time of making) starts
BLAUW = (21, 66, 115)
GRIJS = (84, 84, 84)
LICHT = (220, 226, 236)


def latin1(text: str) -> str:
    """The core fonts cover Latin-1: the euro sign and typographic dashes are written out."""
    return text.replace("€", "EUR").replace("–", "-").replace("—", "-").replace("’", "'")


class Pagina(FPDF):
    def kop(self, text: str) -> None:
        self.ln(3)
        self.set_font("helvetica", "B", 12)
        self.set_text_color(*BLAUW)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def alinea(self, text: str, size: float = 10, hoogte: float = 5) -> None:
        self.set_font("helvetica", "", size)
        self.multi_cell(0, hoogte, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")


def pdf(b: Briefing) -> bytes:
    doc = Pagina(orientation="P", unit="mm", format="A4")
    doc.set_auto_page_break(False)
    doc.set_margins(18, 15, 18)
    doc.set_title(f"Briefing Herstelmonitor, peildatum {datum(b.peildatum)}")
    doc.set_author("Herstelmonitor")
    doc.set_lang("nl-NL")
    doc.add_page()
    doc.set_font("helvetica", "B", 18)
    doc.set_text_color(*BLAUW)
    doc.cell(0, 9, "Herstelmonitor - briefing", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.alinea(f"Hersteloperatie kinderopvangtoeslag. Peildatum {datum(b.peildatum)}"
               + (f"; veranderingen ten opzichte van {datum(b.vorige)}." if b.vorige else "."), 11)
    if b.voorbeeld:
        doc.set_text_color(*GRIJS)
        doc.alinea("Demo: voorbeeldgegevens, geen echte ouders.", 9)
        doc.set_text_color(0, 0, 0)
    doc.kop("De vijf cijfers")
    tabel(doc, [(c.label, c.waarde, c.verandering) for c in b.cijfers], (70, 28, 76), ("", "Aantal", "Verandering"))
    doc.kop("Tijdlijn")
    doc.alinea(f"Verwachte periode (band) bij het tempo van de laatste {b.tempo_weken} weken, zoals op het "
               "Overzicht; uitleg op de pagina Tempo compensatie.")
    for m in b.tijdlijn:
        doc.alinea(f"- {m.wat}: {m.tekst}.")
    tijdbalk(doc, b.peildatum, b.tijdlijn)
    doc.kop("Wettelijke termijn")
    doc.alinea(b.over_termijn)
    doc.kop("Achtervang")
    doc.alinea(b.achtervang)
    if b.top:
        doc.ln(1)
        tabel(doc, b.top, (10, 52, 30, 82), ("", "Gemeente", "Getroffen ouders", "Signalen"))
    if doc.get_y() > VOET:
        raise ValueError("De briefing past niet op één A4-pagina.")
    doc.set_y(VOET)
    doc.set_draw_color(*LICHT)
    doc.line(18, doc.get_y(), 192, doc.get_y())
    doc.ln(1)
    doc.set_text_color(*GRIJS)
    doc.alinea(BRON, 8, 3.8)
    doc.alinea(f"Gemaakt op {b.gemaakt.strftime('%d-%m-%Y om %H:%M')} uit de gegevens van peildatum "
               f"{datum(b.peildatum)}. {privacy.uitleg(kort=True)}", 8, 3.8)
    if doc.page != 1 or doc.get_y() > 297 - 8:
        raise ValueError("De briefing past niet op één A4-pagina.")
    return bytes(doc.output())


def tabel(doc: FPDF, rows: list[tuple], widths: tuple, header: tuple) -> None:
    doc.set_font("helvetica", "B", 9)
    doc.set_fill_color(*LICHT)
    for text, w in zip(header, widths):
        doc.cell(w, 6, latin1(text), border=0, fill=True)
    doc.ln(6)
    doc.set_font("helvetica", "", 9.5)
    for row in rows:
        for i, (text, w) in enumerate(zip(row, widths)):
            doc.set_font("helvetica", "B" if i == 1 and len(widths) == 3 else "", 9.5)
            doc.cell(w, 6, latin1(str(text)), border="B", align="R" if i == 1 and len(widths) == 3 else "L")
        doc.ln(6)


def tijdbalk(doc: FPDF, start: date, tijdlijn: list[Mijlpaal]) -> None:
    """A small drawn timeline: from the peildatum to the last date of any range, one bar per milestone
    (light: the range, dark mark: the expected date)."""
    dates = [d for m in tijdlijn for d in (m.datum, m.vroeg, m.laat) if d is not None]
    if not dates:
        return
    # A range open at the far end ("later than two years") or not started within the horizon runs to the
    # forecast's horizon, so its bar has a length instead of ending where it starts.
    open_ = any(m.laat is None for m in tijdlijn)
    end = max(dates + ([start + timedelta(weeks=prognose.HORIZON_WEKEN)] if open_ else []))
    x0, width = 70.0, 104.0
    span = max((end - start).days, 1)

    def x(d: date) -> float:
        return x0 + width * (d - start).days / span

    doc.ln(1)
    for m in tijdlijn:
        y = doc.get_y()
        doc.set_font("helvetica", "", 8.5)
        doc.cell(52, 5, latin1(m.wat.split(" voor ")[0].split(" van ")[0]))
        if m.vroeg is not None:
            doc.set_fill_color(*LICHT)
            doc.rect(x(m.vroeg), y + 1, max(x(m.laat or end) - x(m.vroeg), 0.6), 3, style="F")
        if m.laat is None:  # open end: say so at the edge of the axis
            doc.set_font("helvetica", "", 7.5)
            doc.set_xy(x0 + width + 1, y)
            doc.cell(20, 5, "later" if m.vroeg is not None else "niet binnen twee jaar")
            doc.set_xy(doc.l_margin, y)
        if m.datum is not None:
            doc.set_fill_color(*BLAUW)
            doc.rect(x(m.datum) - 0.6, y + 0.5, 1.2, 4, style="F")
        doc.ln(5.5)
    doc.set_font("helvetica", "", 7.5)
    doc.set_text_color(*GRIJS)
    doc.set_x(x0 - 10)
    doc.cell(20, 4, start.strftime("%d-%m-%Y"), align="C")
    doc.set_x(x0 + width - 10)
    doc.cell(20, 4, end.strftime("%d-%m-%Y"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
