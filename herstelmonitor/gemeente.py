"""The gemeente page: one gemeente's funnel over the peildata, its parents' compensation, the life domains
that come up, and a comparison with similar gemeenten (same provincie and size class) and the nation.

A gemeente's history is its rows of the stored metrics table (queries/metrieken_gemeente.sql, with the
gemeente as a parameter), so every figure keeps its one definition.
"""
from dataclasses import dataclass
from datetime import date

import pandas as pd

from herstelmonitor import config, metrics, ondersteuning
from herstelmonitor.format import datum, getal
from herstelmonitor.privacy import protect
from herstelmonitor.queries import metric, run, signal_definitions

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


def signal_reasons(con, code: str, peildatum: date) -> list[tuple[str, str]]:
    """The achtervang signals firing for this gemeente at peildatum: (label, why), why with the thresholds."""
    row = metrics.signals(con, peildatum, peildatum).set_index("gemeentecode").loc[code]
    thresholds = config.achtervang_defaults()
    labels = signal_definitions()
    return [(labels[s][0], labels[s][1].format(**thresholds)) for s in metrics.fired(row)]


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
