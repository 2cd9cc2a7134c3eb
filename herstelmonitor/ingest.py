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
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from herstelmonitor import db, metrics
from herstelmonitor.contract import COLUMNS, KINDS, ExtractFile, parse_file_name
from herstelmonitor.queries import sql
from herstelmonitor.validate import ExtractError, check, q

ACCEPTED, REFUSED, UNCHANGED = "geladen", "geweigerd", "al geladen"
SAMPLE_MANIFEST = "VOORBEELD.sha256"


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
    """CSV and Parquet files in the folder, in load order: by peildatum, then kind."""
    paths = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".parquet")]

    def order(p: Path):
        ex = parse_file_name(p)
        return (ex.peildatum, KINDS.index(ex.kind)) if ex else (date.max, 9)

    return sorted(paths, key=lambda p: (order(p), p.name))


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


def ingest(paths: list[Path], db_path: Path) -> list[FileResult]:
    """Load the given extract files into the database at db_path; returns one result per file."""
    with locked(db_path):
        loaded = loaded_checksums(db_path)
        results, todo = [], []
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
        if todo or not db_path.exists():
            results += load_into_copy(db_path, todo, replacing=set(loaded))
        return results


def loaded_checksums(db_path: Path) -> dict[tuple[str, date], str]:
    if not db_path.exists():
        return {}
    con = db.connect(db_path, read_only=True)
    try:
        return {(k, p): s for k, p, s in con.execute("SELECT soort, peildatum, sha256 FROM bestanden").fetchall()}
    finally:
        con.close()


def load_into_copy(db_path: Path, todo: list[tuple[ExtractFile, str]], replacing: set) -> list[FileResult]:
    work = db_path.with_name(f"{db_path.stem}-{time.time_ns()}{db_path.suffix}")
    swapped = False
    try:
        if db_path.exists():
            shutil.copyfile(db_path.resolve(), work)
        con = db.connect(work)
        # One checkpoint at the end instead of one per committed file (the copy is private until swapped).
        con.execute("SET checkpoint_threshold = '100GB'")
        db.ensure_schema(con)
        results = [load_file(con, ex, digest, (ex.kind, ex.peildatum) in replacing) for ex, digest in todo]
        changed = {ex.kind: set() for ex, _ in todo}
        for (ex, _), r in zip(todo, results):
            if r.outcome == ACCEPTED:
                changed[ex.kind].add(ex.peildatum)
        derive_support(con, changed.get("aanmeldingen", set()) | changed.get("ondersteuning", set()))
        flag_survey(con, changed.get("aanmeldingen", set()) | changed.get("ervaring", set()))
        store_metrics(con, set().union(*changed.values()) if changed else set())
        con.execute("CHECKPOINT")
        con.close()
        if any(r.outcome == ACCEPTED for r in results) or not db_path.exists():
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


def load_file(con: duckdb.DuckDBPyConnection, ex: ExtractFile, digest: str, replaces: bool) -> FileResult:
    con.execute("BEGIN TRANSACTION")
    try:
        checked = check(con, ex)
        store(con, ex, digest, checked.rows, checked.warnings, is_sample(ex.path, digest))
        con.execute("COMMIT")
    except ExtractError as e:
        con.execute("ROLLBACK")
        return FileResult(ex.name, REFUSED, messages=e.problems)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return FileResult(ex.name, ACCEPTED, checked.rows, replaces, checked.warnings)


def store(con: duckdb.DuckDBPyConnection, ex: ExtractFile, digest: str, rows: int, warnings: list[str],
          sample: bool) -> None:
    """Replace the kind's rows of this peildatum with the checked file (steun follows in derive_support)."""
    p = {"peildatum": ex.peildatum}
    cols = ", ".join(q(c) for c in COLUMNS[ex.kind])
    con.execute(f"DELETE FROM {ex.kind} WHERE peildatum = $peildatum", p)
    con.execute(f"INSERT INTO {ex.kind} (peildatum, {cols}) SELECT $peildatum, {cols} FROM parsed", p)
    con.execute("DROP VIEW parsed")
    con.execute("DROP TABLE raw")
    con.execute("DELETE FROM bestanden WHERE soort = $soort AND peildatum = $peildatum", {**p, "soort": ex.kind})
    con.execute(
        "INSERT INTO bestanden VALUES ($soort, $peildatum, $naam, $sha, $rijen, $op, $waarschuwingen, $voorbeeld)",
        {**p, "soort": ex.kind, "naam": ex.name, "sha": digest, "rijen": rows,
         "op": datetime.now().replace(microsecond=0), "waarschuwingen": warnings, "voorbeeld": sample},
    )


def store_metrics(con: duckdb.DuckDBPyConnection, peildata: set[date]) -> None:
    """Compute the spec's metrics once per changed peildatum, so pages and `kpis` only read them."""
    for peildatum in sorted(peildata):
        frame = metrics.compute_metric_table(con, peildatum, peildatum)
        values = [c for c in frame.columns if c not in ("peildatum", "gemeente")]
        frame[values] = frame[values].astype("float64")  # one type per column, whatever is missing where
        con.register("nieuwe_metrieken", frame)
        select = "SELECT CAST(peildatum AS DATE) AS peildatum, * EXCLUDE (peildatum) FROM nieuwe_metrieken"
        con.execute(f"CREATE TABLE IF NOT EXISTS metrieken AS {select} WHERE false")
        have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'metrieken'").fetchall()}
        for column in (c for c in values if c not in have):  # a metric added since the database was made
            con.execute(f"ALTER TABLE metrieken ADD COLUMN {q(column)} DOUBLE")
        con.execute("DELETE FROM metrieken WHERE peildatum = $p", {"p": peildatum})
        con.execute(f"INSERT INTO metrieken BY NAME {select}")
        con.unregister("nieuwe_metrieken")


def derive_support(con: duckdb.DuckDBPyConnection, peildata: set[date]) -> None:
    """Re-derive the steun rows of each peildatum whose aanmeldingen or ondersteuning changed."""
    for peildatum in sorted(peildata):
        p = {"peildatum": peildatum}
        con.execute("DELETE FROM steun WHERE peildatum = $peildatum", p)
        con.execute("INSERT INTO steun " + sql("steun_afleiden"), p)


def flag_survey(con: duckdb.DuckDBPyConnection, peildata: set[date]) -> None:
    """Mark each survey answer of these peildata by whether its parent is in that peildatum's registrations."""
    for peildatum in sorted(peildata):
        con.execute("UPDATE ervaring SET ouder_aangemeld = ouder_id IN "
                    "(SELECT ouder_id FROM aanmeldingen WHERE peildatum = $p) WHERE peildatum = $p", {"p": peildatum})
