"""Regions and centrumgemeenten: divisions of the gemeenten into regions, the load per region, and a
transparent score for choosing a centrumgemeente in each region (issue 5, page pages/regio.py).

The flow:
- `gemeenten(con, peildatum)`: one row per gemeente with the figures the page uses. Registered parents,
  bereik_pct, time to first contact and participation come from herstelmonitor.metrics (one definition);
  the achtervang signal from metrics.signals; the rest from queries/regio_basis.sql.
- `indelen(frame, indeling, eigen)`: adds `regio` and `regionaam` for a division: provincie, COROP, the
  existing arrangement (deelname.centrumgemeente) or an uploaded CSV (`lees_indeling`).
- `bereken(ingedeeld, gewichten, klein)`: per gemeente the share of its region and the score
  (queries/regio_gemeenten.sql), per region the load (queries/regio_regios.sql). The measures are
  documented in those queries and listed on "Over de cijfers".
- `wat_als` / `keuzelijst`: the gemeenten a chosen centrumgemeente would serve, per region; the list for
  a coordinator's meeting, with the reasons.
"""
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from herstelmonitor import config, db, kaart, metrics, privacy, theme
from herstelmonitor.format import LEEG, datum, dagen, getal, pct, telwoord
from herstelmonitor.gedeeld import per_version
from herstelmonitor.queries import metric, run, signal_definitions
from herstelmonitor.veilig import tekst as als_tekst

GEEN_REGIO = "geen regio"
# The names of the figures, as in the glossary (the metric catalogue).
BEREIK, MEDIAAN = metric("bereik_pct").label, metric("doorlooptijd_contact_mediaan").label
CODE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class Indeling:
    """A division of the gemeenten into regions."""
    sleutel: str  # 'provincie', 'corop', 'bestaand', or 'eigen'
    naam: str  # Dutch, as the page shows it


INDELINGEN = (
    Indeling("provincie", "Provincie"),
    Indeling("corop", "COROP-regio"),
    Indeling("bestaand", "Bestaande indeling centrumgemeenten"),
)


@dataclass(frozen=True)
class Gewichten:
    """Weights of the four score components (any non-negative numbers; the score divides by their sum)."""
    aandeel: float = 0.5
    bereik: float = 0.2
    snelheid: float = 0.2
    aangesloten: float = 0.1

    def params(self) -> dict:
        return {"w_aandeel": self.aandeel, "w_bereik": self.bereik, "w_snelheid": self.snelheid,
                "w_aangesloten": self.aangesloten}

    @property
    def geldig(self) -> bool:
        return min(self.aandeel, self.bereik, self.snelheid, self.aangesloten) >= 0 and sum(self.params().values()) > 0


# ---------------------------------------------------------------------------------------------------------
# Figures per gemeente

@per_version
def gemeenten(con: duckdb.DuckDBPyConnection, peildatum: date) -> pd.DataFrame:
    """One row per gemeente of the reference list at `peildatum`: names, provincie, COROP, households with
    children, aangemeld, bereik_pct (and the parents it is built on, bereik_basis), doorlooptijd_contact_mediaan
    (median days from sharing to first contact), in_contact, aangesloten(_sinds), signaal (any achtervang signal), signalen
    (the list of signals that fire) and bestaande_regio (the existing arrangement)."""
    basis = run(con, "regio_basis", peildatum=peildatum)
    m = metrics.per_gemeente(con, peildatum)
    sig = metrics.signals(con, peildatum, peildatum).set_index("gemeentecode")
    basis = basis.join(m[["aangemeld", "in_contact", "bereik_pct", "bereik_basis", "doorlooptijd_contact_mediaan",
                          "gemeenten_aangesloten"]], on="gemeentecode")
    basis["aangesloten"] = basis.pop("gemeenten_aangesloten").fillna(0).astype(bool)
    fired = sig[list(metrics.SIGNALS)].fillna(False).astype(bool)
    basis["signaal"] = basis["gemeentecode"].map(fired.any(axis=1)).fillna(False).astype(bool)
    lijsten = fired.apply(lambda r: [s for s in metrics.SIGNALS if r[s]], axis=1)
    basis["signalen"] = [lijsten.get(c, []) for c in basis["gemeentecode"]]
    return basis


