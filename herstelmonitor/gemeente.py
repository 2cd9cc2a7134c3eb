"""The gemeente page: one gemeente's funnel over the peildata, its parents' compensation, the life domains
that come up, and a comparison with similar gemeenten (same provincie and size class) and the nation.

A gemeente's history is its rows of the stored metrics table (queries/metrieken_gemeente.sql, with the
gemeente as a parameter), so every figure keeps its one definition.
"""
from dataclasses import dataclass
from datetime import date

import pandas as pd

from herstelmonitor import metrics, ondersteuning
from herstelmonitor.format import LEEG, datum, datum_kort, figure, getal
from herstelmonitor.privacy import protect
from herstelmonitor.queries import metric, run

COMPENSATIE_LIJNEN = ("aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
                      "integrale_beoordeling_afgerond")
VERGELIJKING_PCT = ("bereik_pct", "plan_pct")
VERGELIJKING_DAGEN = ("doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90")


def gemeenten(con) -> pd.DataFrame:
    """Code, name and provincie of every gemeente of the reference list, by name."""
    return run(con, "gemeente_lijst").set_index("gemeentecode")


def profile(con, code: str, peildatum: date) -> pd.Series:
    """The gemeente's reference data, participation, centrumgemeente arrangement and size class."""
    return run(con, "gemeente_profiel", gemeente=code, peildatum=peildatum,
               grenzen=ondersteuning.size_class_bounds()).iloc[0]


def history(con, code: str, peildata: list[date]) -> pd.DataFrame:
    """One gemeente's metrics per peildatum (index: every date in `peildata`), exact, counts 0 where
    nothing counted."""
    table = run(con, "metrieken_gemeente", gemeente=code, van=peildata[0], tot=peildata[-1])
    table = table.drop(columns="gemeente").set_index("peildatum")
    table.index = [i.date() if hasattr(i, "date") else i for i in table.index]
    return metrics.fill_counts(table.reindex(peildata))


@dataclass
class Vergelijking:
    """Figures at one peildatum for the comparison, each protected for the viewer: the gemeente, its peer
    group (same provincie and size class, this gemeente included) and the nation (exact)."""
    gemeente: pd.Series
    groep: pd.Series
    land: pd.Series
    groep_namen: list[str]


def comparison(con, code: str, peildatum: date, own: pd.Series, profiel: pd.Series, national: pd.Series,
               viewer) -> Vergelijking:
    """`own`: the gemeente's history row at peildatum; `national`: the spec's national support metrics at
    peildatum (deelname.history)."""
    rows = ondersteuning.steun(con, peildatum, peildatum)
    klasse = int(profiel["klasse"])
    groep = rows[(rows["niveau"] == "vergelijkbaar") & (rows["provincie"] == profiel["provincienaam"])
                 & (rows["klasse"] == klasse)].iloc[0]
    land = rows[rows["niveau"] == "landelijk"].iloc[0].copy()
    for col in (*VERGELIJKING_DAGEN, "bereik_pct"):
        land[col] = national[col]  # the spec's national figures
    leden = rows[(rows["niveau"] == "gemeente") & (rows["provincie"] == profiel["provincienaam"])
                 & (rows["klasse"] == klasse)]["gemeentenaam"]
    gemeente = protect(pd.DataFrame([own]).assign(gemeentecode=code), viewer).iloc[0]
    groep = protect(pd.DataFrame([groep]).assign(code=None), viewer, code="code").iloc[0]
    return Vergelijking(gemeente, groep, land, sorted(leden, key=lambda n: n.lstrip("'").lower()))


def protected_history(table: pd.DataFrame, code: str, viewer) -> pd.DataFrame:
    """The history as a viewer may see it (index kept)."""
    shown = protect(table.assign(gemeentecode=code), viewer)
    shown.index = table.index
    return shown


