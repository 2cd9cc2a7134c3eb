"""Loading extracts into the database, all or nothing per file.

The database file the dashboard reads is never written in place. The database path is a symbolic link
to a versioned file (`herstelmonitor-<ns>.duckdb`); ingest copies the current version, loads into the copy
(each file in its own transaction, so a refused file leaves no trace) and swaps the link atomically. A
crash midway leaves the old version untouched. A running dashboard sees another file behind the link and
opens it: a new path, so DuckDB does not hand back its cached instance of the old file, which the old
connections keep reading until they are done (the old file is unlinked, not overwritten).
"""
import fcntl
import hashlib
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from herstelmonitor import db, queries, terugtoets
from herstelmonitor.contract import COLUMNS, KINDS, ExtractFile, parse_file_name
from herstelmonitor.validate import ExtractError, check, q

ACCEPTED, REFUSED, UNCHANGED = "geladen", "geweigerd", "al geladen"
SAMPLE_MANIFEST = "VOORBEELD.sha256"
CONTACT_WARNING = "Eerste contact vóór het delen van de gegevens"


@dataclass
class FileResult:
    name: str
    outcome: str
    rows: int = 0
    replaced: bool = False
    messages: list[str] = field(default_factory=list)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract_files(folder: Path) -> list[Path]:
    """CSV and Parquet files in the folder, in load order: by peildatum, then kind. What is left out is listed
    by skipped_files()."""
    paths = [p for p in folder.iterdir() if skip_reason(p) is None]

    def order(p: Path):
        ex = parse_file_name(p)
        return (ex.peildatum, KINDS.index(ex.kind)) if ex else (date.max, 9)

    return sorted(paths, key=lambda p: (order(p), p.name))


def skip_reason(path: Path) -> str | None:
    """Why an entry of an extracts folder is not offered to ingest (Dutch), or None for a CSV or Parquet file."""
    if path.name == SAMPLE_MANIFEST:
        return "is de lijst van voorbeeldbestanden"
    if path.is_symlink() and not path.exists():
        return "verwijst naar een bestand dat niet bestaat"
    if path.is_dir():
        return "is een map, geen bestand"
    if not path.is_file():
        return "is geen gewoon bestand (bijvoorbeeld een pipe of apparaat)"
    if path.name != path.name.strip():
        return "de naam begint of eindigt met een spatie"
    if path.suffix.lower() not in (".csv", ".parquet"):
        return "heeft niet de extensie .csv of .parquet"
    return None


def skipped_files(folder: Path) -> list[tuple[str, str]]:
    """Every entry of the folder that is not loaded, with the reason (the sample manifest is no extract and
    not listed)."""
    return sorted((p.name, reason) for p in folder.iterdir()
                  if p.name != SAMPLE_MANIFEST and (reason := skip_reason(p)) is not None)


def mark_as_sample(folder: Path) -> Path:
    """List the folder's extracts as synthetic sample data (sha256sum format), so that ingest flags them
    and the dashboard may show them without sign-in."""
    lines = [f"{sha256(p)}  {p.name}\n" for p in extract_files(folder)]
    manifest = folder / SAMPLE_MANIFEST
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest


def is_sample(path: Path, digest: str) -> bool:
    manifest = path.parent / SAMPLE_MANIFEST
    return manifest.exists() and f"{digest}  {path.name}" in manifest.read_text(encoding="utf-8").splitlines()