def indelen(frame: pd.DataFrame, indeling: str, eigen: pd.DataFrame | None = None) -> pd.DataFrame:
    """`frame` (from gemeenten()) with `regio` (code) and `regionaam` for a division. 'bestaand': the region
    of a centrumgemeente and the gemeenten it serves, named after the centrumgemeente. 'eigen': the
    uploaded division (from lees_indeling). Gemeenten in no region get regio 'geen regio'."""
    out = frame.copy()
    if indeling == "provincie":
        out["regio"], out["regionaam"] = out["provinciecode"], out["provincienaam"]
    elif indeling == "corop":
        out["regio"], out["regionaam"] = out["coropcode"], out["coropnaam"]
    elif indeling == "bestaand":
        namen = out.set_index("gemeentecode")["gemeentenaam"]
        out["regio"] = out["bestaande_regio"]
        out["regionaam"] = "Regio " + out["regio"].map(namen).fillna(out["regio"])
    elif indeling == "eigen":
        if eigen is None:
            raise ValueError("eigen indeling zonder bestand")
        regio = out["gemeentecode"].map(eigen.set_index("gemeentecode")["regio"])
        out["regio"], out["regionaam"] = regio, regio
    else:
        raise ValueError(f"onbekende indeling {indeling!r}")
    geen = out["regio"].isna() | (out["regio"] == GEEN_REGIO)
    out.loc[geen, "regio"], out.loc[geen, "regionaam"] = GEEN_REGIO, "Geen regio"
    return out


def afgeschermd(ingedeeld: pd.DataFrame, viewer) -> pd.DataFrame:
    """The per-gemeente input as this viewer may know it (privacy: rounding). For each gemeente the viewer
    may not see exactly: aangemeld, in_contact and bereik_basis rounded to a multiple of 5, counts of 1 to 4
    as 0 with a flag (`klein_aangemeld`, `klein_bereik`, `klein_contact`: shown as "<5" or "-"),
    bereik_pct recomputed from the rounded counts, and the median time to contact dropped below 5 parents.
    Everything the page computes from this (region totals, shares, rates, scores, the what-if, the list)
    is then a function of what the viewer may see: a total minus its shown members is a multiple of 5."""
    out = ingedeeld.copy()
    hidden = ~out["gemeentecode"].map(viewer.exact_for).astype(bool)
    out["klein_aangemeld"] = out["klein_bereik"] = out["klein_contact"] = False
    if not hidden.any():
        return out
    bereikt = [privacy.part_of(p, b) for p, b in zip(out["bereik_pct"], out["bereik_basis"])]
    share = [privacy.rounded_share(r, b) for r, b in zip(bereikt, out["bereik_basis"])]
    for col, flag in (("aangemeld", "klein_aangemeld"), ("bereik_basis", "klein_bereik"), ("in_contact", "klein_contact")):
        r = out[col].map(privacy.rounded)
        out[flag] = hidden & r.isna() & out[col].notna()
        out[col] = out[col].where(~hidden, r.fillna(0)).astype(out[col].dtype)
    out["bereik_pct"] = out["bereik_pct"].where(~hidden, pd.Series(share, index=out.index, dtype="float64"))
    out["doorlooptijd_contact_mediaan"] = out["doorlooptijd_contact_mediaan"].where(
        ~(hidden & (out["in_contact"] < privacy.threshold())))
    return out


# ---------------------------------------------------------------------------------------------------------
# Score and load per region

INVOER = ["gemeentecode", "gemeentenaam", "regio", "regionaam", "aangemeld", "bereik_pct", "bereik_basis",
          "doorlooptijd_contact_mediaan", "in_contact", "aangesloten", "aangesloten_sinds", "signaal", "huishoudens_met_kinderen"]


