"""Hand-made extracts for the achtervang signals: one gemeente per edge of a threshold, at one peildatum.

Each gemeente is built to make exactly the signals in its `fires` set go off under the default thresholds
(config/herstelmonitor.toml) and to keep the others quiet; its parents are described by how many days
before the peildatum things happened. `write(folder)` writes the three extracts as CSV for ingest, listed
as synthetic sample data (no real parents), so the dashboard shows them without sign-in.
"""
import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from herstelmonitor.ingest import mark_as_sample

P = date(2021, 6, 30)


@dataclass(frozen=True)
class Ouder:
    shared_ago: int                # details shared this many days before P
    delay: int | None = None       # days from sharing to first contact; None: not contacted
    plan_ago: int | None = None    # plan of action this many days before P
    status: str | None = None      # default: ondersteuning_loopt when contacted, else nog_geen_contact


@dataclass(frozen=True)
class Gemeente:
    code: str
    why: str
    ouders: list[Ouder]
    fires: set[str] = field(default_factory=set)
    aangesloten: bool = True


def gezond(n: int) -> list[Ouder]:
    """Parents shared long ago, contacted after 10 days, with a plan 5 days before P: no signal."""
    return [Ouder(100, 10, 5) for _ in range(n)]


def recent(n: int) -> list[Ouder]:
    """Parents shared 20 days ago (too recent for reach), contacted and planned recently: keeps a gemeente
    active without counting in its reach."""
    return [Ouder(20, 5, 2) for _ in range(n)]


def niet_bereikt(n: int, shared_ago: int) -> list[Ouder]:
    return [Ouder(shared_ago) for _ in range(n)]


def wachttijden(delays: list[int]) -> list[Ouder]:
    return [Ouder(100, d, 5) for d in delays]


def stil(n: int, last_ago: int) -> list[Ouder]:
    """Open parents whose only activity, the first contact, was `last_ago` days before P."""
    return [Ouder(last_ago + 14, 14, None, "in_gesprek") for _ in range(n)]


GEMEENTEN = [
    # niet_aangesloten: at least 5 parents with shared details and not joined.
    Gemeente("GM0037", "5 ouders gedeeld, niet aangesloten", gezond(5), {"niet_aangesloten"}, aangesloten=False),
    Gemeente("GM0047", "4 ouders gedeeld, niet aangesloten", gezond(4), aangesloten=False),
    # laag_bereik: at least 5 parents shared 8+ weeks ago, reach below 50%.
    Gemeente("GM0050", "bereik precies 50% (5 van 10)", wachttijden([10] * 5) + niet_bereikt(5, 100)),
    Gemeente("GM0059", "bereik 49,3% (35 van 71)", wachttijden([10] * 35) + niet_bereikt(36, 100), {"laag_bereik"}),
    Gemeente("GM0060", "5 ouders in de meting, niemand bereikt", niet_bereikt(5, 60) + recent(3), {"laag_bereik"}),
    Gemeente("GM0072", "4 ouders in de meting, niemand bereikt", niet_bereikt(4, 60) + recent(3)),
    Gemeente("GM0074", "gedeeld precies 8 weken geleden, niemand bereikt", niet_bereikt(5, 56) + recent(3), {"laag_bereik"}),
    Gemeente("GM0080", "gedeeld 55 dagen geleden, niemand bereikt", niet_bereikt(5, 55) + recent(3)),
    # trage_start: at least 5 parents contacted, median days from sharing to contact above 42.
    Gemeente("GM0085", "mediaan precies 42 dagen", wachttijden([40, 41, 42, 43, 44])),
    Gemeente("GM0086", "mediaan 43 dagen", wachttijden([41, 42, 43, 44, 45]), {"trage_start"}),
    Gemeente("GM0088", "4 bereikte ouders, 60 dagen", wachttijden([60] * 4)),
    Gemeente("GM0090", "5 bereikte ouders, 60 dagen", wachttijden([60] * 5), {"trage_start"}),
    # stilstand: at least 5 open parents, nothing in the 8 weeks up to P.
    Gemeente("GM0093", "laatste activiteit precies 8 weken geleden", stil(5, 56), {"stilstand"}),
    Gemeente("GM0096", "laatste activiteit 55 dagen geleden", stil(5, 55)),
    Gemeente("GM0098", "4 open, 100 dagen stil", stil(4, 100)),
    Gemeente("GM0106", "5 open, 100 dagen stil", stil(5, 100), {"stilstand"}),
]

AANMELDINGEN = ["ouder_id", "aanmelddatum", "gemeentecode", "gegevens_gedeeld_datum", "eerste_toets_datum",
                "eerste_toets_uitkomst", "forfait_betaald_datum", "integrale_beoordeling_datum", "compensatie_bedrag"]
ONDERSTEUNING = ["ouder_id", "gemeentecode", "status", "eerste_contact_datum", "plan_datum", "afgerond_datum",
                 "lg_financien", "lg_wonen", "lg_werk", "lg_zorg", "lg_gezin"]


def ago(days: int | None) -> str:
    return "" if days is None else (P - timedelta(days=days)).isoformat()


def write(folder: Path, gemeenten: list[Gemeente] = GEMEENTEN) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    aanmeldingen, ondersteuning = [], []
    for g in gemeenten:
        for i, o in enumerate(g.ouders, 1):
            oid = f"R{g.code[2:]}{i:03d}"
            aanmeldingen.append([oid, ago(o.shared_ago + 30), g.code, ago(o.shared_ago), "", "", "", "", "0"])
            contact = None if o.delay is None else o.shared_ago - o.delay
            status = o.status or ("ondersteuning_loopt" if contact is not None else "nog_geen_contact")
            ondersteuning.append([oid, g.code, status, ago(contact), ago(o.plan_ago), "", *["false"] * 5])
    deelname = [[g.code, "2021-01-01" if g.aangesloten else "", ""] for g in gemeenten]
    for kind, header, rows in (("aanmeldingen", AANMELDINGEN, aanmeldingen),
                               ("ondersteuning", ONDERSTEUNING, ondersteuning),
                               ("deelname", ["gemeentecode", "aangesloten_datum", "centrumgemeente"], deelname)):
        with open(folder / f"{kind}_{P.isoformat()}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    mark_as_sample(folder)
    return folder