@contextmanager
def locked(db_path: Path):
    """One ingest at a time per database."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


class Results(list):
    """One FileResult per offered file, plus the work files of an interrupted earlier ingest that were removed."""
    cleaned: list[str]


def ingest(paths: list[Path], db_path: Path, vervang_kleiner: bool = False) -> Results:
    """Load the given extract files into the database at db_path; returns one result per file.
    `vervang_kleiner`: a file with fewer than half the rows of the one it replaces (or of the same kind at the
    closest earlier peildatum) is intended; without it such a file is refused."""
    with locked(db_path):
        cleaned = remove_leftovers(db_path)
        loaded, stale = loaded_state(db_path)
        results, todo = Results(), []
        results.cleaned = cleaned
        for path in paths:
            ex = parse_file_name(path)
            if ex is None:
                results.append(FileResult(path.name, REFUSED, messages=[
                    f"Bestand {path.name}: de naam moet de vorm <soort>_<JJJJ-MM-DD>.csv of .parquet hebben, "
                    "met soort aanmeldingen, ondersteuning, deelname of ervaring."]))
                continue
            digest = sha256(path)
            if loaded.get((ex.kind, ex.peildatum)) == digest:
                results.append(FileResult(path.name, UNCHANGED))
            else:
                todo.append((ex, digest))
        if todo or stale or not db_path.exists():
            results += load_into_copy(db_path, todo, replacing=set(loaded), vervang_kleiner=vervang_kleiner)
        return results


def remove_leftovers(db_path: Path) -> list[str]:
    """Remove what an ingest killed midway left behind beside the database (its work copy with WAL, a link
    not yet swapped in); returns the removed names. Runs under the ingest lock, so no other ingest is writing
    them; the version the link points at is never touched."""
    if not db_path.parent.exists():
        return []
    current = db_path.resolve().name if db_path.is_symlink() else None
    work = re.compile(re.escape(db_path.stem) + r"-\d+" + re.escape(db_path.suffix) + r"(\.wal)?")
    link = re.compile(re.escape(f".{db_path.name}.link-") + r"\d+")
    removed = []
    for path in sorted(db_path.parent.iterdir()):
        if path.name in (current, f"{current}.wal") or not (work.fullmatch(path.name) or link.fullmatch(path.name)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def loaded_state(db_path: Path) -> tuple[dict[tuple[str, date], str], list[str]]:
    """The checksum of every loaded file, and the derived tables made with other definitions (stale)."""
    if not db_path.exists():
        return {}, []
    con = db.connect(db_path, read_only=True)
    try:
        loaded = {(k, p): s for k, p, s in con.execute("SELECT soort, peildatum, sha256 FROM bestanden").fetchall()}
        return loaded, queries.stale(con)
    finally:
        con.close()


def load_into_copy(db_path: Path, todo: list[tuple[ExtractFile, str]], replacing: set,
                   vervang_kleiner: bool = False) -> list[FileResult]:
    work = db_path.with_name(f"{db_path.stem}-{time.time_ns()}{db_path.suffix}")
    swapped = False
    try:
        if db_path.exists():
            shutil.copyfile(db_path.resolve(), work)
        con = db.connect(work)
        # One checkpoint at the end instead of one per committed file (the copy is private until swapped).
        con.execute("SET checkpoint_threshold = '100GB'")
        db.ensure_schema(con)
        results = [load_file(con, ex, digest, (ex.kind, ex.peildatum) in replacing, vervang_kleiner)
                   for ex, digest in todo]
        changed = {ex.kind: set() for ex, _ in todo}
        for (ex, _), r in zip(todo, results):
            if r.outcome == ACCEPTED:
                changed[ex.kind].add(ex.peildatum)
        every = set().union(*changed.values()) if changed else set()
        rebuilt = derive(con, every)
        support = changed.get("aanmeldingen", set()) | changed.get("ondersteuning", set())
        warn_contact_before_sharing(con, support, todo, results)
        flag_survey(con, changed.get("aanmeldingen", set()) | changed.get("ervaring", set()))
        rebuilt += make(con, bool(changed.get("aanmeldingen")))
        con.execute("CHECKPOINT")
        con.close()
        if every or rebuilt or not db_path.exists():
            swap_in(work, db_path)
            swapped = True
        return results
    finally:
        if not swapped:
            work.unlink(missing_ok=True)
        work.with_name(work.name + ".wal").unlink(missing_ok=True)


def swap_in(version: Path, db_path: Path) -> None:
    """Point db_path at the new version atomically, then unlink the old version file."""
    old = db_path.resolve() if db_path.is_symlink() else None
    link = db_path.with_name(f".{db_path.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(version.name)
    os.replace(link, db_path)
    if old is not None and old != version:
        old.unlink(missing_ok=True)


def load_file(con: duckdb.DuckDBPyConnection, ex: ExtractFile, digest: str, replaces: bool,
              vervang_kleiner: bool = False) -> FileResult:
    con.execute("BEGIN TRANSACTION")
    try:
        checked = check(con, ex)
        if not vervang_kleiner:
            check_not_much_smaller(con, ex, checked.rows)
        store(con, ex, digest, checked.rows, checked.warnings, is_sample(ex.path, digest))
        con.execute("COMMIT")
    except ExtractError as e:
        con.execute("ROLLBACK")
        return FileResult(ex.name, REFUSED, messages=e.problems)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return FileResult(ex.name, ACCEPTED, checked.rows, replaces, checked.warnings)


def check_not_much_smaller(con: duckdb.DuckDBPyConnection, ex: ExtractFile, rows: int) -> None:
    """Refuse a file with fewer than half the rows of the file it replaces or of the same kind at the closest
    earlier loaded peildatum (spec 2.6): a truncated or nearly empty export must not replace a full one."""
    earlier = con.execute(
        "SELECT peildatum, rijen FROM bestanden WHERE soort = $soort AND peildatum <= $peildatum "
        "ORDER BY peildatum DESC LIMIT 2", {"soort": ex.kind, "peildatum": ex.peildatum}).fetchall()
    compared = [(p, n) for p, n in earlier if p == ex.peildatum][:1] + [(p, n) for p, n in earlier if p < ex.peildatum][:1]
    for peildatum, before in compared:
        if rows < before / 2:
            what = "het bestand dat het vervangt" if peildatum == ex.peildatum else \
                f"het {ex.kind}-extract van de vorige peildatum {peildatum.isoformat()}"
            raise ExtractError(ex.name, [
                f"Bestand {ex.name}: {rows} {'rij' if rows == 1 else 'rijen'}, minder dan de helft van de {before} "
                f"rijen van {what}. Is het bestand onvolledig? Is de daling bedoeld, laad het dan met "
                "--vervang-kleiner (of kies 'Kleiner bestand is bedoeld' bij uploaden)."])


def warn_contact_before_sharing(con: duckdb.DuckDBPyConnection, peildata: set[date],
                                todo: list[tuple[ExtractFile, str]], results: list[FileResult]) -> None:
    """Spec 2.6: a first contact before that parent's sharing date (across the two files of one peildatum) is a
    warning, counted with the ondersteuning file on the data quality page; such a parent is left out of the
    lead time from sharing to contact (see the queries)."""
    for peildatum in sorted(peildata):
        n = con.execute("SELECT count(*) FROM steun WHERE peildatum = $p AND eerste_contact_datum < gegevens_gedeeld_datum",
                        {"p": peildatum}).fetchone()[0]
        con.execute("UPDATE bestanden SET waarschuwingen = list_filter(waarschuwingen, lambda w: NOT starts_with(w, $prefix)) "
                    "WHERE soort = 'ondersteuning' AND peildatum = $p", {"p": peildatum, "prefix": CONTACT_WARNING})
        if not n:
            continue
        text = (f"{CONTACT_WARNING} bij {n} {'ouder' if n == 1 else 'ouders'}: de eerste_contact_datum ligt vóór de "
                "gegevens_gedeeld_datum in het aanmeldingen-extract. Deze ouders tellen niet mee in de tijd tot eerste "
                "contact.")
        con.execute("UPDATE bestanden SET waarschuwingen = list_append(waarschuwingen, $w) "
                    "WHERE soort = 'ondersteuning' AND peildatum = $p", {"p": peildatum, "w": text})
        for (ex, _), r in zip(todo, results):
            if ex.peildatum == peildatum and r.outcome == ACCEPTED and ex.kind in ("aanmeldingen", "ondersteuning"):
                r.messages.append(text)


def store(con: duckdb.DuckDBPyConnection, ex: ExtractFile, digest: str, rows: int, warnings: list[str],
          sample: bool) -> None:
    """Replace the kind's rows of this peildatum with the checked file (the derived tables follow in derive)."""
    p = {"peildatum": ex.peildatum}
    cols = ", ".join(q(c) for c in COLUMNS[ex.kind])
    con.execute(f"DELETE FROM {ex.kind} WHERE peildatum = $peildatum", p)
    con.execute(f"INSERT INTO {ex.kind} (peildatum, {cols}) SELECT $peildatum, {cols} FROM parsed", p)
    con.execute("DROP TABLE parsed")
    con.execute("DELETE FROM bestanden WHERE soort = $soort AND peildatum = $peildatum", {**p, "soort": ex.kind})
    con.execute(
        "INSERT INTO bestanden VALUES ($soort, $peildatum, $naam, $sha, $rijen, $op, $waarschuwingen, $voorbeeld)",
        {**p, "soort": ex.kind, "naam": ex.name, "sha": digest, "rijen": rows,
         "op": datetime.now().replace(microsecond=0), "waarschuwingen": warnings, "voorbeeld": sample},
    )


