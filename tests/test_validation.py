"""Validation of extracts at ingest (spec 2.4): broken files are refused as a whole with a Dutch message that
names file, row and column, and the database stays exactly as it was; good variants load.

Broken files are variants of the hand-made set in tests/fixtures/klein. Each is offered twice: for a new
peildatum (which must stay absent) and for a peildatum already loaded (whose rows must stay unchanged).
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from herstelmonitor import cli, db
from herstelmonitor.contract import COLUMNS, REQUIRED_KINDS
from herstelmonitor.ingest import ACCEPTED, REFUSED, UNCHANGED, extract_files, ingest
from tests.conftest import snapshot

ROOT = Path(__file__).resolve().parent.parent
KLEIN = Path(__file__).resolve().parent / "fixtures" / "klein"
NEW_P = "2021-09-30"  # not in the klein set
OLD_P = "2021-06-30"  # in the klein set (ISO, ',')
TARGETS = {"nieuwe-peildatum": NEW_P, "geladen-peildatum": OLD_P}
BSN = "111222333"  # 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11: passes the elfproef
NOT_BSN = "111222334"  # sum 65: fails the elfproef


def elfproef(s: str) -> bool:
    return len(s) == 9 and s.isdigit() and (sum((9 - i) * int(d) for i, d in enumerate(s[:8])) - int(s[8])) % 11 == 0


def test_bsn_constants():
    assert elfproef(BSN)
    assert not elfproef(NOT_BSN)


# --- helpers -------------------------------------------------------------------------------------------------

def read_fixture(kind: str, peil: str = OLD_P) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (as text) of a klein extract."""
    text = (KLEIN / f"{kind}_{peil}.csv").read_text(encoding="utf-8")
    delim = ";" if text.splitlines()[0].count(";") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delim)
    return list(reader.fieldnames), [dict(r) for r in reader]


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], delim: str = ",",
              encoding: str = "utf-8", newline: str = "\n") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delim, lineterminator=newline)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(c, "") for c in header])
    return path


