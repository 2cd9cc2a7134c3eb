"""Extract delivery through the dashboard (role beheer): the same checks as `ingest`, plus a log.

Uploaded files are staged under their own name, checked and loaded by herstelmonitor.ingest in one go;
accepted files are kept in the uploads folder beside the database with a checksum file. The log records
who uploaded which file when, and the outcome with row counts: never parent data.
"""
import hashlib
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from herstelmonitor import config
from herstelmonitor.ingest import ACCEPTED, REFUSED, FileResult, ingest


def uploads_dir(db_path: Path) -> Path:
    return db_path.parent / "uploads"


def log_file(db_path: Path) -> Path:
    return uploads_dir(db_path) / "uploadlog.jsonl"


def max_bytes() -> int:
    return int(config.settings()["upload"]["max_mb"]) * 1024 * 1024


MAX_NAME_BYTES = 255  # what a file system allows for one name


def refusal(name: str, content: bytes) -> FileResult | None:
    """A refusal for a file that cannot even be staged: too large, or a name no file system takes."""
    if len(content) > max_bytes():
        return FileResult(name, REFUSED, messages=[
            f"Bestand {name} is te groot ({len(content) / 1e6:.0f} MB; maximaal {max_bytes() // (1024 * 1024)} MB)."])
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return FileResult(name, REFUSED, messages=[
            f"Bestand {short(name)}: de naam is te lang ({len(name.encode('utf-8'))} bytes; hoogstens "
            f"{MAX_NAME_BYTES}). Gebruik de naam <soort>_<JJJJ-MM-DD>.csv of .parquet."])
    if name in ("", ".", ".."):
        return FileResult(name, REFUSED, messages=["Een bestand zonder geldige naam is geweigerd."])
    return None


def short(name: str, keep: int = 60) -> str:
    """A long name shortened for messages and the log."""
    return name if len(name) <= keep else name[:keep] + "…"


def receive(files: list[tuple[str, bytes]], db_path: Path, user: str, vervang_kleiner: bool = False) -> list[FileResult]:
    """Check and load uploaded files (name, content); returns one result per file, in order. Nothing a file
    system or the checks object to escapes as an exception: every file gets a Dutch result and a log line."""
    store = uploads_dir(db_path)
    store.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=store))
    try:
        results, staged, digests = {}, [], {}
        for name, content in files:
            name = Path(name).name  # never a path from the browser
            digests[name] = hashlib.sha256(content).hexdigest()
            refused = refusal(name, content)
            if refused is not None:
                results[name] = refused
                continue
            path = staging / name
            try:
                path.write_bytes(content)
            except OSError:
                results[name] = FileResult(name, REFUSED, messages=[
                    f"Bestand {short(name)} kan onder deze naam niet worden opgeslagen. Gebruik de naam "
                    "<soort>_<JJJJ-MM-DD>.csv of .parquet."])
                continue
            staged.append(path)
        for result in ingest(staged, db_path, vervang_kleiner=vervang_kleiner):
            results[result.name] = result
        for name, result in results.items():
            if result.outcome == ACCEPTED:
                keep(staging / name, store, digests[name])
            write_log(db_path, user, result, digests[name])
        return [results[Path(name).name] for name, _ in files]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def keep(path: Path, store: Path, digest: str) -> None:
    """Store an accepted file under its own name with its checksum; an earlier version is kept aside."""
    target = store / path.name
    if target.exists():
        target.rename(store / f"{path.name}.vervangen-{datetime.now():%Y%m%d%H%M%S}")
    shutil.move(path, target)
    (store / f"{path.name}.sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")


def write_log(db_path: Path, user: str, result: FileResult, digest: str) -> None:
    entry = {
        "tijd": datetime.now().isoformat(timespec="seconds"),
        "gebruiker": user,
        "bestand": short(result.name, MAX_NAME_BYTES),
        "uitkomst": result.outcome,
        "rijen": result.rows,
        "meldingen": len(result.messages),
        "sha256": digest,
    }
    with open(log_file(db_path), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_log(db_path: Path) -> pd.DataFrame:
    """The upload log, newest first, with Dutch column names for the page."""
    path = log_file(db_path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    frame = pd.DataFrame(rows, columns=["tijd", "gebruiker", "bestand", "uitkomst", "rijen", "meldingen", "sha256"])
    frame = frame.iloc[::-1].reset_index(drop=True)
    return frame.rename(columns={"tijd": "Tijd", "gebruiker": "Door", "bestand": "Bestand", "uitkomst": "Uitkomst",
                                 "rijen": "Rijen", "meldingen": "Meldingen", "sha256": "Controlegetal (SHA-256)"})