def derive(con: duckdb.DuckDBPyConnection, changed: set[date]) -> list[str]:
    """Bring the derived tables of queries/schema.sql up to date, in their declared order, each computed
    per peildatum by its query. A table whose fingerprint differs from the stored one (or that does not
    exist yet) is rebuilt for every loaded peildatum, and so is every table after it; otherwise only the
    changed peildata are recomputed. Returns the tables rebuilt in full."""
    stored = dict(con.execute("SELECT tabel, vingerafdruk FROM afgeleid").fetchall())
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    every = {r[0] for r in con.execute("SELECT DISTINCT peildatum FROM bestanden").fetchall()}
    fingerprints, rebuilt = queries.fingerprints(), []
    for d in queries.derived():
        query, params = queries.sql(d.query), d.params()
        todo = changed
        if rebuilt or d.table not in existing or stored.get(d.table) != fingerprints[d.table]:
            con.execute(f"CREATE OR REPLACE TABLE {d.table} AS SELECT * FROM ({query}) WHERE false",
                        {"peildatum": date.min, **params})
            con.execute("INSERT OR REPLACE INTO afgeleid VALUES ($tabel, $vingerafdruk)",
                        {"tabel": d.table, "vingerafdruk": fingerprints[d.table]})
            rebuilt.append(d.table)
            todo = every
        for peildatum in sorted(todo):
            con.execute(f"DELETE FROM {d.table} WHERE peildatum = $peildatum", {"peildatum": peildatum})
            con.execute(f"INSERT INTO {d.table} BY NAME {query}", {"peildatum": peildatum, **params})
    return rebuilt