def bereken(ingedeeld: pd.DataFrame, gewichten: Gewichten = Gewichten(), klein: int = 50,
            met_signaal: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per gemeente with aandeel_regio_pct, per_1000_huishoudens_met_kinderen, the four score components,
    kwaliteit, score, score_oud, kandidaat, rang and rang_oud; per region with its load) for a divided frame
    from indelen(). `met_signaal`: gemeenten that need achtervang are candidates too (ranked, with a warning).

    The two queries read the page's division of the gemeenten as the table `regio_invoer`, not the database:
    they run on a private in-memory DuckDB, so the shared (cached, read-only) database connection is not
    involved and nothing is cached under parameters that do not identify the input."""
    if not gewichten.geldig:
        raise ValueError("De gewichten moeten 0 of meer zijn en samen meer dan 0.")
    con = db.connect(":memory:")
    try:
        con.register("regio_invoer", ingedeeld[INVOER])
        per_gemeente = run(con, "regio_gemeenten", min_ouders=config.small_count_threshold(),
                           met_signaal=bool(met_signaal), **gewichten.params())
        regios = run(con, "regio_regios", klein=int(klein))
    finally:
        con.close()
    extra = [c for c in ingedeeld.columns if c not in per_gemeente.columns]
    per_gemeente = per_gemeente.merge(ingedeeld[["gemeentecode", *extra]], on="gemeentecode")
    per_gemeente["rang"] = per_gemeente["rang"].astype("Int64")
    per_gemeente["rang_oud"] = per_gemeente["rang_oud"].astype("Int64")
    return per_gemeente, regios


def doorgerekend(con: duckdb.DuckDBPyConnection, peildatum: date, indeling: str, eigen: pd.DataFrame | None, viewer,
                 gewichten: Gewichten, klein: int, met_signaal: bool) -> tuple[pd.DataFrame, ...]:
    """What the page shows, for a division and the page's choices: (per_gemeente and regios from bereken()
    on the viewer's afgeschermd() figures, teksten(), kandidaten(), regiotabel()). For an existing division
    this is computed once per data version, choices and role class and shared by every session
    (gedeeld.per_version); an uploaded division stays in its session and is computed there."""
    if indeling == "eigen":
        return _doorrekenen(con, peildatum, indeling, eigen, viewer, gewichten, klein, met_signaal)
    return _gedeeld(con, peildatum, indeling, viewer, gewichten, klein, met_signaal)


def _doorrekenen(con, peildatum, indeling, eigen, viewer, gewichten, klein, met_signaal) -> tuple[pd.DataFrame, ...]:
    ingedeeld = indelen(gemeenten(con, peildatum), indeling, eigen)
    per_gemeente, regios = bereken(afgeschermd(ingedeeld, viewer), gewichten, klein, met_signaal)
    t = teksten(per_gemeente, viewer)
    kand = kandidaten(t)
    return per_gemeente, regios, t, kand, regiotabel(regios, kand, klein)


@per_version
def _gedeeld(con, peildatum, indeling, viewer, gewichten, klein, met_signaal) -> tuple[pd.DataFrame, ...]:
    return _doorrekenen(con, peildatum, indeling, None, viewer, gewichten, klein, met_signaal)


# ---------------------------------------------------------------------------------------------------------
# Display: protected and formatted the Dutch way

def tonen(frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregates (regions, the what-if, the meeting list) with their counts written the Dutch way ('1.234').
    They are computed by bereken() from afgeschermd() figures: sums of what the viewer may see of each
    gemeente, so they are only formatted (rounding them again would let 'total minus shown members' differ
    from 0). Which columns are counts: the metric catalogue."""
    out = frame.copy()
    for col in (c for c, k in privacy.catalogue_kinds(out.columns).items() if k.kind == privacy.COUNT):
        out[col] = out[col].map(lambda v: v if isinstance(v, str) else getal(v))
    return out


def teksten(per_gemeente: pd.DataFrame, viewer) -> pd.DataFrame:
    """Per gemeente the figures as text for tables, tooltips and reasons, small counts protected:
    t_ouders, t_per_1000, t_aandeel, t_bereik, t_mediaan, t_aangesloten, t_signaal."""
    if "klein_aangemeld" not in per_gemeente.columns:
        raise ValueError("teksten() needs bereken() of afgeschermd(): the figures as the viewer may know them")
    f = per_gemeente.copy()
    klein = f["klein_aangemeld"]
    f["t_per_1000"] = f["per_1000_huishoudens_met_kinderen"].map(lambda v: getal(v, 1)).where(~klein, LEEG)
    f["t_aandeel"] = f["aandeel_regio_pct"].map(lambda v: pct(v, 0)).where(~klein, LEEG)
    f["t_bereik"] = f["bereik_pct"].map(lambda v: pct(v, 0))
    f["t_mediaan"] = f["doorlooptijd_contact_mediaan"].map(dagen)
    f["t_ouders"] = f["aangemeld"].map(getal).where(~klein, privacy.marker())
    # A base of 1 to 4, or a share whose part is "<5": no percentage or median to show.
    f["t_bereik"] = f["t_bereik"].where(~(f["klein_bereik"] | (f["bereik_pct"].isna() & (f["bereik_basis"] > 0))),
                                        LEEG)
    f["t_mediaan"] = f["t_mediaan"].where(~(f["klein_contact"] | (f["doorlooptijd_contact_mediaan"].isna() & (f["in_contact"] > 0))),
                                          LEEG)
    out = f
    out["t_aangesloten"] = f["aangesloten_sinds"].map(lambda d: f"sinds {datum(d)}" if pd.notna(d) else "nee")
    namen = {s: label.lower() for s, (label, _) in signal_definitions().items()}
    f["t_signaal"] = f["signalen"].map(lambda s: f"ja ({', '.join(namen[x] for x in s)})" if s else "nee")
    return f


