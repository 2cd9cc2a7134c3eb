"""Samenhang compensatie en ondersteuning: do parents whose compensation is settled progress faster in
support? The figures come from queries/samenhang_compensatie.sql (progress by compensation state at each
peildatum) and the survey question hulp_sneller_na_compensatie (queries/ervaring_groepen.sql)."""
from datetime import date

import pandas as pd

from herstelmonitor import ervaring, grafiek, privacy
from herstelmonitor.format import LEEG, dagen, getal, pct
from herstelmonitor.privacy import protect
from herstelmonitor.queries import run_per_peildatum

STATEN = {
    "geen_eerste_toets": "Nog geen eerste toets",
    "niet_erkend": "Eerste toets: niet erkend",
    "wacht_op_betaling": "Erkend, wacht op betaling",
    "betaald": "€ 30.000 betaald",
    "integraal_beoordeeld": "Integrale beoordeling klaar",
}
VOORTGANG = {"samenhang_contact_pct": "In contact", "samenhang_plan_pct": "Plan van aanpak",
             "samenhang_afgerond_pct": "Afgerond"}
DAGEN = {"samenhang_dagen_contact": "Tijd tot eerste contact", "samenhang_dagen_plan": "Dagen tot plan",
         "samenhang_dagen_afgerond": "Dagen tot afgerond", "samenhang_dagen_gedeeld": "Dagen sinds gedeeld"}
LANDELIJK = "Nederland"


def progress(con, van: date, tot: date) -> pd.DataFrame:
    return run_per_peildatum(con, "samenhang_compensatie", van, tot)


def selection(frame: pd.DataFrame, provincie: str, viewer) -> pd.DataFrame:
    """The rows of one provincie (or the nation), states in order; a provincie's groups are protected like
    an aggregate (counts below the threshold as '<5', shares and medians over them as '-')."""
    rows = frame[frame["provincie"].isna()] if provincie == LANDELIJK else frame[frame["provincie"] == provincie]
    rows = rows.assign(volgorde=rows["staat"].map(list(STATEN).index)).sort_values(["peildatum", "volgorde"])
    if provincie == LANDELIJK:  # national totals are never suppressed
        return rows
    counts = {"samenhang_contact_pct": "in_contact", "samenhang_plan_pct": "met_plan",
              "samenhang_afgerond_pct": "afgerond"}
    # As the catalogue declares them: shares recomputed from the rounded counts, medians in days hidden below
    # the threshold.
    shown = protect(rows.assign(code=None), viewer, code="code")
    # A share of a shown group size would give a small count (or its complement) away: hide it as well, judged
    # on the exact parts (hide_small_parts rounds them itself; protect() rounded the catalogued counts).
    for c in ("in_contact", "met_plan", "afgerond"):
        shown[c] = rows[c]
        shown[f"niet_{c}"] = rows["samenhang_ouders"] - rows[c]
    return ervaring.hide_small_parts(shown, viewer, {p: (c, f"niet_{c}") for p, c in counts.items()}, code="code")


def table(rows: pd.DataFrame) -> pd.DataFrame:
    """One peildatum's rows as shown."""
    def show(v, fmt):
        return v if isinstance(v, str) else fmt(v)
    out = {"Stand van de compensatie": rows["staat"].map(STATEN).tolist(),
           "Ouders": [show(v, getal) for v in rows["samenhang_ouders"]]}
    out |= {f"{label} (%)": [show(v, pct) for v in rows[c]] for c, label in VOORTGANG.items()}
    out |= {f"{label} (mediaan)": [show(v, dagen) for v in rows[c]] for c, label in DAGEN.items()}
    return pd.DataFrame(out)


def progress_chart(rows: pd.DataFrame, title: str):
    """Grouped bars: per compensation state, the shares in contact, with a plan and finished."""
    series = {label: {STATEN[s]: v for s, v in zip(rows["staat"], rows[c])} for c, label in VOORTGANG.items()}
    return grafiek.bar_chart(series, {STATEN[s]: STATEN[s] for s in rows["staat"]}, title, "percentage",
                       "% van de ouders in ondersteuning")


def trend(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One measure over the peildata, one column per compensation state (for grafiek.line_chart)."""
    wide = rows.pivot(index="peildatum", columns="staat", values=measure)
    wide = wide[[s for s in STATEN if s in wide.columns]].rename(columns=STATEN)
    wide.index = [i.date() for i in wide.index]
    return wide


def sneller(con, peildatum: date, provincie: str, viewer) -> dict | None:
    """The survey's answer to 'did support go faster after the compensation was settled' at peildatum, for
    the nation or one provincie: shares ja / nee / weet niet and the number who answered; None when there
    is no survey file for the peildatum."""
    if peildatum not in ervaring.measured(con):
        return None
    rows = ervaring.groups(con, peildatum, peildatum)
    row = rows[rows["niveau"] == "landelijk"] if provincie == LANDELIJK else rows[
        (rows["niveau"] == "provincie") & (rows["provincie"] == provincie)]
    if row.empty:
        return {"beantwoord": 0, "ja": ervaring.TE_WEINIG, "nee": ervaring.TE_WEINIG, "weet_niet": ervaring.TE_WEINIG}
    r = row.iloc[0]
    n = int(r["sneller_beantwoord"])
    shown = {k: ervaring.text(r[f"sneller_{k}_pct"], "percentage", n, True) for k in ("ja", "nee", "weet_niet")}
    if provincie == LANDELIJK or viewer.exact_for(None):
        return {"beantwoord": n, **shown}
    # A provincie for a non-exact viewer: the number who answered rounded, each share from rounded counts
    # ("-" where its count is 1 to 4), so that a share times the shown number gives no small count away.
    for k in shown:
        if not ervaring.no_figure(r[f"sneller_{k}_pct"]):
            shown[k] = privacy.share_text(privacy.part_of(r[f"sneller_{k}_pct"], n), n, False, pct) or LEEG
    return {"beantwoord": n, "beantwoord_tekst": privacy.count_text(n, False, getal), **shown}
