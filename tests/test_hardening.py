"""Regressions of issue 16 (items 1-5): every reproduction found by the damage runs, as a test.

Each test starts from the hand-made set in tests/fixtures/klein and changes one thing.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from herstelmonitor import cli, db, metrics, queries, upload
from herstelmonitor.ingest import ACCEPTED, REFUSED, extract_files, ingest
from herstelmonitor.validate import EXTRA_COLUMNS
from tests.conftest import KLEIN, load, snapshot

P = "2021-06-30"
NEW_P = "2021-09-30"


def rows_of(name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = (KLEIN / name).read_text(encoding="utf-8")
    delim = ";" if text.splitlines()[0].count(";") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delim)
    return list(reader.fieldnames), [dict(r) for r in reader]


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([[r.get(c, "") for c in header] for r in rows])
    return path


def klein_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in KLEIN.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    return folder


def outcome(results, name: str):
    [r] = [r for r in results if r.name == name]
    return r


IDS = [f"OU{i:02d}" for i in range(1, 13)]


def no_id_in(texts: list[str]) -> bool:
    return not any(i in t for i in IDS for t in texts)


# --- 1. crashes and hangs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_column_named_rowid_stops_nothing(tmp_path, fmt):
    """A column named rowid once broke the row numbering (BinderException) and stopped the whole run."""
    folder = klein_copy(tmp_path / "x")
    header, rows = rows_of(f"deelname_{P}.csv")
    (folder / f"deelname_{P}.csv").unlink()
    for r in rows:
        r["rowid"] = "1"
    if fmt == "csv":
        write(folder / f"deelname_{P}.csv", header + ["rowid"], rows)
    else:
        pq.write_table(pa.table({c: [r[c] for r in rows] for c in header + ["rowid"]}), folder / f"deelname_{P}.parquet")
    results = ingest(extract_files(folder), tmp_path / "db.duckdb")
    assert all(r.outcome == ACCEPTED for r in results), [(r.name, r.messages) for r in results]
    assert "Kolom rowid hoort niet bij een deelname-extract en wordt niet geladen." in results[-1].messages
    con = db.connect(tmp_path / "db.duckdb", read_only=True)
    assert con.execute("SELECT count(*) FROM deelname WHERE peildatum = ?", [date(2021, 6, 30)]).fetchone()[0] == 4
    con.close()


@pytest.mark.parametrize("name", ["_rij", "_r_ouder_id", "parsed", "select"])
def test_column_names_the_checks_use_themselves_are_plain_extra_columns(tmp_path, name):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    for r in rows:
        r[name] = "x"
    path = write(tmp_path / f"aanmeldingen_{NEW_P}.csv", header + [name], rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == ACCEPTED and r.rows == 12, r.messages


def test_far_too_many_columns_are_refused_before_reading(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    before = snapshot(dbfile)
    header, rows = rows_of(f"deelname_{P}.csv")
    extra = [f"x{i}" for i in range(EXTRA_COLUMNS + 1)]
    path = write(tmp_path / f"deelname_{NEW_P}.csv", header + extra, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED
    assert r.messages == [f"Bestand {path.name}, rij 1: het bestand heeft {3 + EXTRA_COLUMNS + 1} kolommen; een "
                          f"deelname-extract heeft er 3 (en mag er hoogstens {3 + EXTRA_COLUMNS} hebben). Is het wel "
                          "een extract, en is het scheidingsteken goed?"]
    assert snapshot(dbfile) == before
    # One fewer is still a file with extra columns: loaded, and a BSN in the last of them is still found.
    rows[2][extra[-2]] = "111222333"
    path = write(tmp_path / f"deelname_{NEW_P}.csv", header + extra[:-1], rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and r.messages == [
        f"Bestand {path.name}, rij 4, kolom {extra[-2]}: de waarde lijkt een BSN (9 cijfers die de elfproef "
        "doorstaan). Een extract mag geen BSN bevatten: gebruik het pseudonieme ouder_id."]


def no_sharing_dates(tmp_path) -> Path:
    """klein with 5 contacted parents in Westerkwartier (GM1969) whose details were never shared: the median
    from sharing to contact is missing there, and trage_start used to be NULL."""
    folder = klein_copy(tmp_path / "x")
    header, rows = rows_of(f"ondersteuning_{P}.csv")
    rows += [{**rows[1], "ouder_id": f"OW{i}", "gemeentecode": "GM1969"} for i in range(5)]
    write(folder / f"ondersteuning_{P}.csv", header, rows)
    return load(folder, tmp_path / "db.duckdb")


def test_a_missing_median_does_not_fire_and_crashes_nothing(tmp_path, monkeypatch, capsys):
    dbfile = no_sharing_dates(tmp_path)
    con = db.connect(dbfile, read_only=True)
    sig = metrics.signals(con, date(2021, 6, 30), date(2021, 6, 30)).set_index("gemeentecode")
    assert sig.at["GM1969", "ouders_in_contact"] == 5 and sig.at["GM1969", "mediaan_dagen_tot_contact"] != \
        sig.at["GM1969", "mediaan_dagen_tot_contact"]  # NaN
    assert sig.at["GM1969", "trage_start"] is False or not sig.at["GM1969", "trage_start"]
    # It fires what its figures say (not aangesloten, no recent activity), never trage_start.
    assert metrics.kpis(con, date(2021, 6, 30))["gemeenten"]["GM1969"]["signalen"] == ["niet_aangesloten", "stilstand"]
    con.close()
    assert cli.main(["kpis", "--db", str(dbfile)]) == 0
    assert json.loads(capsys.readouterr().out)["gemeenten"]["GM1969"]["in_contact"] == 5
    monkeypatch.setenv("HERSTELMONITOR_DB", str(dbfile))
    for page, params in (("pages/deelname.py", {}), ("pages/gemeente.py", {"gemeente": "GM1969"}),
                         ("pages/achtervang.py", {})):
        at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
        at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, (page, at.exception)


def test_a_header_only_file_does_not_replace_a_full_one(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    before = snapshot(dbfile)
    header, _ = rows_of(f"aanmeldingen_{P}.csv")
    path = write(tmp_path / f"aanmeldingen_{P}.csv", header, [])
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and r.messages == [
        f"Bestand {path.name}: 0 rijen, minder dan de helft van de 12 rijen van het bestand dat het vervangt. Is het "
        "bestand onvolledig? Is de daling bedoeld, laad het dan met --vervang-kleiner (of kies 'Kleiner bestand is "
        "bedoeld' bij uploaden)."]
    assert snapshot(dbfile) == before


def test_a_much_smaller_file_than_the_previous_peildatum_is_refused_unless_intended(tmp_path, capsys):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    folder = tmp_path / "nieuw"
    folder.mkdir()
    write(folder / f"aanmeldingen_{NEW_P}.csv", header, rows[:5])  # 5 < 12 / 2
    assert cli.main(["ingest", str(folder), "--db", str(dbfile)]) == 1
    err = capsys.readouterr().err
    assert ("5 rijen, minder dan de helft van de 12 rijen van het aanmeldingen-extract van de vorige peildatum "
            "2021-06-30") in err
    assert cli.main(["ingest", str(folder), "--db", str(dbfile), "--vervang-kleiner"]) == 0
    assert f"aanmeldingen_{NEW_P}.csv: geladen (5 rijen)" in capsys.readouterr().out
    # Six of twelve is half, not fewer than half.
    write(folder / f"aanmeldingen_{NEW_P}.csv", header, rows[:6])
    assert outcome(ingest(extract_files(folder), dbfile), f"aanmeldingen_{NEW_P}.csv").outcome == ACCEPTED


def test_a_long_upload_name_is_refused_in_dutch_and_logged(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    name = "aanmeldingen_" + "x" * 300 + ".csv"
    [r] = upload.receive([(name, b"ouder_id\n")], dbfile, "datateam@example.nl")
    assert r.outcome == REFUSED and "de naam is te lang (317 bytes; hoogstens 255)" in r.messages[0]
    assert str(tmp_path) not in r.messages[0] and "/" not in r.messages[0].split(":")[0]
    log = upload.read_log(dbfile)
    assert log.iloc[0]["Uitkomst"] == REFUSED and log.iloc[0]["Bestand"].startswith("aanmeldingen_xxx")


# --- 2. plausibility ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, shown", [
    ("0001-01-01", "0001-01-01"), ("1899-12-31", "1899-12-31"), ("2003-12-31", "2003-12-31"),
    ("epoch", "1970-01-01"), ("-infinity", "-infinity")])
def test_dates_before_2004_are_refused(tmp_path, value, shown):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    rows[3]["aanmelddatum"] = value
    path = write(tmp_path / f"aanmeldingen_{NEW_P}.csv", header, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED
    assert (f"Bestand {path.name}, rij 5, kolom aanmelddatum: de datum {shown} ligt vóór 2004-01-01, het eerste jaar "
            "van de kinderopvangtoeslag; dat kan niet.") in r.messages, r.messages


def test_infinity_is_after_the_peildatum(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"deelname_{P}.csv")
    rows[0]["aangesloten_datum"] = "infinity"
    path = write(tmp_path / f"deelname_{NEW_P}.csv", header, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and "ligt na de peildatum 2021-09-30" in r.messages[0]


def test_a_peildatum_after_today_is_refused(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    path = tmp_path / "deelname_9999-12-31.csv"
    shutil.copy(KLEIN / f"deelname_{P}.csv", path)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and r.messages[0].startswith(
        f"Bestand {path.name}: de peildatum 9999-12-31 in de naam ligt na vandaag (")


@pytest.mark.parametrize("bedrag, refused", [("999999999999.99", True), ("1000000.01", True),
                                             ("1000000,00", False), ("1.000.000,00", False)])
def test_amount_ceiling(tmp_path, bedrag, refused):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    rows[1]["compensatie_bedrag"] = bedrag
    path = write(tmp_path / f"aanmeldingen_{NEW_P}.csv", header, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == (REFUSED if refused else ACCEPTED), r.messages
    if refused:
        assert "rij 3, kolom compensatie_bedrag: het bedrag" in r.messages[0]
        assert "hoger dan 1.000.000 euro voor één ouder" in r.messages[0]


def test_integrale_beoordeling_before_eerste_toets_is_refused(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    rows[4]["integrale_beoordeling_datum"] = "2021-05-20"  # OU05: toets 2021-06-01
    path = write(tmp_path / f"aanmeldingen_{NEW_P}.csv", header, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED
    assert (f"Bestand {path.name}, rij 6, kolom integrale_beoordeling_datum: integrale beoordeling vóór de eerste "
            "toets (2021-05-20 vóór 2021-06-01): onmogelijke volgorde.") in r.messages


def test_contact_before_sharing_is_a_counted_warning_and_left_out_of_the_lead_time(tmp_path):
    """OU06 (Almere) is shared 2021-03-10 (aanmeldingen) and first contacted 2021-05-15; moving the contact
    to 2021-03-01 makes it a data error: warned, counted, and left out of the median."""
    folder = klein_copy(tmp_path / "x")
    header, rows = rows_of(f"ondersteuning_{P}.csv")
    a_header, a_rows = rows_of(f"aanmeldingen_{P}.csv")
    shared = {r["ouder_id"]: r["gegevens_gedeeld_datum"] for r in a_rows}
    [ou06] = [r for r in rows if r["ouder_id"] == "OU06"]
    assert shared["OU06"] == "2021-03-10" and ou06["eerste_contact_datum"] == "2021-05-15"
    ou06["eerste_contact_datum"] = "2021-03-01"
    write(folder / f"ondersteuning_{P}.csv", header, rows)
    results = ingest(extract_files(folder), tmp_path / "db.duckdb")
    warning = ("Eerste contact vóór het delen van de gegevens bij 1 ouder: de eerste_contact_datum ligt vóór de "
               "gegevens_gedeeld_datum in het aanmeldingen-extract. Deze ouders tellen niet mee in de tijd tot eerste "
               "contact.")
    assert warning in outcome(results, f"ondersteuning_{P}.csv").messages
    con = db.connect(tmp_path / "db.duckdb", read_only=True)
    [stored] = con.execute("SELECT waarschuwingen FROM bestanden WHERE soort = 'ondersteuning' AND peildatum = ?",
                           [date(2021, 6, 30)]).fetchone()
    assert warning in stored
    national = metrics.national(con, date(2021, 6, 30), date(2021, 6, 30)).iloc[0]
    con.close()
    # Contacted: OU01 5 days, OU02 26, OU03 28, OU06 now -9. Without OU06 the median is 26 (with it: 15.5).
    assert national["doorlooptijd_contact_mediaan"] == 26


def test_parquet_timestamps_with_a_zone_are_dates_in_the_netherlands(tmp_path, monkeypatch):
    """22:30 UTC on 10 March is 23:30 on 10 March in Amsterdam (winter time); 23:30 UTC is 00:30 on the 11th."""
    monkeypatch.setenv("TZ", "UTC")
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"deelname_{P}.csv")
    moments = [datetime(2021, 3, 10, 22, 30, tzinfo=timezone.utc), datetime(2021, 3, 10, 23, 30, tzinfo=timezone.utc),
               None, None]
    table = {"gemeentecode": [r["gemeentecode"] for r in rows],
             "aangesloten_datum": pa.array(moments, pa.timestamp("us", tz="UTC")),
             "centrumgemeente": [r["centrumgemeente"] or None for r in rows]}
    path = tmp_path / f"deelname_{NEW_P}.parquet"
    pq.write_table(pa.table(table), path)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == ACCEPTED, r.messages
    con = db.connect(dbfile, read_only=True)
    got = con.execute("SELECT gemeentecode, aangesloten_datum FROM deelname WHERE peildatum = ? ORDER BY ALL",
                      [date(2021, 9, 30)]).fetchall()
    con.close()
    assert dict(got)[rows[0]["gemeentecode"]] == date(2021, 3, 10)
    assert dict(got)[rows[1]["gemeentecode"]] == date(2021, 3, 11)


def test_every_skipped_entry_is_named_and_the_run_fails(tmp_path, capsys):
    folder = klein_copy(tmp_path / "x")
    (folder / "notities.txt").write_text("x")
    shutil.copy(KLEIN / f"deelname_{P}.csv", folder / f"deelname_{NEW_P}.csv ")
    (folder / f"ondersteuning_{NEW_P}.csv").symlink_to(folder / "bestaat-niet.csv")
    (folder / "oud").mkdir()
    os.mkfifo(folder / f"aanmeldingen_{NEW_P}.csv")
    assert cli.main(["ingest", str(folder), "--db", str(tmp_path / "db.duckdb")]) == 1
    err = capsys.readouterr()
    for line in ("notities.txt: overgeslagen, heeft niet de extensie .csv of .parquet.",
                 f"deelname_{NEW_P}.csv : overgeslagen, de naam begint of eindigt met een spatie.",
                 f"ondersteuning_{NEW_P}.csv: overgeslagen, verwijst naar een bestand dat niet bestaat.",
                 "oud: overgeslagen, is een map, geen bestand.",
                 f"aanmeldingen_{NEW_P}.csv: overgeslagen, is geen gewoon bestand (bijvoorbeeld een pipe of apparaat)."):
        assert line in err.err, err.err
    assert "Klaar: 6 geladen, 0 geweigerd, 0 al geladen, 5 overgeslagen." in err.out


# --- 3. no id quoted -----------------------------------------------------------------------------------------------

def test_swapped_column_names_never_quote_an_id(tmp_path, capsys):
    """The header says aanmelddatum where the ids are, and ouder_id where the dates are."""
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"aanmeldingen_{P}.csv")
    swapped = ["aanmelddatum", "ouder_id"] + header[2:]
    for r in rows:
        r["ouder_id"], r["aanmelddatum"] = r["aanmelddatum"], r["ouder_id"]
    folder = tmp_path / "nieuw"
    folder.mkdir()
    path = write(folder / f"aanmeldingen_{NEW_P}.csv", swapped, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and no_id_in(r.messages), r.messages
    assert any("kolom aanmelddatum: (waarde niet getoond) is geen geldige datum" in m for m in r.messages), r.messages
    assert cli.main(["ingest", str(folder), "--db", str(dbfile)]) == 1
    out = capsys.readouterr()
    assert no_id_in([out.out, out.err]) and "geen geldige datum" in out.err
    [up] = upload.receive([(path.name, path.read_bytes())], dbfile, "datateam@example.nl")
    assert up.outcome == REFUSED and no_id_in(up.messages)
    assert no_id_in([(tmp_path / "uploads" / "uploadlog.jsonl").read_text()])


@pytest.mark.parametrize("kind, column", [("ondersteuning", "status"), ("ondersteuning", "gemeentecode"),
                                          ("ondersteuning", "lg_werk"), ("aanmeldingen", "compensatie_bedrag"),
                                          ("aanmeldingen", "eerste_toets_uitkomst")])
def test_an_id_in_any_checked_column_is_not_quoted(tmp_path, kind, column):
    """Whatever column an id lands in (a shifted export), the message names row and column, not the id."""
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    header, rows = rows_of(f"{kind}_{P}.csv")
    rows[2][column] = "OU1DE2CB7892"
    rows[3][column] = rows[0]["ouder_id"]
    path = write(tmp_path / f"{kind}_{NEW_P}.csv", header, rows)
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and any(f"rij 4, kolom {column}" in m for m in r.messages), r.messages
    assert not any("OU1DE2CB7892" in m or rows[0]["ouder_id"] in m for m in r.messages), r.messages


def test_a_missing_ouder_id_header_quotes_nothing(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    text = (KLEIN / f"aanmeldingen_{P}.csv").read_text().splitlines()
    path = tmp_path / f"aanmeldingen_{NEW_P}.csv"
    path.write_text("\n".join(text[1:]) + "\n")  # the first data line is taken for the header
    r = outcome(ingest([path], dbfile), path.name)
    assert r.outcome == REFUSED and no_id_in(r.messages) and "2020-10-01" not in " ".join(r.messages), r.messages


# --- 4. demo mode ----------------------------------------------------------------------------------------------------

def test_demo_mode_offers_no_beheer_and_cannot_upload(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state["demo_rol"] = "beheer"  # left over from an older version, or forged
    at.run()
    chooser = next(s for s in at.sidebar.selectbox if s.label == "Bekijk als (demo)")
    assert "beheer" not in chooser.options and not any("Beheer" in o for o in chooser.options)
    assert "Extracten laden" not in [link.label for link in at.sidebar.get("page_link")]
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert not at.get("file_uploader")
    assert "In de demo (zonder inloggen) kan niemand extracten laden." in at.error[0].value


# --- 5. values shown as text ---------------------------------------------------------------------------------------

def test_a_gemeente_from_the_url_is_shown_as_text(klein_db):
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    at.switch_page("pages/gemeente.py")
    at.query_params["gemeente"] = "[Log opnieuw in](https://evil.example/login)"
    at.run()
    assert not at.exception
    [error] = at.error
    assert "\\[Log opnieuw in\\]\\(https\\:\u2060\\/\\/evil\\.example\\/login\\)" in error.value
    assert "](" not in error.value.replace("\\]\\(", "")


def test_markdown_escape():
    from herstelmonitor.veilig import tekst

    assert tekst("GM0599") == "GM0599"
    assert tekst("**vet** _x_ <b>$1$ :red[a]") == "\\*\\*vet\\*\\* \\_x\\_ \\<b\\>\\$1\\$ \\:red\\[a\\]"
    assert tekst("a\n\n# kop") == "a \\# kop"
    # Bare addresses are autolinked after escapes are resolved: a word joiner breaks each trigger.
    assert tekst("https://evil.example") == "https\\:\u2060\\/\\/evil\\.example"
    assert tekst("WWW.evil.nl of x@evil.nl") == "WWW\u2060\\.evil\\.nl of x\u2060\\@evil\\.nl"


# --- 8. operations -------------------------------------------------------------------------------------------------

def test_work_files_of_an_interrupted_ingest_are_removed_and_reported(tmp_path, capsys):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    current = dbfile.resolve()
    left = [tmp_path / "db-1764540000000000000.duckdb", tmp_path / "db-1764540000000000000.duckdb.wal",
            tmp_path / ".db.duckdb.link-4242"]
    for f in left:
        f.write_bytes(b"x" * 1000)
    unrelated = tmp_path / "db-kopie.duckdb"
    unrelated.write_bytes(b"x")
    folder = tmp_path / "leeg"
    folder.mkdir()
    assert cli.main(["ingest", str(folder), "--db", str(dbfile)]) == 0
    out = capsys.readouterr().out
    for f in left:
        assert not f.exists() and f"Opgeruimd: {f.name} (werkbestand van een eerder afgebroken laadronde)." in out
    assert dbfile.resolve() == current and current.exists() and unrelated.exists()


def test_the_dashboard_releases_replaced_versions(tmp_path, monkeypatch):
    from herstelmonitor import cache, ingest as ingest_module

    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    held = []
    for i in range(21):
        cursor = cache.current(dbfile)
        cursor.execute("SELECT count(*) FROM bestanden").fetchone()
        if i == 5:
            held.append(cursor)  # a page run still busy on this version
        work = tmp_path / f"db-{i}.duckdb"
        shutil.copyfile(dbfile.resolve(), work)
        ingest_module.swap_in(work, dbfile)
    del cursor
    cache.current(dbfile)
    assert cache.open_versions() == [str(tmp_path / "db-4.duckdb"), str(tmp_path / "db-20.duckdb")]
    assert held[0].execute("SELECT count(*) FROM bestanden").fetchone()[0] == 6  # still readable
    monkeypatch.setattr(cache, "GRACE_S", 0.0)
    cache.current(dbfile)
    assert cache.open_versions() == [str(tmp_path / "db-20.duckdb")]
    fds = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    assert [f for f in fds if str(tmp_path) in f and f.endswith("(deleted)")] == []


def test_opening_during_a_swap_retries_on_the_new_version(tmp_path, monkeypatch):
    """The link is resolved, then ingest swaps and unlinks that version before it is opened."""
    from herstelmonitor import cache, ingest as ingest_module

    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    old = dbfile.resolve()
    new = tmp_path / "db-2.duckdb"
    shutil.copyfile(old, new)
    real_version, calls = db.version, []

    def version_then_swap(path):
        found = real_version(path)
        if not calls:
            calls.append(path)
            ingest_module.swap_in(new, dbfile)  # unlinks `old`, which was just resolved and stat'ed
        return found

    monkeypatch.setattr(db, "version", version_then_swap)
    cursor = cache.current(dbfile)
    assert calls == [old] and not old.exists()
    assert queries.key(cursor)[0] == str(new) and queries.run(cursor, "bestanden").shape[0] == 6