def reden(row) -> str:
    """Why a gemeente scores as it does, from its (protected) figures: 'Rotterdam: 38% van de ouders in
    de regio, bereik 84%, mediaan 18 dagen tot contact, aangesloten sinds 1 februari 2021'."""
    n = config.small_count_threshold()
    aandeel = ("geen aangemelde ouders" if row.t_ouders == "0"
               else f"minder dan {n} aangemelde ouders" if row.t_aandeel == LEEG
               else f"{row.t_aandeel} van de ouders in de regio")
    bereik = (f"bereik {row.t_bereik}" if row.t_bereik != LEEG
              else "bereik niet bekend (te weinig ouders)")
    mediaan = (f"mediaan {row.t_mediaan} tot contact" if row.t_mediaan != LEEG
               else "tijd tot contact niet bekend (te weinig ouders)")
    aangesloten = f"aangesloten {row.t_aangesloten}" if row.t_aangesloten != "nee" else "niet aangesloten"
    return f"{row.gemeentenaam}: {aandeel}, {bereik}, {mediaan}, {aangesloten}"


def achtervang_tekst(row) -> str:
    """'' for a gemeente without signal, else the warning: 'heeft zelf achtervang nodig (trage start)'."""
    if not row.signaal:
        return ""
    namen = {s: label.lower() for s, (label, _) in signal_definitions().items()}
    return f"heeft zelf achtervang nodig ({', '.join(namen[s] for s in row.signalen)})"


