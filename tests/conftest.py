"""Shared fixtures: small hand-made extracts, a small generated sample, clean Streamlit caches."""
from pathlib import Path

import pytest
import streamlit as st

from herstelmonitor.ingest import ACCEPTED, extract_files, ingest

TESTS = Path(__file__).resolve().parent
KLEIN = TESTS / "fixtures" / "klein"
ERVARING = TESTS / "fixtures" / "ervaring"  # klein plus a parent survey for 2021-06-30
SAMPLE_SCALE = 0.05


@pytest.fixture(autouse=True)
def clean_streamlit_caches():
    # st.cache_* survive across AppTest instances in one process.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    from herstelmonitor import cache

    cache.close_all()  # the database versions the test opened (cache.py keeps them until released)


TABLES = ("aanmeldingen", "ondersteuning", "deelname", "steun", "bestanden")


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Full contents of every extract table (and the file log), in a stable order: to prove nothing changed."""
    from herstelmonitor import db

    con = db.connect(db_path, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


def download_csv(data: bytes):
    """A downloaded CSV as a DataFrame of strings: its first line names the source and peildatum, the table follows."""
    import io

    import pandas as pd

    bron, tabel = data.decode("utf-8-sig").split("\n", 1)
    assert bron.startswith("# Bron: ") and "Peildatum: " in bron, bron
    return pd.read_csv(io.StringIO(tabel), sep=";", dtype=str)


def load(folder: Path, db: Path) -> Path:
    results = ingest(extract_files(folder), db)
    refused = [(r.name, r.messages) for r in results if r.outcome != ACCEPTED]
    assert not refused, refused
    return db


@pytest.fixture
def klein_db(tmp_path, monkeypatch) -> Path:
    """The hand-made extracts of tests/fixtures/klein loaded into a fresh database the app reads."""
    db = load(KLEIN, tmp_path / "klein.duckdb")
    monkeypatch.setenv("HERSTELMONITOR_DB", str(db))
    return db


@pytest.fixture
def ervaring_db(tmp_path, monkeypatch) -> Path:
    """tests/fixtures/ervaring (klein plus a hand-made survey) loaded into a fresh database the app reads."""
    db = load(ERVARING, tmp_path / "ervaring.duckdb")
    monkeypatch.setenv("HERSTELMONITOR_DB", str(db))
    return db


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A small generated sample (all 41 peildata, 5% of the national size), built and loaded once."""
    from herstelmonitor.ingest import mark_as_sample
    from herstelmonitor.sample import write_sample

    root = tmp_path_factory.mktemp("sample")
    write_sample(root / "extracts", seed=1, scale=SAMPLE_SCALE)
    mark_as_sample(root / "extracts")
    return load(root / "extracts", root / "sample.duckdb")


@pytest.fixture
def sample_app(sample_db, monkeypatch) -> Path:
    monkeypatch.setenv("HERSTELMONITOR_DB", str(sample_db))
    return sample_db