def lines(shown: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Columns of a protected history named for a line chart (their names in the glossary)."""
    return shown[list(columns)].rename(columns={c: metric(c).label for c in columns})


def facts(profiel: pd.Series, klasse: int, peildatum: date) -> list[str]:
    """The gemeente in a few words for the page header."""
    joined = profiel["aangesloten_datum"]
    out = [profiel["provincienaam"], f"COROP-regio {profiel['coropnaam']}",
           f"{getal(profiel['inwoners'])} inwoners ({ondersteuning.GROOTTEKLASSEN[klasse][1]})",
           f"aangesloten sinds {datum(joined.date())}" if pd.notna(joined) and joined.date() <= peildatum
           else "niet aangesloten bij de gezamenlijke aanpak"]
    if isinstance(profiel["centrumgemeente_naam"], str):
        out.append(f"centrumgemeente: {profiel['centrumgemeente_naam']}")
    voor = profiel["centrumgemeente_voor"]
    if len(voor):
        out.append(f"centrumgemeente voor {len(voor)} {'gemeente' if len(voor) == 1 else 'gemeenten'}")
    return out


# --- The gemeente beside each similar gemeente, by name -------------------------------------------------

# The measures of the peer table: column of deelname.gemeenten().table -> higher is better (None: not a
# ranking measure). Headers and formats come from the catalogue.
VERGELIJK = {
    "aangemeld": None, "forfait_betaald": None, "integrale_beoordeling_afgerond": None,
    "wachtend_op_eerste_toets": None, "gegevens_gedeeld": None, "in_contact": None,
    "bereik_pct": True, "plan_pct": True, "doorlooptijd_contact_mediaan": False,
}
RANG_MATEN = [c for c, hoger in VERGELIJK.items() if hoger is not None]


def vergelijkbaar(table: pd.DataFrame, code: str) -> list[str]:
    """The gemeenten in the same provincie and size class as `code` (itself included), by name."""
    eigen = table.loc[code]
    return list(table.index[(table["provincie"] == eigen["provincie"]) & (table["klasse"] == eigen["klasse"])])


def groep_uit_link(waarde: str | None, bekend) -> list[str]:
    """The comparison group of a shared link (?vergelijk=GM0599,GM0363): the known codes, in order, once."""
    codes = [c.strip().upper() for c in (waarde or "").split(",") if c.strip()]
    return list(dict.fromkeys(c for c in codes if c in set(bekend)))


def rang(shown: pd.Series, hoger_beter: bool) -> pd.Series:
    """Rank of each visible value (1 = best); hidden ('<5', '-') or missing values get no rank. Ranking only
    what the viewer sees, so a rank never gives a suppressed value away."""
    values = pd.to_numeric(shown.where(~shown.map(lambda v: isinstance(v, str))), errors="coerce")
    return values.rank(ascending=not hoger_beter, method="min").astype("Int64")


def naast_elkaar(table: pd.DataFrame, codes: list[str], eigen: str, viewer, maat: str) -> pd.DataFrame:
    """The gemeente and its group side by side, as the viewer may see them (each gemeente protected by its
    own rights), ranked on `maat` among the visible values, best first; the gemeente itself marked."""
    leden = list(dict.fromkeys([eigen, *codes]))
    from herstelmonitor import deelname as d

    shown = d.protected(table.loc[leden].reset_index(), viewer).set_index("gemeentecode")
    out = pd.DataFrame({"Gemeente": [shown.at[c, "gemeentenaam"] + (" (deze gemeente)" if c == eigen else "")
                                     for c in leden]}, index=leden)
    out["Plaats"] = rang(shown[maat], VERGELIJK[maat])
    for col in VERGELIJK:
        out[metric(col).label] = shown[col].map(lambda v, col=col: figure(col, v))
    out = out.sort_values("Plaats", na_position="last", kind="stable")  # ties keep the group order, not the exact values
    out["Plaats"] = out["Plaats"].map(lambda v: LEEG if pd.isna(v) else f"{v}")
    return out.rename_axis("Gemeentecode").reset_index()


def eigen_rang_tekst(tabel: pd.DataFrame, eigen: str, maat: str) -> str:
    """'Plaats 3 van 8 op <the figure's label>' (of the gemeenten whose figure is visible)."""
    rij = tabel[tabel["Gemeentecode"] == eigen].iloc[0]
    zichtbaar = (tabel["Plaats"] != LEEG).sum()
    naam = metric(maat).label.lower()
    if rij["Plaats"] == LEEG:
        return f"Geen plaats op {naam}: te weinig ouders om te vergelijken."
    return f"Plaats **{rij['Plaats']}** van {zichtbaar} op {naam}."


def signal_sentences(con, code: str, peildata: list[date], peildatum: date, viewer) -> list[tuple[str, str, str]]:
    """This gemeente's own achtervang signals at `peildatum` (default thresholds): (label, since when, a
    sentence with its own figures), as on the Achtervang page."""
    from herstelmonitor import achtervang as av

    thresholds = av.defaults()
    hist = av.history(con, peildata, peildatum, thresholds)
    lijst = av.needs_achtervang(hist[hist["gemeentecode"] == code], peildatum, thresholds, viewer)
    if lijst.empty:
        return []
    return av.reasons(lijst.iloc[0].to_dict(), peildata[0], peildatum)


def deel_link(code: str, peildatum: date, groep: list[str]) -> str:
    """The address (relative to the app) that opens this comparison for someone else."""
    return f"gemeente?gemeente={code}&peildatum={peildatum.isoformat()}&vergelijk={','.join(groep)}"


def naast_export(naast: pd.DataFrame, peildatum: date, groepnaam: str, maat: str) -> pd.DataFrame:
    """The side-by-side table for download, with the peildatum, the group and the ranking measure in it."""
    out = naast.copy()
    out.insert(0, "Rangschikking op", metric(maat).label)
    out.insert(0, "Vergelijkingsgroep", groepnaam)
    out.insert(0, "Peildatum", datum_kort(peildatum))
    return out