def kandidaten(t: pd.DataFrame) -> pd.DataFrame:
    """The gemeenten in a region (rows of teksten()), candidates first by rank within their region, then the
    members that are no candidate (rank empty: they need achtervang), with their reason and warning."""
    k = t[t["regio"] != GEEN_REGIO].copy()
    k["reden"] = [reden(r) for r in k.itertuples()]
    k["waarschuwing"] = [achtervang_tekst(r) for r in k.itertuples()]
    return k.sort_values(["regionaam", "regio", "rang", "score"], ascending=[True, True, True, False],
                         na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# The map's measures

MATEN = {
    "aangemeld": "Aangemelde ouders",
    "per_1000": "Aangemeld per 1.000 huishoudens met kinderen",
    "bereik": metric("bereik_pct").label,
    "signaal": "Achtervangsignaal",
}


def kaart_klassen(t: pd.DataFrame, maat: str) -> tuple[pd.Series, kaart.Schaal, str]:
    """Colour classes for one measure of MATEN, from teksten(): (class per row, scale, legend note).
    A measure built on fewer than 5 parents never gets its own colour: registered parents below 5 share
    the first class; the rate and reach of such gemeenten go to a grey class."""
    n = config.small_count_threshold()
    if maat == "aangemeld":
        grenzen = kaart.nette_grenzen(t["aangemeld"], 5, ondergrens=n)
        klasse, schaal = kaart.klassen(t["aangemeld"], grenzen, kaart.PALET_LAST, MATEN[maat])
        return klasse, schaal, f"Alle gemeenten met minder dan {n} ouders hebben één kleur."
    if maat == "per_1000":
        weinig = t["aangemeld"] < n
        waarde = t["per_1000_huishoudens_met_kinderen"]
        grenzen = kaart.nette_grenzen(waarde[~weinig], 5)
        klasse, schaal = kaart.klassen(waarde, grenzen, kaart.PALET_LAST, MATEN[maat], te_weinig=weinig,
                                       te_weinig_label=f"minder dan {n} ouders")
        return klasse, schaal, "Huishoudens met kinderen: CBS 2023."
    if maat == "bereik":
        drempel = config.achtervang_defaults()["laag_bereik_max_pct"]
        klasse, schaal = kaart.klassen(t["bereik_pct"], [drempel, *(g for g in (70, 85, 95) if g > drempel)], kaart.PALET_BEREIK, MATEN[maat],
                                       eenheid="%", te_weinig=(t["bereik_basis"] < n) | t["bereik_pct"].isna(),
                                       te_weinig_label=f"minder dan {n} ouders na {telwoord(config.reach_weeks())} weken")
        return klasse, schaal, f"Onder {drempel}% gaat het signaal 'laag bereik' af."
    if maat == "signaal":
        klasse, schaal = kaart.categorieen(t["signaal"], {True: ("minstens één signaal", theme.KAART_SIGNAAL),
                                                           False: ("geen signaal", theme.KAART_GEEN_SIGNAAL)}, MATEN[maat])
        return klasse, schaal, "Signalen en drempels: zie Over de cijfers."
    raise ValueError(f"onbekende maat {maat!r}")


# ---------------------------------------------------------------------------------------------------------
# What-if and the meeting list

def gekozen(kand: pd.DataFrame, keuzes: dict[str, str]) -> pd.Series:
    """The centrumgemeente per region: the own choice in `keuzes` (regio -> gemeentecode) when that gemeente
    is in the region, else the top candidate."""
    top = kand[kand["rang"] == 1].set_index("regio")["gemeentecode"]
    geldig = {r: c for r, c in keuzes.items() if ((kand["regio"] == r) & (kand["gemeentecode"] == c)).any()}
    return top.where(~top.index.isin(list(geldig)), pd.Series(geldig).reindex(top.index))


def wat_als(kand: pd.DataFrame, regio: str, centrum: str) -> tuple[pd.DataFrame, dict]:
    """The gemeenten `centrum` would serve in `regio` (the others of the region) and the totals: gemeenten,
    parents, parents in gemeenten with an achtervang signal, parents in the region (sums of afgeschermd()
    figures: format with tonen() before showing)."""
    in_regio = kand[kand["regio"] == regio]
    bediend = in_regio[in_regio["gemeentecode"] != centrum].sort_values("aangemeld", ascending=False)
    return bediend, {
        "gemeenten_bediend": len(bediend),
        "ouders_bediend": int(bediend["aangemeld"].sum()),
        "ouders_bediend_signaal": int(bediend.loc[bediend["signaal"], "aangemeld"].sum()),
        "gemeenten_met_signaal": int(bediend["signaal"].sum()),
        "regio_ouders": int(in_regio["aangemeld"].sum()),
    }


def keuzelijst(kand: pd.DataFrame, keuzes: dict[str, str]) -> pd.DataFrame:
    """Per region the chosen centrumgemeente (top candidate unless chosen otherwise) with its rank, score and
    reason, and what it would serve. Raw counts: pass through tonen() before showing."""
    keuze = gekozen(kand, keuzes)
    k = kand.assign(centrum=kand["regio"].map(keuze))
    k["bediend"] = k["gemeentecode"] != k["centrum"]
    # @metric ouders_bediend | count | Ouders in bediende gemeenten | De aangemelde ouders in de gemeenten die de gekozen centrumgemeente zou bedienen: de andere gemeenten van haar regio. De ouders in de centrumgemeente zelf tellen niet mee.
    k["ouders_bediend"] = k["aangemeld"].where(k["bediend"], 0)
    # @metric ouders_bediend_signaal | count | Van hen in gemeente met achtervangsignaal | Van de ouders in bediende gemeenten: die in een gemeente wonen waar nu minstens één achtervangsignaal afgaat.
    k["ouders_bediend_signaal"] = k["aangemeld"].where(k["bediend"] & k["signaal"], 0)
    per_regio = k.groupby("regio", sort=False).agg(
        regio_ouders=("aangemeld", "sum"), gemeenten_bediend=("bediend", "sum"),
        ouders_bediend=("ouders_bediend", "sum"), ouders_bediend_signaal=("ouders_bediend_signaal", "sum"))
    per_regio["bediende_gemeenten"] = (k[k["bediend"]].groupby("regio")["gemeentenaam"]
                                       .agg(lambda s: ", ".join(sorted(s))).reindex(per_regio.index).fillna(""))
    top = k[k["rang"] == 1].set_index("regio")["gemeentenaam"]
    rijen = k[~k["bediend"]].set_index("regio")
    # Every region gets a row, also one where every gemeente needs achtervang (no candidate, nobody chosen).
    lijst = per_regio.join(rijen[["gemeentecode", "gemeentenaam", "rang", "score", "reden", "waarschuwing"]])
    lijst.insert(0, "regionaam", k.groupby("regio", sort=False)["regionaam"].first())
    geen = lijst["gemeentenaam"].isna()
    lijst.loc[geen, ["gemeentenaam", "reden", "waarschuwing"]] = [
        LEEG, "alle gemeenten in de regio hebben zelf achtervang nodig", ""]
    lijst["keuze"] = [("geen kandidaat" if pd.isna(r.gemeentecode) else "topkandidaat" if pd.notna(r.rang) and r.rang == 1
                       else f"eigen keuze (topkandidaat: {top.get(i, LEEG)})") for i, r in lijst.iterrows()]
    return lijst.reset_index().sort_values(["regionaam", "regio"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# Uploaded division

class IndelingFout(ValueError):
    """An uploaded division that cannot be used; the message is Dutch and names the row and column."""


VERPLICHT = ("gemeentecode", "regio")
MAX_MELDINGEN = 10


def lees_indeling(inhoud: bytes, bekende_codes: set[str] | frozenset[str]) -> pd.DataFrame:
    """Read and check an uploaded division: CSV with a header line naming at least `gemeentecode` and
    `regio` (',' or ';' between fields, UTF-8 or Windows-1252). Every row needs a known gemeentecode
    (GM + 4 digits, in the 2023 list) and a non-empty regio; a gemeente may appear once. Gemeenten not in
    the file get no region. Returns columns gemeentecode, regio; raises IndelingFout listing the problems
    (row numbers as a spreadsheet shows them: the header is row 1)."""
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        tekst = inhoud.decode("cp1252", errors="replace")
    regels = tekst.splitlines()
    if not regels or not regels[0].strip():
        raise IndelingFout("Het bestand is leeg. Verwacht een kopregel `gemeentecode,regio` en één regel per gemeente.")
    scheiding = ";" if regels[0].count(";") > regels[0].count(",") else ","
    lezer = csv.reader(io.StringIO(tekst), delimiter=scheiding)
    kop = [k.strip().lower() for k in next(lezer)]
    ontbreekt = [k for k in VERPLICHT if k not in kop]
    if ontbreekt:
        raise IndelingFout(
            f"Kolom {' en '.join(f'`{k}`' for k in ontbreekt)} ontbreekt in de kopregel (rij 1). "
            # In a code span nothing is read as markup; only a backtick could end it.
            f"Gevonden kolommen: {', '.join(f'`{k.replace(chr(96), chr(39))}`' for k in kop if k) or 'geen'}. "
            "Verwacht een kopregel `gemeentecode,regio`.")
    i_code, i_regio = kop.index("gemeentecode"), kop.index("regio")
    fouten, rijen, gezien = [], [], {}
    for rij, velden in enumerate(lezer, start=2):
        if not any(v.strip() for v in velden):
            continue
        code = velden[i_code].strip().upper() if i_code < len(velden) else ""
        regio = velden[i_regio].strip() if i_regio < len(velden) else ""
        if not CODE.match(code):
            fouten.append(f"rij {rij}, kolom `gemeentecode`: '{als_tekst(code)}' is geen gemeentecode (GM en vier cijfers, bijvoorbeeld GM0599)."
                          if code else f"rij {rij}, kolom `gemeentecode`: leeg.")
        elif code not in bekende_codes:
            fouten.append(f"rij {rij}, kolom `gemeentecode`: {code} staat niet in de lijst van gemeenten van 2023 (CBS).")
        elif code in gezien:
            fouten.append(f"rij {rij}, kolom `gemeentecode`: {code} staat er al in (rij {gezien[code]}); een gemeente hoort bij één regio.")
        else:
            gezien[code] = rij
        if not regio:
            fouten.append(f"rij {rij}, kolom `regio`: leeg; elke gemeente in het bestand heeft een regio nodig.")
        rijen.append((code, regio))
    if fouten:
        meer = f" (en nog {len(fouten) - MAX_MELDINGEN} meldingen)" if len(fouten) > MAX_MELDINGEN else ""
        raise IndelingFout("De indeling is niet geladen; er is niets veranderd. Fouten:\n"
                           + "\n".join(f"- {f}" for f in fouten[:MAX_MELDINGEN]) + meer)
    if not rijen:
        raise IndelingFout("Het bestand heeft een kopregel maar geen gemeenten.")
    return pd.DataFrame(rijen, columns=["gemeentecode", "regio"])


# ---------------------------------------------------------------------------------------------------------
# Tables as the page shows and exports them (Dutch column names, protected, formatted)

def huidige_keuze(kand: pd.DataFrame) -> pd.DataFrame:
    """Per region: the current centrumgemeente(n) in it (from the deelname extract: a gemeente that heads its
    own arrangement) and whether the top candidate is one of them, in Dutch. Index regio."""
    rows = {}
    for regio_, groep in kand.groupby("regio", sort=False):
        huidig = groep[groep["gemeentecode"] == groep["bestaande_regio"]]
        top = groep[groep["rang"] == 1]
        namen = ", ".join(huidig["gemeentenaam"]) or LEEG
        if huidig.empty:
            oordeel = "geen huidige centrumgemeente" + (f"; topkandidaat: {top['gemeentenaam'].iloc[0]}" if len(top) else "")
        elif len(top) and top["gemeentecode"].iloc[0] in set(huidig["gemeentecode"]):
            oordeel = "ja"
        else:
            zwak = [f"{r.gemeentenaam} {r.waarschuwing}" for r in huidig.itertuples() if r.waarschuwing]
            oordeel = ("nee: topkandidaat is " + top["gemeentenaam"].iloc[0] if len(top) else "nee: geen kandidaat zonder achtervangsignaal") \
                + ("; " + "; ".join(zwak) if zwak else "")
        rows[regio_] = {"huidige_centrumgemeente": namen, "nog_beste_keuze": oordeel}
    return pd.DataFrame.from_dict(rows, orient="index")


def regiotabel(regios: pd.DataFrame, kand: pd.DataFrame, klein: int) -> pd.DataFrame:
    """The load per region, with the top candidate and whether the current centrumgemeente is still the best."""
    top = kand[kand["rang"] == 1].set_index("regio")["gemeentenaam"]
    huidig = huidige_keuze(kand)
    f = regios.assign(topkandidaat=regios["regio"].map(top).fillna(LEEG),
                      huidige_centrumgemeente=regios["regio"].map(huidig["huidige_centrumgemeente"]).fillna(LEEG),
                      nog_beste_keuze=regios["regio"].map(huidig["nog_beste_keuze"]).fillna(LEEG),
                      t_aandeel=regios["aandeel_grootste_pct"].map(lambda v: pct(v, 0)),
                      t_per_1000=regios["regio_per_1000_huishoudens_met_kinderen"].map(lambda v: getal(v, 1)))
    f = tonen(f)
    return f[["regionaam", "regio_gemeenten", "regio_ouders", "t_per_1000", "grootste_gemeente", "t_aandeel",
              "kleine_gemeenten", "ouders_met_signaal", "topkandidaat", "huidige_centrumgemeente",
              "nog_beste_keuze"]].rename(columns={
        "regionaam": "Regio", "regio_gemeenten": "Gemeenten", "regio_ouders": "Aangemelde ouders",
        "t_per_1000": "Per 1.000 huishoudens met kinderen", "grootste_gemeente": "Grootste gemeente",
        "t_aandeel": "Aandeel grootste gemeente", "kleine_gemeenten": f"Kleine gemeenten (< {getal(klein)} ouders)",
        "ouders_met_signaal": "Ouders in gemeenten met achtervangsignaal",
        "topkandidaat": "Topkandidaat centrumgemeente", "huidige_centrumgemeente": "Huidige centrumgemeente",
        "nog_beste_keuze": "Huidige nog de beste keuze?"})


PUNTEN = ("punt_aandeel", "punt_bereik", "punt_snelheid", "punt_aangesloten")


def kandidatentabel(kand: pd.DataFrame) -> pd.DataFrame:
    """The ranked candidates (of one region or all) with score, figures, score components and reasons."""
    f = kand.assign(t_score=kand["score"].map(lambda v: getal(v, 0)),
                    t_score_oud=kand["score_oud"].map(lambda v: getal(v, 0)),
                    **{p: kand[p].map(lambda v: getal(v, 2)) for p in PUNTEN})
    return f[["regionaam", "rang", "gemeentenaam", "waarschuwing", "t_score", "rang_oud", "t_score_oud", "t_ouders",
              "t_aandeel", "t_bereik", "t_mediaan", "t_aangesloten", *PUNTEN, "reden"]].rename(columns={
        "regionaam": "Regio", "rang": "Plaats", "gemeentenaam": "Gemeente", "waarschuwing": "Achtervang",
        "t_score": "Score", "rang_oud": "Plaats zonder begrenzing aandeel",
        "t_score_oud": "Score zonder begrenzing aandeel",
        "t_ouders": "Aangemelde ouders", "t_aandeel": "Aandeel van de regio", "t_bereik": BEREIK,
        "t_mediaan": MEDIAAN, "t_aangesloten": "Aangesloten", "punt_aandeel": "Punt aandeel",
        "punt_bereik": "Punt bereik", "punt_snelheid": "Punt snelheid", "punt_aangesloten": "Punt aangesloten",
        "reden": "Redenen"})


def bediendtabel(bediend: pd.DataFrame) -> pd.DataFrame:
    """The gemeenten a centrumgemeente would serve (rows of kandidaten())."""
    return bediend[["gemeentenaam", "t_ouders", "t_bereik", "t_mediaan", "t_aangesloten", "t_signaal"]].rename(columns={
        "gemeentenaam": "Bediende gemeente", "t_ouders": "Aangemelde ouders", "t_bereik": BEREIK,
        "t_mediaan": MEDIAAN, "t_aangesloten": "Aangesloten", "t_signaal": "Achtervangsignaal"})


def keuzetabel(kand: pd.DataFrame, keuzes: dict[str, str]) -> pd.DataFrame:
    """The meeting list: keuzelijst() (from afgeschermd() figures) formatted, one row per region."""
    f = tonen(keuzelijst(kand, keuzes))
    f["score"] = f["score"].map(lambda v: getal(v, 0))
    return f[["regionaam", "gemeentenaam", "keuze", "waarschuwing", "rang", "score", "reden", "gemeenten_bediend",
              "regio_ouders", "ouders_bediend", "ouders_bediend_signaal", "bediende_gemeenten"]].rename(columns={
        "regionaam": "Regio", "gemeentenaam": "Centrumgemeente", "keuze": "Keuze", "waarschuwing": "Achtervang",
        "rang": "Plaats",
        "score": "Score", "reden": "Redenen", "gemeenten_bediend": "Gemeenten bediend",
        "regio_ouders": "Aangemelde ouders in de regio", "ouders_bediend": "Ouders in bediende gemeenten",
        "ouders_bediend_signaal": "Van hen in gemeente met achtervangsignaal", "bediende_gemeenten": "Bediende gemeenten"})


def keuzes_tekst(indeling: str, gewichten: Gewichten, met_signaal: bool) -> str:
    """The choices behind the page's figures, for every download: division, weights, candidates."""
    w = gewichten
    return (f"indeling: {indeling}; gewichten aandeel {getal(w.aandeel, 2)}, bereik {getal(w.bereik, 2)}, snelheid "
            f"{getal(w.snelheid, 2)}, aangesloten {getal(w.aangesloten, 2)}; gemeenten met achtervangsignaal "
            + ("ook voorgesteld" if met_signaal else "niet voorgesteld"))


def bestandsnaam(*delen) -> str:
    """A download's file name without extension: 'keuzelijst-corop-2023-12-31'."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(str(d) for d in delen).lower()).strip("-")


KAART_KOLOMMEN = {
    "gemeentecode": "gemeentecode", "gemeentenaam": "gemeente", "regionaam": "regio", "t_ouders": "aangemelde ouders",
    "t_per_1000": "per 1.000 huishoudens met kinderen", "t_bereik": BEREIK.lower(),
    "t_mediaan": MEDIAAN.lower(), "t_aangesloten": "aangesloten", "t_signaal": "achtervangsignaal",
}


def kaarttabel(kaartdata: pd.DataFrame, maat: str) -> pd.DataFrame:
    """The figures behind the map, for download: teksten() with the colour class of the chosen measure."""
    return kaartdata[[*KAART_KOLOMMEN, "klasse"]].rename(
        columns=KAART_KOLOMMEN | {"klasse": f"kaartklasse ({MATEN[maat].lower()})"})
