"""The support measures shared by the Deelname and Gemeente pages: size classes, life domains, the support
funnel, and the support figures per gemeente, peer group, provincie and nation (queries/deelname_steun.sql)
and over time (the stored metrics table)."""
from datetime import date

import pandas as pd

from herstelmonitor import config, metrics
from herstelmonitor.queries import run

# Size classes by inhabitants: (lower bound, label). Defined here only; the SQL gets the bounds.
GROOTTEKLASSEN = (
    (0, "minder dan 20.000 inwoners"),
    (20_000, "20.000 tot 50.000 inwoners"),
    (50_000, "50.000 tot 100.000 inwoners"),
    (100_000, "100.000 inwoners of meer"),
)
GROOTTEKLASSEN_KORT = ("< 20.000", "20.000–50.000", "50.000–100.000", "≥ 100.000")

LEEFGEBIEDEN = {
    "financien": "Financiën en schulden",
    "wonen": "Wonen",
    "werk": "Werk en inkomen",
    "zorg": "Zorg en gezondheid",
    "gezin": "Gezin en opvoeding",
}

# The support funnel, in order: from details shared to finished, then the two ways out.
FUNNEL = ("gegevens_gedeeld", "in_contact", "plan_van_aanpak", "ondersteuning_loopt", "afgerond",
          "hulp_afgewezen", "niet_bereikbaar")
COMPENSATIE = ("aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
               "integrale_beoordeling_afgerond", "wachtend_op_eerste_toets")
LG_PCT = tuple(f"lg_{k}_pct" for k in LEEFGEBIEDEN)


def size_class_bounds() -> list[int]:
    return [bound for bound, _ in GROOTTEKLASSEN[1:]]


def steun(con, van: date, tot: date) -> pd.DataFrame:
    """queries/deelname_steun.sql: support per gemeente, peer group, provincie and national."""
    return run(con, "deelname_steun", van=van, tot=tot, bereik_weken=config.reach_weeks(),
               grenzen=size_class_bounds())


def history(con, van: date, tot: date) -> pd.DataFrame:
    """The national metrics per peildatum in [van, tot] (index: peildatum), as ingest stored them."""
    return metrics.national(con, van, tot)
