"""Extract upload by the data team: the same checks as ingest, files kept with a checksum, a log."""
import hashlib
import json

from herstelmonitor import db, upload
from herstelmonitor.ingest import ACCEPTED, REFUSED, UNCHANGED
from tests.conftest import KLEIN, load, snapshot

GOOD = "aanmeldingen_2021-09-30.csv"


def good_file() -> bytes:
    return (KLEIN / "aanmeldingen_2021-06-30.csv").read_bytes()


def test_accepted_upload_is_loaded_kept_and_logged(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    [result] = upload.receive([(GOOD, good_file())], dbfile, "datateam@example.nl")
    assert result.outcome == ACCEPTED and result.rows == 12
    kept = tmp_path / "uploads" / GOOD
    assert kept.read_bytes() == good_file()
    assert (tmp_path / "uploads" / f"{GOOD}.sha256").read_text().split()[0] == hashlib.sha256(good_file()).hexdigest()
    con = db.connect(dbfile, read_only=True)
    assert con.execute("SELECT count(*) FROM aanmeldingen WHERE peildatum = '2021-09-30'").fetchone()[0] == 12
    con.close()
    log = upload.read_log(dbfile)
    assert list(log.iloc[0][["Door", "Bestand", "Uitkomst", "Rijen"]]) == ["datateam@example.nl", GOOD, ACCEPTED, 12]
    # The same file again changes nothing.
    assert upload.receive([(GOOD, good_file())], dbfile, "datateam@example.nl")[0].outcome == UNCHANGED


def test_refused_upload_changes_nothing_and_the_log_holds_no_parent_data(tmp_path):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    before, version = snapshot(dbfile), db.version(dbfile)
    broken = good_file().replace(b"OU05,2021-02-10", b"OU05,2031-02-10")  # a date after the peildatum
    [result] = upload.receive([("../../" + GOOD, broken)], dbfile, "datateam@example.nl")
    assert result.outcome == REFUSED and "rij 6, kolom aanmelddatum" in result.messages[0]
    assert snapshot(dbfile) == before and db.version(dbfile) == version
    assert not (tmp_path / "uploads" / GOOD).exists()
    log_text = (tmp_path / "uploads" / "uploadlog.jsonl").read_text()
    assert json.loads(log_text)["uitkomst"] == REFUSED and "OU0" not in log_text


def test_uploads_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    dbfile = load(KLEIN, tmp_path / "db.duckdb")
    monkeypatch.setattr(upload, "max_bytes", lambda: 100)
    [result] = upload.receive([(GOOD, good_file())], dbfile, "datateam@example.nl")
    assert result.outcome == REFUSED and "te groot" in result.messages[0]