def query(db_path: Path, sql: str, params=None) -> list[tuple]:
    con = db.connect(db_path, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def only(results, name: str):
    [r] = [r for r in results if r.name == name]
    return r


@pytest.fixture(scope="module")
def klein_template(tmp_path_factory) -> Path:
    """The klein set loaded once; tests work on a copy."""
    path = tmp_path_factory.mktemp("klein") / "template.duckdb"
    results = ingest(extract_files(KLEIN), path)
    assert [r.outcome for r in results] == [ACCEPTED] * 6, [(r.name, r.messages) for r in results]
    return path


@pytest.fixture
def loaded(klein_template, tmp_path) -> Path:
    path = tmp_path / "db" / "hm.duckdb"
    path.parent.mkdir()
    shutil.copyfile(klein_template, path)
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "extracts"
    d.mkdir()
    return d


def assert_refused_unchanged(db_path: Path, path: Path, expect_in_one_message: list[str] | None = None,
                             ids: list[str] = ()) -> list[str]:
    """Ingest a broken file into a loaded database: refused, the message names what it should, and the
    database (file and contents) is exactly as before."""
    before, version, data = snapshot(db_path), db.version(db_path), db_path.read_bytes()
    results = ingest([path], db_path)
    r = only(results, path.name)
    assert r.outcome == REFUSED, (r.outcome, r.messages)
    assert r.messages and all(path.name in m for m in r.messages), r.messages
    if expect_in_one_message:
        assert any(all(part in m for part in expect_in_one_message) for m in r.messages), \
            (expect_in_one_message, r.messages)
    for ouder_id in ids:
        assert not any(re.search(rf"(?<![A-Za-z0-9]){re.escape(ouder_id)}(?![A-Za-z0-9])", m) for m in r.messages), \
            (ouder_id, r.messages)
    assert db.version(db_path) == version, "the database file was rewritten for a refused file"
    assert db_path.read_bytes() == data
    assert snapshot(db_path) == before
    return r.messages


# --- one broken extract per rule ------------------------------------------------------------------------------

@dataclass
class Broken:
    id: str
    kind: str
    edit: Callable[[list[str], list[dict]], None]  # mutates header and rows in place
    rij: int
    kolom: str
    fragment: str


def put(index: int, **values: str):
    def edit(header, rows):
        rows[index].update(values)
    return edit


def drop_column(col: str):
    def edit(header, rows):
        header.remove(col)
    return edit


def append_copy(index: int, **values: str):
    def edit(header, rows):
        rows.append({**rows[index], **values})
    return edit


def extra_column(col: str, index: int, value: str):
    def edit(header, rows):
        header.append(col)
        for r in rows:
            r[col] = ""
        rows[index][col] = value
    return edit


# Rows of the 2021-06-30 files: data row i is spreadsheet row i + 2.
# aanmeldingen: 0 OU01 gedupeerd+forfait+integraal, 2 OU03 niet_gedupeerd (toets 2021-03-01), 3 OU04 no check
#   (aanmeld 2021-02-01, gedeeld 2021-04-01), 4 OU05 toets 2021-06-01 forfait 2021-06-15, 5 OU06.
# ondersteuning: 0 OU01 afgerond (contact 01-20, plan 02-01, afgerond 05-01), 1 OU02 ondersteuning_loopt
#   (contact 02-10, plan 03-01), 2 OU03 hulp_afgewezen (contact 03-01), 3 OU04 niet_bereikbaar,
#   4 OU05 nog_geen_contact, 5 OU06 in_gesprek (contact 05-15).
# deelname: 0 GM0599, 1 GM0034 (centrum GM0599), 2 GM0014, 3 GM0363.
BROKEN = [
    # missing required column
    Broken("a-kolom-ontbreekt", "aanmeldingen", drop_column("aanmelddatum"), 1, "aanmelddatum", "ontbreekt"),
    Broken("a-bedrag-ontbreekt", "aanmeldingen", drop_column("compensatie_bedrag"), 1, "compensatie_bedrag", "ontbreekt"),
    Broken("o-kolom-ontbreekt", "ondersteuning", drop_column("status"), 1, "status", "ontbreekt"),
    Broken("o-lg-ontbreekt", "ondersteuning", drop_column("lg_gezin"), 1, "lg_gezin", "ontbreekt"),
    Broken("d-kolom-ontbreekt", "deelname", drop_column("aangesloten_datum"), 1, "aangesloten_datum", "ontbreekt"),
    # unparseable date
    Broken("a-datum-30-feb", "aanmeldingen", put(2, aanmelddatum="2021-02-30"), 4, "aanmelddatum", "geen geldige datum"),
    Broken("a-datum-nl-31-feb", "aanmeldingen", put(3, gegevens_gedeeld_datum="31-02-2021"), 5,
           "gegevens_gedeeld_datum", "geen geldige datum"),
    Broken("a-datum-tekst", "aanmeldingen", put(0, integrale_beoordeling_datum="begin mei"), 2,
           "integrale_beoordeling_datum", "geen geldige datum"),
    Broken("a-datum-slashes", "aanmeldingen", put(4, eerste_toets_datum="01/06/2021"), 6,
           "eerste_toets_datum", "geen geldige datum"),
    Broken("o-datum", "ondersteuning", put(1, plan_datum="2021-13-01"), 3, "plan_datum", "geen geldige datum"),
    Broken("d-datum", "deelname", put(2, aangesloten_datum="juni 2021"), 4, "aangesloten_datum", "geen geldige datum"),
    # date after the peildatum
    Broken("a-na-peildatum", "aanmeldingen", put(3, gegevens_gedeeld_datum="2022-01-01"), 5,
           "gegevens_gedeeld_datum", "ligt na de peildatum"),
    Broken("a-aanmelding-na-peildatum", "aanmeldingen", put(11, aanmelddatum="01-01-2022"), 13,
           "aanmelddatum", "ligt na de peildatum"),
    Broken("o-na-peildatum", "ondersteuning", put(2, eerste_contact_datum="2022-01-01"), 4,
           "eerste_contact_datum", "ligt na de peildatum"),
    Broken("d-na-peildatum", "deelname", put(1, aangesloten_datum="2022-01-01"), 3,
           "aangesloten_datum", "ligt na de peildatum"),
    # missing required values
    Broken("a-aanmelddatum-leeg", "aanmeldingen", put(3, aanmelddatum=""), 5, "aanmelddatum", "aanmelddatum ontbreekt"),
    Broken("a-ouder-id-leeg", "aanmeldingen", put(6, ouder_id=" "), 8, "ouder_id", "ouder_id ontbreekt"),
    Broken("o-gemeentecode-leeg", "ondersteuning", put(5, gemeentecode=""), 7, "gemeentecode", "gemeentecode ontbreekt"),
    Broken("d-gemeentecode-leeg", "deelname", put(3, gemeentecode=""), 5, "gemeentecode", "gemeentecode ontbreekt"),
    # gemeentecode format
    Broken("a-code-3-cijfers", "aanmeldingen", put(1, gemeentecode="GM599"), 3, "gemeentecode", "geen gemeentecode"),
    Broken("a-code-kleine-letters", "aanmeldingen", put(1, gemeentecode="gm0599"), 3, "gemeentecode", "geen gemeentecode"),
    Broken("a-code-naam", "aanmeldingen", put(5, gemeentecode="Almere"), 7, "gemeentecode", "geen gemeentecode"),
    Broken("o-code", "ondersteuning", put(0, gemeentecode="0599"), 2, "gemeentecode", "geen gemeentecode"),
    Broken("d-centrumgemeente", "deelname", put(1, centrumgemeente="GM05990"), 3, "centrumgemeente", "geen gemeentecode"),
    # unknown status / uitkomst
    Broken("o-status-onbekend", "ondersteuning", put(2, status="in_behandeling"), 4, "status", "onbekende status"),
    Broken("o-status-hoofdletter", "ondersteuning", put(2, status="Afgerond"), 4, "status", "onbekende status"),
    Broken("o-status-leeg", "ondersteuning", put(3, status=""), 5, "status", "onbekende status"),
    Broken("a-uitkomst-onbekend", "aanmeldingen", put(2, eerste_toets_uitkomst="erkend"), 4,
           "eerste_toets_uitkomst", "onbekende uitkomst 'erkend'"),
    # uitkomst and date belong together
    Broken("a-uitkomst-zonder-datum", "aanmeldingen", put(3, eerste_toets_uitkomst="niet_gedupeerd"), 5,
           "eerste_toets_uitkomst", "uitkomst maar geen eerste_toets_datum"),
    Broken("a-datum-zonder-uitkomst", "aanmeldingen", put(2, eerste_toets_uitkomst=""), 4,
           "eerste_toets_uitkomst", "eerste_toets_datum maar geen uitkomst"),
    # forfait only for gedupeerd
    Broken("a-forfait-niet-gedupeerd", "aanmeldingen", put(2, forfait_betaald_datum="2021-03-15"), 4,
           "forfait_betaald_datum", "niet als gedupeerd"),
    Broken("a-forfait-zonder-toets", "aanmeldingen", put(3, forfait_betaald_datum="2021-03-15"), 5,
           "forfait_betaald_datum", "niet als gedupeerd"),
    # impossible order (aanmeldingen)
    Broken("a-betaling-voor-toets", "aanmeldingen", put(4, forfait_betaald_datum="2021-05-15"), 6,
           "forfait_betaald_datum", "betaling vóór de eerste toets (2021-05-15 vóór 2021-06-01)"),
    Broken("a-toets-voor-aanmelding", "aanmeldingen", put(2, eerste_toets_datum="2021-01-01"), 4,
           "eerste_toets_datum", "eerste toets vóór de aanmelding"),
    Broken("a-integraal-voor-aanmelding", "aanmeldingen", put(0, integrale_beoordeling_datum="2020-09-01"), 2,
           "integrale_beoordeling_datum", "integrale beoordeling vóór de aanmelding"),
    Broken("a-gedeeld-voor-aanmelding", "aanmeldingen", put(3, gegevens_gedeeld_datum="2021-01-01"), 5,
           "gegevens_gedeeld_datum", "gegevens gedeeld vóór de aanmelding"),
    # impossible order (ondersteuning)
    Broken("o-plan-voor-contact", "ondersteuning", put(1, plan_datum="2021-02-01"), 3,
           "plan_datum", "plan vóór het eerste contact"),
    Broken("o-afgerond-voor-plan", "ondersteuning", put(0, afgerond_datum="2021-01-25"), 2,
           "afgerond_datum", "afgerond vóór het plan"),
    Broken("o-afgerond-voor-contact", "ondersteuning", put(2, afgerond_datum="2021-02-01"), 4,
           "afgerond_datum", "afgerond vóór het eerste contact"),
    Broken("o-plan-zonder-contact", "ondersteuning", put(3, plan_datum="2021-05-01"), 5,
           "plan_datum", "plan_datum zonder eerste_contact_datum"),
    # contact date and status
    Broken("o-contact-bij-nog-geen-contact", "ondersteuning", put(4, eerste_contact_datum="2021-06-01"), 6,
           "eerste_contact_datum", "status nog_geen_contact heeft geen eerste_contact_datum"),
    Broken("o-contact-bij-niet-bereikbaar", "ondersteuning", put(3, eerste_contact_datum="2021-06-01"), 5,
           "eerste_contact_datum", "status niet_bereikbaar heeft geen eerste_contact_datum"),
    Broken("o-in-gesprek-zonder-contact", "ondersteuning", put(5, eerste_contact_datum=""), 7,
           "eerste_contact_datum", "status in_gesprek vraagt een eerste_contact_datum"),
    Broken("o-loopt-zonder-contact", "ondersteuning", put(1, eerste_contact_datum=""), 3,
           "eerste_contact_datum", "status ondersteuning_loopt vraagt een eerste_contact_datum"),
    # duplicates
    Broken("a-dubbele-ouder", "aanmeldingen", put(5, ouder_id="OU02"), 7, "ouder_id", "komt al voor in rij 3"),
    Broken("o-dubbele-ouder-gemeente", "ondersteuning", append_copy(1, status="in_gesprek", plan_datum=""), 9,
           "ouder_id", "komt al voor in rij 3"),
    Broken("d-dubbele-gemeente", "deelname", put(3, gemeentecode="GM0014"), 5, "gemeentecode", "komt al voor in rij 4"),
    # booleans
    Broken("o-bool-misschien", "ondersteuning", put(2, lg_wonen="misschien"), 4, "lg_wonen", "geen ja/nee-waarde"),
    Broken("o-bool-2", "ondersteuning", put(6, lg_gezin="2"), 8, "lg_gezin", "geen ja/nee-waarde"),
    # amounts
    Broken("a-bedrag-negatief", "aanmeldingen", put(1, compensatie_bedrag="-30000.00"), 3,
           "compensatie_bedrag", "geen geldig bedrag"),
    Broken("a-bedrag-negatief-komma", "aanmeldingen", put(1, compensatie_bedrag="-30.000,00"), 3,
           "compensatie_bedrag", "geen geldig bedrag"),
    Broken("a-bedrag-tekst", "aanmeldingen", put(4, compensatie_bedrag="dertigduizend"), 6,
           "compensatie_bedrag", "geen geldig bedrag"),
    Broken("a-bedrag-euroteken", "aanmeldingen", put(4, compensatie_bedrag="€ 30000"), 6,
           "compensatie_bedrag", "geen geldig bedrag"),
    Broken("a-bedrag-twee-punten", "aanmeldingen", put(4, compensatie_bedrag="30.000.00"), 6,
           "compensatie_bedrag", "geen geldig bedrag"),
    # a value that looks like a BSN
    Broken("a-bsn-ouder-id", "aanmeldingen", put(4, ouder_id=BSN), 6, "ouder_id", "lijkt een BSN"),
    Broken("o-bsn-ouder-id", "ondersteuning", put(3, ouder_id=BSN), 5, "ouder_id", "lijkt een BSN"),
    Broken("a-bsn-extra-kolom", "aanmeldingen", extra_column("opmerking", 7, BSN), 9, "opmerking", "lijkt een BSN"),
    Broken("d-bsn-extra-kolom", "deelname", extra_column("contactpersoon", 0, f" {BSN} "), 2,
           "contactpersoon", "lijkt een BSN"),
    Broken("a-bsn-gemeentecode", "aanmeldingen", put(2, gemeentecode=BSN), 4, "gemeentecode", "lijkt een BSN"),
    Broken("a-bsn-uitkomst", "aanmeldingen", put(2, eerste_toets_uitkomst=BSN), 4, "eerste_toets_uitkomst",
           "lijkt een BSN"),
]


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize("case", BROKEN, ids=[c.id for c in BROKEN])
def test_broken_extract_is_refused(case: Broken, target: str, loaded: Path, folder: Path):
    header, rows = read_fixture(case.kind)
    case.edit(header, rows)
    path = write_csv(folder / f"{case.kind}_{target}.csv", header, rows)
    ids = sorted({r["ouder_id"] for r in rows if r.get("ouder_id", "").strip()} | {BSN}) if "ouder_id" in header \
        else [BSN]
    loaded_before = query(loaded, "SELECT sha256 FROM bestanden WHERE soort = ? AND peildatum = ?",
                          [case.kind, date.fromisoformat(target)])

    where = (f"Bestand {path.name}, rij 1: kolom {case.kolom} " if case.rij == 1  # header problem
             else f"Bestand {path.name}, rij {case.rij}, kolom {case.kolom}: ")
    messages = assert_refused_unchanged(loaded, path, [where, case.fragment], ids)

    if case.fragment == "ligt na de peildatum":
        assert any(f"peildatum {target}" in m for m in messages), messages
    # The peildatum is still absent (new) or still has the file loaded before (already loaded).
    assert query(loaded, "SELECT sha256 FROM bestanden WHERE soort = ? AND peildatum = ?",
                 [case.kind, date.fromisoformat(target)]) == loaded_before
    n = query(loaded, f"SELECT count(*) FROM {case.kind} WHERE peildatum = ?", [date.fromisoformat(target)])[0][0]
    assert (n == 0) if target == NEW_P else (n > 0)


@pytest.mark.parametrize("kind", REQUIRED_KINDS)  # the klein kinds; the survey: tests/test_ervaring.py
def test_unbroken_base_loads(kind: str, loaded: Path, folder: Path):
    """Control for the broken cases: the file they start from, rewritten the same way, loads."""
    header, rows = read_fixture(kind)
    path = write_csv(folder / f"{kind}_{NEW_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert r.rows == len(rows)
    assert not any("lijkt een BSN" in m for m in r.messages)


def test_messages_point_at_every_row_kind_of_error_once(loaded: Path, folder: Path):
    """Several broken rules: one message each, first row named, and how many more rows have it."""
    header, rows = read_fixture("aanmeldingen")
    rows[3]["gemeentecode"] = "GM12"
    rows[8]["gemeentecode"] = "GM34"
    rows[10]["gemeentecode"] = "GM56"
    rows[6]["compensatie_bedrag"] = "-1"
    path = write_csv(folder / f"aanmeldingen_{NEW_P}.csv", header, rows)
    messages = assert_refused_unchanged(loaded, path)
    assert len(messages) == 2, messages
    code = next(m for m in messages if "kolom gemeentecode" in m)
    assert "rij 5," in code and "'GM12'" in code and "Nog 2 andere rijen hebben deze fout." in code
    assert any("rij 8, kolom compensatie_bedrag" in m for m in messages)


def test_nine_digits_failing_the_elfproef_is_not_a_bsn(loaded: Path, folder: Path):
    assert not elfproef(NOT_BSN)
    header, rows = read_fixture("aanmeldingen")
    rows[4]["ouder_id"] = NOT_BSN
    header.append("opmerking")
    rows[0]["opmerking"] = NOT_BSN
    path = write_csv(folder / f"aanmeldingen_{NEW_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert not any("BSN" in m for m in r.messages)
    assert query(loaded, "SELECT count(*) FROM aanmeldingen WHERE peildatum = ? AND ouder_id = ?",
                 [date.fromisoformat(NEW_P), NOT_BSN]) == [(1,)]


def test_bsn_value_is_never_quoted(loaded: Path, folder: Path):
    """A BSN in a column whose error message quotes the value (date, code, status) is not repeated."""
    header, rows = read_fixture("ondersteuning")
    rows[0]["gemeentecode"] = BSN
    rows[1]["status"] = BSN
    rows[2]["plan_datum"] = BSN
    rows[3]["lg_werk"] = BSN
    path = write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    messages = assert_refused_unchanged(loaded, path)
    for where in ("rij 2, kolom gemeentecode", "rij 3, kolom status", "rij 4, kolom plan_datum", "rij 5, kolom lg_werk"):
        assert any(where in m for m in messages), (where, messages)
    assert not any(BSN in m for m in messages), messages


# --- files that cannot be read --------------------------------------------------------------------------------

def aanmeldingen_lines(delim: str = ",") -> list[str]:
    header, rows = read_fixture("aanmeldingen")
    return [delim.join(header)] + [delim.join(r[c] for c in header) for r in rows]


def text_file(lines: list[str]):
    return lambda path: path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def with_line(index: int, change: Callable[[str], str], delim: str = ","):
    lines = aanmeldingen_lines(delim)
    lines[index] = change(lines[index])
    return lines


@dataclass
class Unreadable:
    id: str
    name: str
    write: Callable[[Path], object]
    where: str  # e.g. "rij 4" or "" when the message cannot name a row
    fragment: str


UNREADABLE = [
    Unreadable("leeg", "aanmeldingen_{p}.csv", lambda p: p.write_bytes(b""), "", "is leeg"),
    Unreadable("alleen-witruimte", "deelname_{p}.csv", lambda p: p.write_bytes(b" \r\n\n"), "", "is leeg"),
    Unreadable("alleen-bom", "deelname_{p}.csv", lambda p: p.write_bytes(b"\xef\xbb\xbf"), "", "is leeg"),
    Unreadable("latin1-waarde", "aanmeldingen_{p}.csv",
               lambda p: p.write_bytes(("\n".join(with_line(5, lambda s: s.replace("GM0599", "GM0599 Hé"))) + "\n")
                                       .encode("latin-1")), "rij 6", "geen UTF-8"),
    Unreadable("latin1-nl-crlf", "aanmeldingen_{p}.csv",
               lambda p: p.write_bytes(("\r\n".join(with_line(3, lambda s: s.replace("GM0599", "Hé"), ";")) + "\r\n")
                                       .encode("latin-1")), "rij 4", "geen UTF-8"),
    Unreadable("latin1-kopregel", "deelname_{p}.csv",
               lambda p: p.write_bytes("gemeentecode,aangesloten_datum,centrumgemeente,opmerkingé\nGM0599,,,\n"
                                       .encode("latin-1")), "rij 1", "geen UTF-8"),
    Unreadable("veld-te-veel", "aanmeldingen_{p}.csv", text_file(with_line(3, lambda s: s + ",extra")),
               "rij 4", "aantal kolommen"),
    Unreadable("veld-te-weinig", "aanmeldingen_{p}.csv", text_file(with_line(2, lambda s: s.rsplit(",", 1)[0])),
               "rij 3", "aantal kolommen"),
    Unreadable("veld-te-veel-laatste-rij", "aanmeldingen_{p}.csv", text_file(with_line(12, lambda s: s + ",x")),
               "rij 13", "aantal kolommen"),
    Unreadable("nl-decimale-komma-zonder-quotes", "aanmeldingen_{p}.csv",
               text_file(with_line(2, lambda s: s.replace(",30000.00", ",30000,00"))), "rij 3", "aantal kolommen"),
    Unreadable("nl-veld-te-weinig", "aanmeldingen_{p}.csv",
               text_file(with_line(7, lambda s: s.rsplit(";", 1)[0], ";")), "rij 8", "aantal kolommen"),
    Unreadable("aanhalingsteken-open", "aanmeldingen_{p}.csv",
               text_file(with_line(3, lambda s: s.replace(",GM0599,", ',"GM0599,'))), "rij 4", "aanhalingsteken"),
    Unreadable("aanhalingsteken-open-laatste-rij", "ondersteuning_{p}.csv",
               lambda p: p.write_text('ouder_id,gemeentecode,status,eerste_contact_datum,plan_datum,afgerond_datum,'
                                      'lg_financien,lg_wonen,lg_werk,lg_zorg,lg_gezin\n'
                                      'OU01,GM0599,nog_geen_contact,,,,ja,nee,nee,nee,nee\n'
                                      'OU02,GM0599,"nog_geen_contact,,,,ja,nee,nee,nee,nee\n'), "rij 3", "aanhalingsteken"),
    Unreadable("geen-parquet", "deelname_{p}.parquet", lambda p: p.write_bytes(b"gemeentecode\nGM0599\n"),
               "", "geen leesbaar Parquet-bestand"),
]


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
@pytest.mark.parametrize("case", UNREADABLE, ids=[c.id for c in UNREADABLE])
def test_unreadable_extract_is_refused(case: Unreadable, target: str, loaded: Path, folder: Path):
    path = folder / case.name.format(p=target)
    case.write(path)
    expect = [f"Bestand {path.name}, {case.where}:" if case.where else f"Bestand {path.name}", case.fragment]
    ids = [f"OU{i:02d}" for i in range(1, 13)]
    messages = assert_refused_unchanged(loaded, path, expect, ids)
    if not case.where:
        assert not any(re.search(r"\brij\b", m) for m in messages), messages


@pytest.mark.parametrize("broken", ["regel", "veld"])
def test_row_numbers_count_records_not_lines(broken: str, loaded: Path, folder: Path):
    """A quoted value spanning two lines is one spreadsheet row: later rows keep their spreadsheet number,
    for read errors (DuckDB's line number) and for rule errors alike."""
    header, rows = read_fixture("aanmeldingen")
    header.append("opmerking")
    for r in rows:
        r["opmerking"] = ""
    rows[1]["opmerking"] = "eerste regel\ntweede regel"  # row 3
    if broken == "veld":
        rows[5]["gemeentecode"] = "GM12"  # row 7
    path = write_csv(folder / f"aanmeldingen_{NEW_P}.csv", header, rows)
    if broken == "regel":
        lines = path.read_text().split("\n")
        assert lines[7].startswith("OU06,")  # physical line 8 holds spreadsheet row 7
        lines[7] += ",x"
        path.write_text("\n".join(lines))
        assert_refused_unchanged(loaded, path, [f"Bestand {path.name}, rij 7:", "aantal kolommen"])
    else:
        assert_refused_unchanged(loaded, path, [f"Bestand {path.name}, rij 7, kolom gemeentecode:"])


@pytest.mark.parametrize("broken", ["regel", "veld"])
def test_row_numbers_in_a_large_file(broken: str, loaded: Path, folder: Path):
    """More rows than one DuckDB row group (122,880) and a parallel CSV scan: the row named is still exact."""
    n, bad = 150_000, 140_321  # bad is a 0-based data row: spreadsheet row bad + 2
    header, _ = read_fixture("aanmeldingen")
    lines = [",".join(header)] + [f"X{i},2021-01-01,GM0599,,,,,,0" for i in range(n)]
    if broken == "regel":
        lines[bad + 1] += ",extra"
    else:
        lines[bad + 1] = lines[bad + 1].replace("2021-01-01", "2021-01-32")
    path = folder / f"aanmeldingen_{NEW_P}.csv"
    path.write_text("\n".join(lines) + "\n")
    where = f"rij {bad + 2}:" if broken == "regel" else f"rij {bad + 2}, kolom aanmelddatum:"
    assert_refused_unchanged(loaded, path, [f"Bestand {path.name}, {where}"])


@pytest.mark.parametrize("name", [
    "aanmeldingen_20210930.csv", "aanmelding_2021-09-30.csv", "Aanmeldingen_2021-09-30.csv",
    "aanmeldingen_2021-02-30.csv", "aanmeldingen_2021-9-30.csv", "aanmeldingen_2021-09-30.CSV",
    "aanmeldingen_2021-09-30.txt", "aanmeldingen_2021-09-30 (1).csv", "aanmeldingen-2021-09-30.csv",
])
def test_file_name_not_following_the_contract_is_refused(name: str, loaded: Path, folder: Path):
    path = folder / name
    shutil.copyfile(KLEIN / "aanmeldingen_2021-06-30.csv", path)
    messages = assert_refused_unchanged(loaded, path, [f"Bestand {name}: de naam moet de vorm"])
    assert "<soort>_<JJJJ-MM-DD>" in messages[0]


def test_refused_file_does_not_stop_the_others(loaded: Path, folder: Path):
    header, rows = read_fixture("ondersteuning")
    rows[2]["status"] = "onbekend"
    write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    header, rows = read_fixture("deelname")
    write_csv(folder / f"deelname_{NEW_P}.csv", header, rows)
    before = snapshot(loaded)
    results = ingest(extract_files(folder), loaded)
    assert {r.name: r.outcome for r in results} == {f"ondersteuning_{NEW_P}.csv": REFUSED,
                                                    f"deelname_{NEW_P}.csv": ACCEPTED}
    after = snapshot(loaded)
    assert after["aanmeldingen"] == before["aanmeldingen"]
    assert after["ondersteuning"] == before["ondersteuning"]
    assert after["steun"] == before["steun"]
    assert query(loaded, "SELECT soort FROM bestanden WHERE peildatum = ?", [date.fromisoformat(NEW_P)]) == [("deelname",)]


# --- accepted variants ----------------------------------------------------------------------------------------

def loaded_rows(db_path: Path, kind: str, peil: str) -> list[tuple]:
    cols = ", ".join(COLUMNS[kind])
    return query(db_path, f"SELECT {cols} FROM {kind} WHERE peildatum = ? ORDER BY ALL", [date.fromisoformat(peil)])


def dutch(rows: list[dict[str, str]], kind: str) -> list[dict[str, str]]:
    """The same rows as a Dutch export: dd-mm-yyyy and decimal comma with thousands separator."""
    out = []
    for r in rows:
        r = dict(r)
        for c, k in COLUMNS[kind].items():
            if k == "datum" and r[c]:
                y, m, d = r[c].split("-")
                r[c] = f"{d}-{m}-{y}"
            if k == "bedrag" and r[c]:
                whole, _, cents = f"{Decimal(r[c]):.2f}".partition(".")
                r[c] = f"{int(whole):,}".replace(",", ".") + "," + cents
            if k == "bool":
                r[c] = {"true": "ja", "false": "nee"}[r[c]]
        out.append(r)
    return out


@pytest.mark.parametrize("kind", REQUIRED_KINDS)  # the klein kinds; the survey: tests/test_ervaring.py
@pytest.mark.parametrize("delim", [";", ","])
def test_dutch_export_loads_the_same_as_iso(kind: str, delim: str, loaded: Path, folder: Path):
    header, rows = read_fixture(kind)
    nl = dutch(rows, kind)
    if kind == "aanmeldingen":
        assert "30.000,00" in {r["compensatie_bedrag"] for r in nl}
        assert "01-10-2020" in {r["aanmelddatum"] for r in nl}
    path = write_csv(folder / f"{kind}_{NEW_P}.csv", header, nl, delim=delim)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert loaded_rows(loaded, kind, NEW_P) == loaded_rows(loaded, kind, OLD_P)


def test_dutch_fixture_values(loaded: Path):
    """The klein 2021-03-31 file (';', dd-mm-yyyy, '30.000,00') was read as meant."""
    rows = query(loaded, "SELECT ouder_id, aanmelddatum, forfait_betaald_datum, compensatie_bedrag FROM aanmeldingen "
                         "WHERE peildatum = DATE '2021-03-31' AND ouder_id IN ('OU01', 'OU02') ORDER BY 1")
    assert rows == [("OU01", date(2020, 10, 1), date(2021, 1, 10), Decimal("30000.00")),
                    ("OU02", date(2020, 11, 1), date(2021, 2, 1), Decimal("30000.00"))]
    assert query(loaded, "SELECT lg_financien, lg_wonen FROM ondersteuning WHERE peildatum = DATE '2021-03-31' "
                         "AND ouder_id = 'OU01'") == [(True, True)]


@pytest.mark.parametrize("bedrag, expected", [
    ("30.000,00", "30000.00"), ("30000,5", "30000.50"), ("234.567,89", "234567.89"), ("30000", "30000.00"),
    ("30000.00", "30000.00"), (" 12,50 ", "12.50"), ("", "0.00"), ("0", "0.00"),
])
def test_amount_formats(bedrag: str, expected: str, loaded: Path, folder: Path):
    header, rows = read_fixture("aanmeldingen")
    rows[0]["compensatie_bedrag"] = bedrag
    path = write_csv(folder / f"aanmeldingen_{NEW_P}.csv", header, rows)  # csv quotes values with ','
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert query(loaded, "SELECT compensatie_bedrag FROM aanmeldingen WHERE peildatum = ? AND ouder_id = 'OU01'",
                 [date.fromisoformat(NEW_P)]) == [(Decimal(expected),)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_bom_and_crlf(newline: str, loaded: Path, folder: Path):
    header, rows = read_fixture("ondersteuning")
    path = write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows, encoding="utf-8-sig", newline=newline)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfouder_id,")
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert r.messages == []
    assert loaded_rows(loaded, "ondersteuning", NEW_P) == loaded_rows(loaded, "ondersteuning", OLD_P)


def test_header_case_and_spaces(loaded: Path, folder: Path):
    header, rows = read_fixture("deelname")
    path = folder / f"deelname_{NEW_P}.csv"
    write_csv(path, header, rows)
    path.write_text(path.read_text().replace(",".join(header), "Gemeentecode, Aangesloten_Datum ,CENTRUMGEMEENTE", 1))
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert loaded_rows(loaded, "deelname", NEW_P) == loaded_rows(loaded, "deelname", OLD_P)


def test_extra_column_loads_with_warning(loaded: Path, folder: Path):
    header, rows = read_fixture("aanmeldingen")
    header.insert(2, "opmerking")
    for i, r in enumerate(rows):
        r["opmerking"] = f"notitie {i}"
    path = write_csv(folder / f"aanmeldingen_{NEW_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert any("Kolom opmerking hoort niet bij een aanmeldingen-extract" in m for m in r.messages), r.messages
    assert loaded_rows(loaded, "aanmeldingen", NEW_P) == loaded_rows(loaded, "aanmeldingen", OLD_P)
    [(warnings,)] = query(loaded, "SELECT waarschuwingen FROM bestanden WHERE soort = 'aanmeldingen' AND peildatum = ?",
                          [date.fromisoformat(NEW_P)])
    assert any("opmerking" in w for w in warnings)


def parquet_frame(kind: str, date_type: str) -> pd.DataFrame:
    header, rows = read_fixture(kind)
    df = pd.DataFrame(rows, columns=header)
    for c, k in COLUMNS[kind].items():
        if k == "datum":
            ts = pd.to_datetime(df[c].replace("", None))
            df[c] = ts if date_type == "timestamp" else [d.date() if not pd.isna(d) else None for d in ts]
        elif k == "bedrag":
            df[c] = df[c].astype(float)
        elif k == "bool":
            df[c] = df[c].map({"true": True, "false": False}).astype(bool)
        else:
            df[c] = df[c].replace("", None)
    return df


@pytest.mark.parametrize("date_type", ["timestamp", "date"])
@pytest.mark.parametrize("kind", REQUIRED_KINDS)  # the klein kinds; the survey: tests/test_ervaring.py
def test_parquet_with_typed_columns(kind: str, date_type: str, loaded: Path, folder: Path):
    df = parquet_frame(kind, date_type)
    path = folder / f"{kind}_{NEW_P}.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    first_date = next(c for c, k in COLUMNS[kind].items() if k == "datum")
    assert str(schema.field(first_date).type).startswith("timestamp" if date_type == "timestamp" else "date32")
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert loaded_rows(loaded, kind, NEW_P) == loaded_rows(loaded, kind, OLD_P)


def test_parquet_broken_rule_names_row_and_column(loaded: Path, folder: Path):
    df = parquet_frame("aanmeldingen", "date")
    df.loc[4, "forfait_betaald_datum"] = date(2021, 5, 15)  # before the first check of 2021-06-01
    df.loc[8, "ouder_id"] = BSN
    path = folder / f"aanmeldingen_{NEW_P}.parquet"
    df.to_parquet(path, engine="pyarrow", index=False)
    assert_refused_unchanged(loaded, path, ["rij 6, kolom forfait_betaald_datum", "betaling vóór de eerste toets"],
                             list(df["ouder_id"]))
    assert_refused_unchanged(loaded, path, ["rij 10, kolom ouder_id", "lijkt een BSN"])


def test_header_only_ondersteuning_loads_with_warning_when_intended(loaded: Path, folder: Path):
    header, _ = read_fixture("ondersteuning")
    path = write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, [])
    assert path.read_text() == ",".join(header) + "\n"
    # Without saying the drop is intended, an empty file after a full one is refused (issue 16) ...
    before = snapshot(loaded)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == REFUSED and "0 rijen, minder dan de helft" in r.messages[0], r.messages
    assert snapshot(loaded) == before
    # ... and with it, it loads, with a warning that it holds only a header.
    r = only(ingest([path], loaded, vervang_kleiner=True), path.name)
    assert (r.outcome, r.rows) == (ACCEPTED, 0), r.messages
    assert any("alleen een kopregel" in m for m in r.messages), r.messages
    assert query(loaded, "SELECT rijen FROM bestanden WHERE soort = 'ondersteuning' AND peildatum = ?",
                 [date.fromisoformat(NEW_P)]) == [(0,)]
    assert loaded_rows(loaded, "ondersteuning", NEW_P) == []


def test_unknown_gemeentecode_loads_with_warning(loaded: Path, folder: Path):
    header, rows = read_fixture("ondersteuning")
    rows[5]["gemeentecode"] = "GM9999"
    rows[6]["gemeentecode"] = "GM9999"
    path = write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert r.outcome == ACCEPTED, r.messages
    assert any("GM9999 (2 rijen)" in m and "onbekend" in m for m in r.messages), r.messages
    assert not any("GM0599" in m for m in r.messages)
    assert query(loaded, "SELECT count(*) FROM ondersteuning WHERE peildatum = ? AND gemeentecode = 'GM9999'",
                 [date.fromisoformat(NEW_P)]) == [(2,)]


def test_klein_warns_about_gm9999(tmp_path: Path):
    results = ingest(extract_files(KLEIN), tmp_path / "hm.duckdb")
    r = only(results, "aanmeldingen_2021-06-30.csv")
    assert r.outcome == ACCEPTED
    assert any("GM9999 (1 rij)" in m for m in r.messages), r.messages
    assert only(results, "aanmeldingen_2021-03-31.csv").messages == []


def test_same_ouder_in_two_gemeenten_is_allowed(loaded: Path, folder: Path):
    header, rows = read_fixture("ondersteuning")
    rows.append({**rows[1], "gemeentecode": "GM0034"})
    path = write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert (r.outcome, r.rows) == (ACCEPTED, 8), r.messages


# --- loading again --------------------------------------------------------------------------------------------

def test_loading_the_same_files_twice_is_a_no_op(loaded: Path):
    before, version, data = snapshot(loaded), db.version(loaded), loaded.read_bytes()
    results = ingest(extract_files(KLEIN), loaded)
    assert [r.outcome for r in results] == [UNCHANGED] * 6
    assert all(r.messages == [] for r in results)
    assert db.version(loaded) == version
    assert loaded.read_bytes() == data
    assert snapshot(loaded) == before


def test_same_content_under_another_peildatum_is_loaded(loaded: Path, folder: Path):
    path = folder / f"deelname_{NEW_P}.csv"
    shutil.copyfile(KLEIN / "deelname_2021-06-30.csv", path)
    r = only(ingest([path], loaded), path.name)
    assert (r.outcome, r.replaced) == (ACCEPTED, False)


def test_corrected_file_replaces_the_old_rows(loaded: Path, folder: Path):
    before = snapshot(loaded)
    version = db.version(loaded)
    header, rows = read_fixture("aanmeldingen")
    rows = [r for r in rows if r["ouder_id"] != "OU12"]
    rows[3]["compensatie_bedrag"] = "1234.56"  # OU04
    rows[4]["gegevens_gedeeld_datum"] = ""  # OU05: no longer shared, so it leaves steun
    path = write_csv(folder / f"aanmeldingen_{OLD_P}.csv", header, rows)
    r = only(ingest([path], loaded), path.name)
    assert (r.outcome, r.rows, r.replaced) == (ACCEPTED, 11, True), r.messages
    assert db.version(loaded) != version

    after = snapshot(loaded)
    p = date.fromisoformat(OLD_P)
    got = loaded_rows(loaded, "aanmeldingen", OLD_P)
    assert len(got) == 11 and "OU12" not in {row[0] for row in got}
    assert query(loaded, "SELECT compensatie_bedrag FROM aanmeldingen WHERE peildatum = ? AND ouder_id = 'OU04'",
                 [p]) == [(Decimal("1234.56"),)]
    # Other peildata and kinds untouched; the file log shows the new file once.
    assert [x for x in after["aanmeldingen"] if x[0] != p] == [x for x in before["aanmeldingen"] if x[0] != p]
    for t in ("ondersteuning", "deelname"):
        assert after[t] == before[t]
    logged = query(loaded, "SELECT bestandsnaam, rijen FROM bestanden WHERE soort = 'aanmeldingen' AND peildatum = ?",
                   [p])
    assert logged == [(path.name, 11)]
    assert len(after["bestanden"]) == len(before["bestanden"])
    # steun of that peildatum is re-derived from the corrected file; other peildata keep theirs.
    steun_sql = "SELECT gegevens_gedeeld_datum FROM steun WHERE peildatum = ? AND ouder_id = 'OU05'"
    assert query(loaded, steun_sql, [p]) == [(None,)]
    assert [x for x in before["steun"] if x[0] == p and x[1] == "OU05"][0][3] == date(2021, 4, 20)
    assert [x for x in after["steun"] if x[0] != p] == [x for x in before["steun"] if x[0] != p]

    # Loading the original again restores the original rows.
    r = only(ingest([KLEIN / f"aanmeldingen_{OLD_P}.csv"], loaded), f"aanmeldingen_{OLD_P}.csv")
    assert (r.outcome, r.replaced) == (ACCEPTED, True)
    restored = snapshot(loaded)
    for t in ("aanmeldingen", "ondersteuning", "deelname", "steun"):
        assert restored[t] == before[t], t


def test_refused_correction_keeps_the_old_rows(loaded: Path, folder: Path):
    header, rows = read_fixture("aanmeldingen")
    rows[4]["forfait_betaald_datum"] = "2021-05-31"
    path = write_csv(folder / f"aanmeldingen_{OLD_P}.csv", header, rows)
    assert_refused_unchanged(loaded, path, ["rij 6, kolom forfait_betaald_datum"])
    # Still "al geladen" for the original file.
    r = only(ingest([KLEIN / f"aanmeldingen_{OLD_P}.csv"], loaded), f"aanmeldingen_{OLD_P}.csv")
    assert r.outcome == UNCHANGED


# --- command line ---------------------------------------------------------------------------------------------

def test_cli_exit_codes_and_untouched_database(tmp_path: Path, folder: Path, capsys):
    dbfile = tmp_path / "cli.duckdb"
    assert cli.main(["ingest", str(KLEIN), "--db", str(dbfile)]) == 0
    out = capsys.readouterr()
    assert "Klaar: 6 geladen, 0 geweigerd, 0 al geladen." in out.out
    assert out.err == ""

    version, data = db.version(dbfile), dbfile.read_bytes()
    assert cli.main(["ingest", str(KLEIN), "--db", str(dbfile)]) == 0
    out = capsys.readouterr()
    assert "Klaar: 0 geladen, 0 geweigerd, 6 al geladen." in out.out
    assert db.version(dbfile) == version

    header, rows = read_fixture("ondersteuning")
    rows[4]["eerste_contact_datum"] = "2021-06-01"
    write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    (folder / "deelname_2021-09.csv").write_text("gemeentecode,aangesloten_datum,centrumgemeente\n")
    before = snapshot(dbfile)
    assert cli.main(["ingest", str(folder), "--db", str(dbfile)]) == 1
    out = capsys.readouterr()
    assert f"ondersteuning_{NEW_P}.csv: geweigerd" in out.err
    assert "rij 6, kolom eerste_contact_datum" in out.err
    assert "deelname_2021-09.csv: geweigerd" in out.err
    assert "Klaar: 0 geladen, 2 geweigerd, 0 al geladen." in out.out
    assert "OU05" not in out.err
    assert db.version(dbfile) == version, "database rewritten although every file was refused"
    assert dbfile.read_bytes() == data
    assert snapshot(dbfile) == before

    # The same folder with the broken files fixed: exit 0.
    rows[4]["eerste_contact_datum"] = ""
    write_csv(folder / f"ondersteuning_{NEW_P}.csv", header, rows)
    (folder / "deelname_2021-09.csv").unlink()
    assert cli.main(["ingest", str(folder), "--db", str(dbfile)]) == 0
    out = capsys.readouterr()
    assert f"ondersteuning_{NEW_P}.csv: geladen (7 rijen)" in out.out
    assert db.version(dbfile) != version


def test_cli_as_a_process(tmp_path: Path, folder: Path):
    dbfile = tmp_path / "proc.duckdb"
    run = lambda src: subprocess.run([sys.executable, "-m", "herstelmonitor", "ingest", str(src), "--db", str(dbfile)],
                                     cwd=ROOT, capture_output=True, text=True, timeout=120)
    ok = run(KLEIN)
    assert ok.returncode == 0, ok.stderr
    version = db.version(dbfile)
    (folder / f"aanmeldingen_{NEW_P}.csv").write_bytes(b"")
    bad = run(folder)
    assert bad.returncode == 1
    assert f"Bestand aanmeldingen_{NEW_P}.csv is leeg." in bad.stderr
    assert db.version(dbfile) == version