# The tables made by Python code (queries.made()), and the function that makes each.
MAKERS = {"terugtoets": terugtoets.opslaan}  # the forecast's back-test against the latest extract


def make(con: duckdb.DuckDBPyConnection, registrations_changed: bool) -> list[str]:
    """Remake the tables made by Python code when registrations changed or their fingerprint (the code and
    the files it reads) differs from the stored one; returns those remade for a changed fingerprint."""
    stored = dict(con.execute(queries.sql("afgeleid")).fetchall())
    fingerprints, rebuilt = queries.fingerprints(), []
    for table in queries.made():
        other = stored.get(table) != fingerprints[table]
        if not (other or registrations_changed):
            continue
        rebuilt += [table] if other else []
        MAKERS[table](con)
        con.execute("INSERT OR REPLACE INTO afgeleid VALUES ($tabel, $vingerafdruk)",
                    {"tabel": table, "vingerafdruk": fingerprints[table]})
    return rebuilt


def flag_survey(con: duckdb.DuckDBPyConnection, peildata: set[date]) -> None:
    """Mark each survey answer of these peildata by whether its parent is in that peildatum's registrations."""
    for peildatum in sorted(peildata):
        con.execute("UPDATE ervaring SET ouder_aangemeld = ouder_id IN "
                    "(SELECT ouder_id FROM aanmeldingen WHERE peildatum = $p) WHERE peildatum = $p", {"p": peildatum})
