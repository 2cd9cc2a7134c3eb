"""Robustness of ingest against damaged extracts (property-based, hypothesis).

Every example starts from a valid extract of tests/fixtures/klein (all three kinds; 2021-03-31 is a Dutch
export with ';' and dd-mm-yyyy, 2021-06-30 is ISO with ','), damages it at random and offers it to a fresh copy
of the database with the whole klein set loaded, either for its own peildatum (a replacement) or for a new one.

Property: ingest() never raises, and the file is either
- refused ("geweigerd"): at least one message, each naming the file, and every table plus db.version() exactly
  as before; or
- loaded ("geladen"): the row count equals the number of data records a plain CSV reader sees, every record
  left intact by the damage is stored exactly as in the undamaged load, every stored value obeys the contract,
  steun is re-derived, and nothing outside that kind and peildatum changed.
Some damages have a stronger expectation (a consistent column shuffle must load the same rows, a duplicated
line must be refused, ...), asserted in their test.

The number of damaged extracts tried per test and outcome is written to test-artifacts/robustness.json.
"""
from __future__ import annotations

import codecs
import hashlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herstelmonitor import db
from herstelmonitor.contract import COLUMNS, STATUSES, UITKOMSTEN
from herstelmonitor.ingest import ACCEPTED, REFUSED, UNCHANGED, extract_files, ingest, sha256
from herstelmonitor.queries import sql

ROOT = Path(__file__).resolve().parent.parent
KLEIN = Path(__file__).resolve().parent / "fixtures" / "klein"
ARTIFACT = ROOT / "test-artifacts" / "robustness.json"
TABLES = ("aanmeldingen", "ondersteuning", "deelname", "steun", "bestanden")
NEW_P = "2021-09-30"  # not in the klein set
KEYS = {"aanmeldingen": ("ouder_id",), "ondersteuning": ("ouder_id", "gemeentecode"), "deelname": ("gemeentecode",)}

# Examples per property test; small enough that the file runs in about a minute on a shared machine.
EXAMPLES = {
    "test_truncated": 30,
    "test_rows_dropped_or_reordered_load_exactly": 15,
    "test_lines_cut_duplicated_dropped": 30,
    "test_columns_shuffled_consistently_load_the_same": 25,
    "test_header_only_shuffled": 25,
    "test_cell_replaced": 60,
    "test_encoding_damage": 30,
    "test_delimiters_and_line_endings": 30,
    "test_very_long_lines": 10,
    "test_parquet_damage": 20,
    "test_column_names_damaged": 30,
    "test_blank_and_whitespace_rows": 15,
    "test_date_extremes": 40,
    "test_parquet_timestamps_with_zone": 15,
}
# A damage run (scripts/damage_run.py) multiplies the examples; `make test` runs the numbers above.
EXAMPLES = {test: int(n * float(os.environ.get("HM_DAMAGE_SCALE", "1"))) for test, n in EXAMPLES.items()}
COUNTS: dict[str, Counter] = defaultdict(Counter)
csv.field_size_limit(1 << 26)  # the very long lines below are longer than the csv module's default field limit


def robust(test):
    """Hypothesis settings: reproducible (derandomize, no example database in the worktree), no deadline."""
    return settings(max_examples=EXAMPLES[test.__name__], deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])(test)


def elfproef(s: str) -> bool:
    return len(s) == 9 and s.isascii() and s.isdigit() and \
        (sum((9 - i) * int(d) for i, d in enumerate(s[:8])) - int(s[8])) % 11 == 0


# --- the undamaged sources ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    peil: str
    delim: str
    data: bytes
    header: tuple[str, ...]
    records: tuple[tuple[str, ...], ...]
    rows: tuple[tuple, ...]  # rows[i]: record i as stored by the undamaged load (COLUMNS order)

    @property
    def by_values(self) -> dict[tuple[str, ...], tuple]:
        return {rec: row for rec, row in zip(self.records, self.rows)}

    def __repr__(self) -> str:  # hypothesis prints the drawn source
        return f"Source({self.name})"

    def text(self) -> str:
        return self.data.decode("utf-8")


@dataclass(frozen=True)
class Base:
    root: Path
    template: Path  # the versioned database file with the klein set loaded
    sources: tuple[Source, ...]
    before: dict[str, list[tuple]]  # snapshot of the template: every fresh copy starts like this

    def __repr__(self) -> str:
        return "Base(klein)"


def query(db_path: Path, text: str, params=None) -> list[tuple]:
    con = db.connect(db_path, read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()


def snapshot(db_path: Path, kind: str | None = None, peil: str | None = None) -> dict[str, list[tuple]]:
    """Full contents of every extract table (and the file log), in a stable order; with kind and peil also the
    stored rows of that kind and peildatum ("rows") and steun as steun_afleiden derives it ("derived")."""
    con = db.connect(db_path, read_only=True)
    try:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
        if kind:
            p = {"peildatum": date.fromisoformat(peil)}
            cols = ", ".join(COLUMNS[kind])
            out["rows"] = con.execute(f"SELECT {cols} FROM {kind} WHERE peildatum = $peildatum ORDER BY ALL",
                                      p).fetchall()
            out["derived"] = con.execute(sql("steun_afleiden"), p).fetchall()
        return out
    finally:
        con.close()


def stored_rows(db_path: Path, kind: str, peil: str) -> list[tuple]:
    return snapshot(db_path, kind, peil)["rows"]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    root = tmp_path_factory.mktemp("robuust")
    link = root / "klein.duckdb"
    results = ingest(extract_files(KLEIN), link)
    assert [r.outcome for r in results] == [ACCEPTED] * 6, [(r.name, r.messages) for r in results]
    sources = []
    for path in sorted(KLEIN.glob("*.csv")):
        kind, peil = path.stem.split("_")
        data = path.read_bytes()
        delim = ";" if data.splitlines()[0].count(b";") else ","
        header, *records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delim))
        header = [c.strip().lower() for c in header]
        cols = list(COLUMNS[kind])
        stored = {tuple(row[cols.index(k)] for k in KEYS[kind]): row for row in stored_rows(link, kind, peil)}
        rows = [stored[tuple(rec[header.index(k)].strip() for k in KEYS[kind])] for rec in records]
        sources.append(Source(path.name, kind, peil, delim, data, tuple(header), tuple(map(tuple, records)),
                              tuple(rows)))
    return Base(root, link.resolve(), tuple(sources), snapshot(link))


def fresh_db(base: Base) -> tuple[Path, Path]:
    """A copy of the loaded klein database as ingest leaves it (a link to a versioned file), and an empty
    folder for the extract."""
    work = Path(tempfile.mkdtemp(dir=base.root))
    version = work / "hm-1.duckdb"
    shutil.copyfile(base.template, version)
    (work / "hm.duckdb").symlink_to(version.name)
    (work / "in").mkdir()
    return work / "hm.duckdb", work / "in"


# --- what a plain CSV reader sees in the damaged file -------------------------------------------------------------

@dataclass
class Seen:
    records: int  # data records (blank lines skipped)
    intact: list[tuple]  # stored rows expected for the records the damage left as they were


def seen(src: Source, data: bytes) -> Seen | None:
    """Independent expectation from Python's csv module; None when the file is not UTF-8 CSV text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if r]
    except csv.Error:
        return None
    if not records:
        return Seen(0, [])
    header = [c.strip().lower() for c in records[0]]
    intact = []
    if set(src.header) <= set(header) and len(set(header)) == len(header):
        originals = src.by_values
        for rec in records[1:]:
            if len(rec) == len(header):
                values = dict(zip(header, rec))
                key = tuple(values[c] for c in src.header)
                if key in originals:
                    intact.append(originals[key])
    return Seen(len(records) - 1, intact)


# --- the property -----------------------------------------------------------------------------------------------

HANG_S = 30.0  # one klein-sized file that takes longer than this to check counts as a hang


def offer(base: Base, test: str, src: Source, data: bytes | None, peil: str, suffix: str = "csv",
          vervang_kleiner: bool = True, write_file=None):
    """Ingest the damaged file into a fresh database and check the property. Returns (result, stored rows of
    that kind and peildatum or None when not loaded, the database path). `vervang_kleiner` (the default
    here): a damage that drops rows is judged on its content; the size rule has its own tests.
    `write_file(path)` writes the file instead of `data` (Parquet with types)."""
    db_path, folder = fresh_db(base)
    try:
        path = folder / f"{src.kind}_{peil}.{suffix}"
        write_file(path) if write_file else path.write_bytes(data)
        data = path.read_bytes()
        before, version = base.before, db.version(db_path)
        start = time.monotonic()
        try:
            results = ingest([path], db_path, vervang_kleiner=vervang_kleiner)
        except Exception as e:  # the property under test: a damaged file never crashes the ingest
            COUNTS["_crashes"][test] += 1
            pytest.fail(f"ingest raised {type(e).__name__}: {e}\nfile {path.name}, {len(data)} bytes: {data[:300]!r}")
        if time.monotonic() - start > HANG_S:
            COUNTS["_hangs"][test] += 1
        [r] = results
        COUNTS[test][r.outcome] += 1
        assert r.name == path.name
        if r.outcome == REFUSED:
            assert r.messages, "refused without a message"
            assert all(m.startswith(f"Bestand {path.name}") for m in r.messages), r.messages
            assert db.version(db_path) == version, "the database was rewritten for a refused file"
            assert snapshot(db_path) == before
            return r, None
        if r.outcome == UNCHANGED:
            assert (data, suffix, peil) == (src.data, "csv", src.peil), "'al geladen' for a file never loaded"
            assert db.version(db_path) == version and snapshot(db_path) == before
            return r, src.rows
        assert r.outcome == ACCEPTED, r.outcome
        after = snapshot(db_path, src.kind, peil)
        rows = after["rows"]
        assert db.version(db_path) != version
        assert r.rows == len(rows)
        if suffix == "csv":
            s = seen(src, data)
            assert s is not None, f"loaded a file that is not UTF-8 CSV: {data[:300]!r}"
            assert len(rows) == s.records, (len(rows), s.records, data[:500])
            assert not Counter(s.intact) - Counter(rows), ("an intact record was not stored as before",
                                                            Counter(s.intact) - Counter(rows))
        assert_contract(src.kind, date.fromisoformat(peil), rows)
        assert_only_target_changed(before, after, src.kind, date.fromisoformat(peil), path, data, len(rows))
        return r, rows
    finally:
        shutil.rmtree(db_path.parent, ignore_errors=True)


def assert_contract(kind: str, p: date, rows: list[tuple]) -> None:
    cols = list(COLUMNS[kind])
    for row in rows:
        v = dict(zip(cols, row))
        for c, k in COLUMNS[kind].items():
            x = v[c]
            if k == "datum":
                assert x is None or date(2004, 1, 1) <= x <= p, (c, x, p)
            elif k == "bedrag":
                assert x is not None and 0 <= x <= 1_000_000, (c, x)
            elif k == "bool":
                assert x in (True, False), (c, x)
            elif k == "code":
                assert x is None or re.fullmatch(r"GM[0-9]{4}", x), (c, x)
            elif k == "id":
                assert x and x.strip(" ") == x and not elfproef(x), (c, x)
            if k in ("id", "code", "tekst") and x is not None:
                assert not elfproef(x.strip(" ")), (c, "BSN stored")
        if kind == "aanmeldingen":
            assert v["aanmelddatum"] is not None
            assert v["eerste_toets_uitkomst"] in (*UITKOMSTEN, None)
            assert (v["eerste_toets_uitkomst"] is None) == (v["eerste_toets_datum"] is None)
            assert v["forfait_betaald_datum"] is None or v["eerste_toets_uitkomst"] == "gedupeerd"
            for later, earlier in (("eerste_toets_datum", "aanmelddatum"), ("forfait_betaald_datum", "eerste_toets_datum"),
                                   ("integrale_beoordeling_datum", "aanmelddatum"),
                                   ("integrale_beoordeling_datum", "eerste_toets_datum"),
                                   ("gegevens_gedeeld_datum", "aanmelddatum")):
                assert v[later] is None or v[earlier] is None or v[later] >= v[earlier], (later, earlier, v)
        if kind == "ondersteuning":
            assert v["status"] in STATUSES and v["gemeentecode"] is not None
            assert (v["eerste_contact_datum"] is None) == (v["status"] in ("nog_geen_contact", "niet_bereikbaar")) \
                or v["status"] == "hulp_afgewezen"
        if kind == "deelname":
            assert v["gemeentecode"] is not None
    keys = [tuple(row[cols.index(k)] for k in KEYS[kind]) for row in rows]
    assert len(keys) == len(set(keys)), "duplicate key stored"


def assert_only_target_changed(before: dict, after: dict, kind: str, p: date, path: Path,
                               data: bytes, n: int) -> None:
    for t in ("aanmeldingen", "ondersteuning", "deelname"):
        other = lambda rows: [x for x in rows if not (t == kind and x[0] == p)]
        assert other(after[t]) == other(before[t]), t
    if kind == "deelname":
        assert after["steun"] == before["steun"]
    else:
        assert [x for x in after["steun"] if x[0] != p] == [x for x in before["steun"] if x[0] != p]
        assert Counter(x for x in after["steun"] if x[0] == p) == Counter(after["derived"]), "steun not re-derived"
    logged = lambda rows: [x for x in rows if (x[0], x[1]) != (kind, p)]
    assert logged(after["bestanden"]) == logged(before["bestanden"])
    [entry] = [x for x in after["bestanden"] if (x[0], x[1]) == (kind, p)]
    assert entry[2:5] == (path.name, sha256(path), n)
    assert entry[3] == hashlib.sha256(data).hexdigest()


# --- strategies ---------------------------------------------------------------------------------------------

@st.composite
def source_and_peil(draw, base: Base, kinds=tuple(COLUMNS)):
    src = draw(st.sampled_from([s for s in base.sources if s.kind in kinds]))
    return src, draw(st.sampled_from([src.peil, NEW_P]))


def write(header: list[str], records: list[list[str]], delim: str, newline: str = "\n") -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=delim, lineterminator=newline)
    w.writerow(header)
    w.writerows(records)
    return out.getvalue().encode("utf-8")


NASTY = st.one_of(
    st.sampled_from([
        "1e308", "-1e308", str(10 ** 30), "9" * 400, "-1", "-0", "-0,01", "NaN", "nan", "inf", "-inf", "Infinity",
        "", " ", "null", "NULL", "\\N", "0x1F", "\u0661\u0662\u0663", "\uff13\uff10", "30.000", "1.500", "30000.00",
        "30.000,00", "30000,5", "0", "0,001", "1,005", "12345678901,23", "999999999999,99", "1000000000000",
        "1.234.567,89", "1.2.3,4", ".", ",", ",5", "5.", "2021-02-29", "2020-02-29", "31-12-2021", "2021-06-30",
        "2021-07-01", "0001-01-01", "9999-12-31", "29-2-2021", "1-1-2021", "2021-1-1", "true", "ja", "Ja", " nee ",
        "2", "GM0599", "GM9999", "gm0599", " GM0599 ", "111222333", "111222334", "OU01", "a\nb", '"', "'", ";", ",",
        "\x00", "\ufeff", "\u00e9", "\u202e", "\t", "x" * 5000,
    ]),
    st.text(max_size=20),
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str),
    st.floats().map(repr),
    st.from_regex(r"[0-9]{1,7}([.,][0-9]{1,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
)


# --- tests: damage to the bytes and lines -------------------------------------------------------------------

@robust
@given(data=st.data())
def test_truncated(base: Base, data):
    src, peil = data.draw(source_and_peil(base))
    cut = data.draw(st.one_of(st.just(0), st.integers(0, len(src.data))))
    r, rows = offer(base, "test_truncated", src, src.data[:cut], peil)
    if cut == 0:
        assert r.outcome == REFUSED and any("is leeg" in m for m in r.messages), r.messages


@robust
@given(data=st.data())
def test_rows_dropped_or_reordered_load_exactly(base: Base, data):
    """Whole data lines dropped or in another order: the remaining rows load as they were."""
    src, peil = data.draw(source_and_peil(base))
    lines = src.data.splitlines(keepends=True)
    keep = data.draw(st.lists(st.sampled_from(range(1, len(lines))), unique=True))
    intended = data.draw(st.booleans())
    r, rows = offer(base, "test_rows_dropped_or_reordered_load_exactly", src,
                    b"".join([lines[0]] + [lines[i] for i in keep]), peil, vervang_kleiner=intended)
    # Spec 2.6: fewer than half the rows of the file it replaces, or of the closest earlier peildatum, is refused
    # unless intended.
    loaded = {(k, str(p)): n for k, p, _, _, n, *_ in base.before["bestanden"]}
    compared = [n for (k, p), n in loaded.items() if k == src.kind and p == peil] + \
        [n for (k, p), n in sorted(loaded.items()) if k == src.kind and p < peil][-1:]
    if not intended and any(len(keep) < n / 2 for n in compared):
        assert r.outcome == REFUSED and "minder dan de helft" in r.messages[0], r.messages
        return
    assert r.outcome in (ACCEPTED, UNCHANGED), r.messages
    assert sorted(rows) == sorted(src.rows[i - 1] for i in keep)


LINE_OPS = st.sampled_from(["drop", "duplicate", "cut", "blank", "join", "swap"])


@robust
@given(data=st.data())
def test_lines_cut_duplicated_dropped(base: Base, data):
    src, peil = data.draw(source_and_peil(base))
    lines = src.data.splitlines(keepends=True)
    ops = data.draw(st.lists(st.tuples(LINE_OPS, st.integers(0, 20), st.integers(0, 200)), min_size=1, max_size=4))
    duplicated = False
    for op, i, j in ops:
        if not lines:
            break
        i %= len(lines)
        if op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
            duplicated = duplicated or i > 0
        elif op == "cut":  # a line cut short, glued to the next one
            lines[i] = lines[i][: j % (len(lines[i]) + 1)]
        elif op == "blank":
            lines.insert(i, b"\n")
        elif op == "join" and i + 1 < len(lines):
            lines[i: i + 2] = [lines[i].rstrip(b"\r\n") + lines[i + 1]]
        elif op == "swap":
            k = j % len(lines)
            lines[i], lines[k] = lines[k], lines[i]
    damaged = b"".join(lines)
    r, rows = offer(base, "test_lines_cut_duplicated_dropped", src, damaged, peil)
    if duplicated and r.outcome == ACCEPTED:
        # A duplicated data line is a duplicate key: it may only load when a later op removed or broke it.
        assert len(rows) == len(set(rows))


# --- tests: columns -----------------------------------------------------------------------------------------

@robust
@given(data=st.data())
def test_columns_shuffled_consistently_load_the_same(base: Base, data):
    """Header and values shuffled alike (optionally with an extra column) load exactly the undamaged rows;
    without a required column the file is refused naming that column."""
    src, peil = data.draw(source_and_peil(base))
    order = data.draw(st.permutations(range(len(src.header))))
    header = [src.header[i] for i in order]
    records = [[rec[i] for i in order] for rec in src.records]
    extra = data.draw(st.booleans())
    if extra:
        at = data.draw(st.integers(0, len(header)))
        header.insert(at, "opmerking")
        for rec in records:
            rec.insert(at, data.draw(st.text(alphabet="abc xyz\u00e9;,\"'\n", max_size=12)))
    drop = data.draw(st.one_of(st.none(), st.sampled_from(list(src.header))))
    if drop is not None:
        at = header.index(drop)
        header.pop(at)
        for rec in records:
            rec.pop(at)
    upper = data.draw(st.booleans())
    out = write([c.upper() if upper else c for c in header], records, src.delim)
    r, rows = offer(base, "test_columns_shuffled_consistently_load_the_same", src, out, peil)
    if drop is not None:
        assert r.outcome == REFUSED
        assert any(f"rij 1: kolom {drop} ontbreekt" in m for m in r.messages), r.messages
    else:
        assert r.outcome in (ACCEPTED, UNCHANGED), r.messages
        assert sorted(rows) == sorted(src.rows)
        assert any("Kolom opmerking hoort niet" in m for m in r.messages) == extra


@robust
@given(data=st.data())
def test_header_only_shuffled(base: Base, data):
    """Header names in another order, values not: refused, or loaded with each column read from the values
    under its new name (columns of the same kind parse the same, so their stored values are the moved ones)."""
    src, peil = data.draw(source_and_peil(base))
    order = data.draw(st.permutations(range(len(src.header))))
    header = [src.header[i] for i in order]
    out = write(header, [list(rec) for rec in src.records], src.delim)
    r, rows = offer(base, "test_header_only_shuffled", src, out, peil)
    if r.outcome != ACCEPTED:
        return
    cols = list(COLUMNS[src.kind])
    for c in cols:
        moved_from = src.header[header.index(c)]  # file position of c held moved_from's values
        if COLUMNS[src.kind][moved_from] == COLUMNS[src.kind][c]:
            got = Counter(row[cols.index(c)] for row in rows)
            want = Counter(row[cols.index(moved_from)] for row in src.rows)
            assert got == want, (c, moved_from)


# --- tests: values ------------------------------------------------------------------------------------------

def expected_amount(text: str) -> Decimal | str:
    """An independent reading of an amount: the value, 'fout' (must be refused) or 'vaag' (either way)."""
    s = text.strip(" ")
    if s == "":
        return Decimal("0.00")
    if not re.fullmatch(r"[0-9.,]+", s):
        return "fout"
    if "," not in s and re.fullmatch(r"[0-9]*\.[0-9]{3}", s):
        return "fout"  # ambiguous: '30.000'
    if re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", s) or re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})*,[0-9]{1,2}|[0-9]+,[0-9]{1,2}", s):
        value = Decimal(s.replace(".", "").replace(",", ".") if "," in s else s)
        return value if value <= 1_000_000 else "fout"  # spec 2.6: at most EUR 1,000,000 for one parent
    try:
        if Decimal(s.replace(".", "").replace(",", ".") if "," in s else s) >= Decimal(10) ** 13:
            return "fout"
    except InvalidOperation:
        pass
    return "vaag"


def expected_bool(text: str) -> bool | None:
    s = text.strip(" ").lower() if text.isascii() else "?"
    return True if s in ("true", "1", "ja", "j", "waar", "t", "yes", "y") else \
        False if s in ("false", "0", "nee", "n", "onwaar", "f", "no", "") else None


def expected_date(text: str) -> date | None | str:
    s = text.strip(" ")
    if s == "":
        return None
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
            return date.fromisoformat(s)
        if m := re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})", s):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    return "fout"


@robust
@given(data=st.data())
def test_cell_replaced(base: Base, data):
    """One cell replaced by odd text or a huge, negative or non-finite number (properly quoted CSV)."""
    src, peil = data.draw(source_and_peil(base))
    i = data.draw(st.integers(0, len(src.records) - 1))
    col = data.draw(st.sampled_from(list(src.header)))
    value = data.draw(NASTY)
    records = [list(rec) for rec in src.records]
    records[i][src.header.index(col)] = value
    r, rows = offer(base, "test_cell_replaced", src, write(list(src.header), records, src.delim), peil)
    kind = COLUMNS[src.kind][col]
    cols = list(COLUMNS[src.kind])
    others = [c for c in cols if c != col]
    if r.outcome == ACCEPTED:  # every other column as before; the replaced one read as an independent reader would
        project = lambda rs, cs: Counter(tuple(row[cols.index(c)] for c in cs) for row in rs)
        assert project(rows, others) == project(src.rows, others)
    if kind == "bedrag":
        want = expected_amount(value)
        if want == "fout":
            assert r.outcome == REFUSED and any("kolom compensatie_bedrag" in m and (
                "geen geldig bedrag" in m or "hoger dan 1.000.000 euro" in m) for m in r.messages), (value, r.messages)
        elif isinstance(want, Decimal):
            assert r.outcome in (ACCEPTED, UNCHANGED), (value, r.messages)
            got = Counter(row[cols.index(col)] for row in rows)
            assert got == Counter(row[cols.index(col)] for row in src.rows) - Counter([src.rows[i][cols.index(col)]]) \
                + Counter([want]), (value, want)
    elif kind == "bool":
        want = expected_bool(value)
        assert (r.outcome == REFUSED) == (want is None), (value, r.messages)
        if want is not None:
            assert Counter(row[cols.index(col)] for row in rows) == Counter(
                row[cols.index(col)] for row in src.rows) - Counter([src.rows[i][cols.index(col)]]) + Counter([want])
    elif kind == "datum":
        want = expected_date(value)
        if want == "fout" or (isinstance(want, date) and not date(2004, 1, 1) <= want <= date.fromisoformat(peil)):
            assert r.outcome == REFUSED, (value, r.messages)
        elif r.outcome == ACCEPTED:
            assert want in {row[cols.index(col)] for row in rows}, (value, want)
    else:  # id, code, tekst: stored trimmed, or refused
        want = value.strip(" ") or None
        if kind == "code" and want is not None and not re.fullmatch(r"GM[0-9]{4}", want):
            assert r.outcome == REFUSED, (value, r.messages)
        if kind in ("id", "code", "tekst") and want is not None and elfproef(want):
            assert r.outcome == REFUSED and any("lijkt een BSN" in m for m in r.messages), r.messages
            assert not any(want in m for m in r.messages), "a BSN was quoted in a message"
        if r.outcome == ACCEPTED:
            assert want in {row[cols.index(col)] for row in rows}, (value, want)


def test_ambiguous_amounts_are_refused(base: Base):
    src = next(s for s in base.sources if s.name == "aanmeldingen_2021-06-30.csv")
    for value in ("30.000", "1.500", " 30.000 ", ".500", "0.125"):
        records = [list(rec) for rec in src.records]
        records[1][src.header.index("compensatie_bedrag")] = value
        r, _ = offer(base, "test_ambiguous_amounts_are_refused", src, write(list(src.header), records, ","), NEW_P)
        assert r.outcome == REFUSED
        [m] = r.messages
        assert m.startswith(f"Bestand aanmeldingen_{NEW_P}.csv, rij 3, kolom compensatie_bedrag: '{value}' is geen "
                            "geldig bedrag (dubbelzinnig:"), m
        assert "30000,00 of 30000.00" in m


@pytest.mark.parametrize("value, expected", [
    ("30000.00", "30000.00"), ("30.000,00", "30000.00"), ("30000,5", "30000.50"), ("0", "0.00"), ("30000", "30000.00"),
    ("1.500,00", "1500.00"), ("1500.5", "1500.50"), ("30.00", "30.00"),
])
def test_unambiguous_amounts_still_load(base: Base, value: str, expected: str):
    src = next(s for s in base.sources if s.name == "aanmeldingen_2021-03-31.csv")
    records = [list(rec) for rec in src.records]
    records[0][src.header.index("compensatie_bedrag")] = value
    r, rows = offer(base, "test_unambiguous_amounts_still_load", src, write(list(src.header), records, ";"), NEW_P)
    assert r.outcome == ACCEPTED, r.messages
    assert [row[-1] for row in rows if row[0] == "OU01"] == [Decimal(expected)]


@pytest.mark.parametrize("amount", [30.125, Decimal("30000.000")])
def test_typed_parquet_amount_with_three_decimals_is_not_ambiguous(base: Base, amount):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = next(s for s in base.sources if s.name == "aanmeldingen_2021-06-30.csv")
    table = {c: [rec[src.header.index(c)] or None for rec in src.records] for c in src.header}
    table["compensatie_bedrag"] = [amount] * len(src.records)
    buf = io.BytesIO()
    pq.write_table(pa.table(table), buf)
    r, rows = offer(base, "test_typed_parquet_amount", src, buf.getvalue(), NEW_P, "parquet")
    assert r.outcome == ACCEPTED, r.messages
    assert {row[-1] for row in rows} == {Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP)}


# --- tests: encodings, delimiters, line endings, long lines, empty files ---------------------------------------

@robust
@given(data=st.data())
def test_encoding_damage(base: Base, data):
    src, peil = data.draw(source_and_peil(base))
    how = data.draw(st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "bom",
                                     "bom2", "bytes", "nul", "bom-mid"]))
    text = src.text()
    if how in ("latin-1", "cp1252"):  # a non-ASCII letter somewhere, then the whole file in that encoding
        at = data.draw(st.integers(0, len(text)))
        damaged = (text[:at] + data.draw(st.sampled_from(["\u00e9", "\u00eb", "\u00fc", ""])) + text[at:]).encode(how)
    elif how.startswith("utf-"):
        damaged = text.encode(how)
    elif how in ("bom", "bom2"):
        damaged = codecs.BOM_UTF8 * (1 if how == "bom" else 2) + src.data
    else:
        at = data.draw(st.integers(0, len(src.data)))
        junk = {"bytes": data.draw(st.binary(min_size=1, max_size=8)), "nul": b"\x00" * data.draw(st.integers(1, 3)),
                "bom-mid": codecs.BOM_UTF8}[how]
        damaged = src.data[:at] + junk + src.data[at:]
    r, rows = offer(base, "test_encoding_damage", src, damaged, peil)
    if how == "bom":
        assert r.outcome == ACCEPTED and sorted(rows) == sorted(src.rows), r.messages
    if how.startswith("utf-") or (how in ("latin-1", "cp1252") and not damaged.isascii()):
        assert r.outcome == REFUSED, (how, r.messages)
    if how in ("latin-1", "cp1252") and damaged.isascii():
        assert r.outcome in (ACCEPTED, UNCHANGED) and sorted(rows) == sorted(src.rows), r.messages


@robust
@given(data=st.data())
def test_delimiters_and_line_endings(base: Base, data):
    src, peil = data.draw(source_and_peil(base))
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    delim = data.draw(st.sampled_from([",", ";", "\t", "|", " ", ":"]))
    everywhere = data.draw(st.booleans())
    lines = src.text().splitlines()
    if everywhere:
        lines = [line.replace(src.delim, delim) for line in lines]
    else:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].replace(src.delim, delim)
    damaged = (newline.join(lines) + data.draw(st.sampled_from(["", newline]))).encode("utf-8")
    r, rows = offer(base, "test_delimiters_and_line_endings", src, damaged, peil)
    clean = everywhere and delim in (",", ";") and delim not in src.text().replace(src.delim, "")
    if clean or delim == src.delim:  # only the separator or line ending changed: the same rows
        assert r.outcome in (ACCEPTED, UNCHANGED), (newline, delim, r.messages)
        assert sorted(rows) == sorted(src.rows)


@robust
@given(data=st.data())
def test_very_long_lines(base: Base, data):
    src, peil = data.draw(source_and_peil(base))
    size = data.draw(st.sampled_from([10_000, 70_000, 300_000, 2_200_000]))
    where = data.draw(st.sampled_from(["waarde", "extra-kolom", "kopregel"]))
    header, records = list(src.header), [list(rec) for rec in src.records]
    i = data.draw(st.integers(0, len(records) - 1))
    if where == "waarde":
        col = data.draw(st.sampled_from(header))
        records[i][header.index(col)] = "x" * size
    elif where == "extra-kolom":
        header.append("opmerking")
        for rec in records:
            rec.append("")
        records[i][-1] = "lang " * (size // 5)
    else:
        header.append("k" * size)
        for rec in records:
            rec.append("")
    r, rows = offer(base, "test_very_long_lines", src, write(header, records, src.delim), peil)
    if where == "waarde" and (COLUMNS[src.kind][col] != "id" or size > 2_000_000):  # a long ouder_id is valid
        assert r.outcome == REFUSED, r.messages
    if where == "extra-kolom" and size < 1_000_000:  # DuckDB reads lines up to 2 MB
        assert r.outcome == ACCEPTED and sorted(rows) == sorted(src.rows), r.messages


@pytest.mark.parametrize("content", [
    b"", b" ", b"\n", b"\r\n", b"\r", b" \r\n\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n", b"\x00", b"\x00" * 100,
    b"\xff\xfe", b'"', b";", b",",
], ids=repr)
@pytest.mark.parametrize("kind", COLUMNS)
def test_empty_and_almost_empty_files(base: Base, kind: str, content: bytes):
    src = next(s for s in base.sources if s.kind == kind and s.peil == "2021-06-30")
    peil = (src.peil, NEW_P)[len(content) % 2]  # a loaded peildatum (replacement) or a new one
    r, _ = offer(base, "test_empty_and_almost_empty_files", src, content, peil)
    assert r.outcome == REFUSED
    if not content.replace(codecs.BOM_UTF8, b"").strip():
        assert r.messages == [f"Bestand {kind}_{peil}.csv is leeg."]


@pytest.mark.parametrize("kind", COLUMNS)
def test_header_only_is_refused_unless_intended(base: Base, kind: str):
    src = next(s for s in base.sources if s.kind == kind and s.peil == "2021-03-31")
    previous = len(next(s for s in base.sources if s.kind == kind and s.peil == "2021-06-30").records)
    for ending in (b"", b"\n", b"\r\n", b"\r"):
        r, rows = offer(base, "test_header_only_is_refused_unless_intended", src, src.data.splitlines()[0] + ending,
                        NEW_P, vervang_kleiner=False)
        assert r.outcome == REFUSED and r.messages == [
            f"Bestand {kind}_{NEW_P}.csv: 0 rijen, minder dan de helft van de {previous} rijen van het {kind}-extract "
            "van de vorige peildatum 2021-06-30. Is het bestand onvolledig? Is de daling bedoeld, laad het dan met "
            "--vervang-kleiner (of kies 'Kleiner bestand is bedoeld' bij uploaden)."], r.messages
        r, rows = offer(base, "test_header_only_is_refused_unless_intended", src, src.data.splitlines()[0] + ending,
                        NEW_P)
        assert (r.outcome, rows) == (ACCEPTED, []), r.messages


@pytest.fixture(scope="module")
def parquet_sources(base: Base) -> dict[str, bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    for src in base.sources:
        if src.peil != "2021-06-30":
            continue
        buf = io.BytesIO()
        pq.write_table(pa.table({c: [rec[src.header.index(c)] for rec in src.records] for c in src.header}), buf)
        out[src.name] = buf.getvalue()
    return out


@robust
@given(data=st.data())
def test_parquet_damage(base: Base, parquet_sources: dict[str, bytes], data):
    src = data.draw(st.sampled_from([s for s in base.sources if s.peil == "2021-06-30"]))
    peil = data.draw(st.sampled_from([src.peil, NEW_P]))
    whole = parquet_sources[src.name]
    how = data.draw(st.sampled_from(["truncate", "overwrite", "none"]))
    if how == "truncate":
        damaged = whole[: data.draw(st.integers(0, len(whole) - 1))]
    elif how == "overwrite":
        at = data.draw(st.integers(0, len(whole) - 1))
        junk = data.draw(st.binary(min_size=1, max_size=16))
        damaged = whole[:at] + junk + whole[at + len(junk):]
    else:
        damaged = whole
    r, rows = offer(base, "test_parquet_damage", src, damaged, peil, "parquet")
    if how == "none":
        assert r.outcome == ACCEPTED and sorted(rows) == sorted(src.rows), r.messages
    if how == "truncate":
        assert r.outcome == REFUSED, r.messages


# --- tests: column names, blank rows, date extremes, timestamps with a zone -------------------------------------

COLUMN_NAMES = st.one_of(
    st.sampled_from(["rowid", "ROWID", "_rij", "_r_ouder_id", "_r_status", "parsed", "raw", "te_controleren",
                     "select", "order", "group by", "null", "1", '"', 'a"b', "a'b", "a;b", "a,b", "\u202e", "\u00e9",
                     "ouder id", " opmerking ", "x" * 300, "\t", "kolom\u0000", "lg_financien_2"]),
    st.text(min_size=1, max_size=12),
)


@robust
@given(data=st.data())
def test_column_names_damaged(base: Base, data):
    """Odd names for extra columns, a contract column renamed, a name doubled, or far too many columns: never a
    crash; loaded only with the undamaged rows, refused naming the problem otherwise."""
    src, peil = data.draw(source_and_peil(base))
    header, records = list(src.header), [list(rec) for rec in src.records]
    how = data.draw(st.sampled_from(["extra", "rename", "double", "many"]))
    if how in ("extra", "many"):
        names = data.draw(st.lists(COLUMN_NAMES, min_size=1, max_size=4)) if how == "extra" else \
            [f"x{i}" for i in range(data.draw(st.integers(30, 60)))]
        for name in names:
            header.append(name)
            for rec in records:
                rec.append(data.draw(st.sampled_from(["", "1", "tekst"])))
    elif how == "rename":
        i = data.draw(st.integers(0, len(header) - 1))
        header[i] = data.draw(COLUMN_NAMES)
    else:
        i, j = data.draw(st.integers(0, len(header) - 1)), data.draw(st.integers(0, len(header) - 1))
        header[j] = header[i]
    r, rows = offer(base, "test_column_names_damaged", src, write(header, records, src.delim), peil)
    read = [c.strip().lower() for c in header]
    plain = all(c and "\n" not in c and "\r" not in c and "\x00" not in c for c in read)
    if r.outcome == ACCEPTED:
        assert sorted(rows) == sorted(src.rows)
        assert set(COLUMNS[src.kind]) <= set(read) and len(set(read)) == len(read)
    if how == "many" and len(header) > len(COLUMNS[src.kind]) + 40:
        assert r.outcome == REFUSED and "kolommen" in r.messages[0], r.messages
    if plain and len(set(read)) == len(read) and set(COLUMNS[src.kind]) <= set(read) \
            and len(read) <= len(COLUMNS[src.kind]) + 40 and not any(c.startswith("\ufeff") for c in read):
        assert r.outcome in (ACCEPTED, UNCHANGED), (header, r.messages)
    if any(c not in read for c in COLUMNS[src.kind]) and len(read) <= len(COLUMNS[src.kind]) + 40:
        assert r.outcome == REFUSED


@robust
@given(data=st.data())
def test_blank_and_whitespace_rows(base: Base, data):
    """A header with only blank, whitespace or separator-only lines after it: never loaded as rows of data
    without the loader saying the drop is intended; with it, loaded empty or refused (a separator-only line is
    an empty ouder_id)."""
    src, peil = data.draw(source_and_peil(base))
    filler = data.draw(st.lists(st.sampled_from(["", " ", "\t", src.delim * (len(src.header) - 1), "\r"]), max_size=5))
    content = (src.text().splitlines()[0] + "\n" + "\n".join(filler)).encode("utf-8")
    intended = data.draw(st.booleans())
    r, rows = offer(base, "test_blank_and_whitespace_rows", src, content, peil, vervang_kleiner=intended)
    if not intended:
        assert r.outcome == REFUSED, r.messages
    if r.outcome == ACCEPTED:
        assert rows == [] or src.kind == "deelname"


def date_extremes(peil: str):
    p = date.fromisoformat(peil)
    return st.sampled_from([
        "0001-01-01", "1899-12-31", "1970-01-01", "epoch", "infinity", "-infinity", "Infinity", "2003-12-31",
        "2004-01-01", "01-01-2004", "31-12-2003", peil, (p.replace(day=1) - __import__("datetime").timedelta(days=1))
        .isoformat(), date.fromordinal(p.toordinal() + 1).isoformat(), "9999-12-31", "31-12-9999", "01-01-0001",
        "294247-01-01", "5877642-06-25", "-0001-01-01", "0000-00-00", "2021-06-30 23:59:59",
        "2021-06-30T00:00:00+02:00", "1-1-1", "2004-1-1"])


def expected_extreme(text: str) -> date | str:
    """A date an independent reader accepts (ISO or Dutch day-month-year), else 'fout'."""
    want = expected_date(text)
    return want if isinstance(want, date) else "fout"


@robust
@given(data=st.data())
def test_date_extremes(base: Base, data):
    """A date at or beyond the plausible range (spec 2.6: from 2004-01-01 up to the peildatum): refused unless
    it is a real date inside the range, and stored exactly when loaded."""
    src, peil = data.draw(source_and_peil(base))
    dates = [c for c in src.header if COLUMNS[src.kind][c] == "datum"]
    col = data.draw(st.sampled_from(dates))
    i = data.draw(st.integers(0, len(src.records) - 1))
    value = data.draw(date_extremes(peil))
    records = [list(rec) for rec in src.records]
    records[i][src.header.index(col)] = value
    r, rows = offer(base, "test_date_extremes", src, write(list(src.header), records, src.delim), peil)
    want = expected_extreme(value)
    if want == "fout" or not date(2004, 1, 1) <= want <= date.fromisoformat(peil):
        assert r.outcome == REFUSED, (value, r.messages)
    if r.outcome == ACCEPTED:
        cols = list(COLUMNS[src.kind])
        assert want in {row[cols.index(col)] for row in rows}, (value, want)


@robust
@given(data=st.data())
def test_parquet_timestamps_with_zone(base: Base, data):
    """Date columns written as timestamps in any zone (or none) read back as the date in the Netherlands: the
    moment of each original date at a random time of day in Amsterdam, written in another zone, loads exactly the
    undamaged rows, whatever zone the server runs in."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datetime import datetime, time as clock
    from zoneinfo import ZoneInfo

    src = data.draw(st.sampled_from([s for s in base.sources if s.peil == "2021-06-30"]))
    peil = data.draw(st.sampled_from([src.peil, NEW_P]))
    zone = data.draw(st.sampled_from(["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati",
                                      None]))
    unit = data.draw(st.sampled_from(["s", "ms", "us", "ns"]))
    amsterdam = ZoneInfo("Europe/Amsterdam")
    table = {}
    for c in src.header:
        values = [rec[src.header.index(c)].strip() or None for rec in src.records]
        if COLUMNS[src.kind][c] != "datum":
            table[c] = values
            continue
        moments = []
        for v in values:
            d = expected_date(v) if v else None
            if d is None:
                moments.append(None)
                continue
            local = datetime.combine(d, clock(data.draw(st.integers(0, 23)), data.draw(st.integers(0, 59))))
            if zone is None:
                moments.append(local)  # no zone: the wall-clock date as written
            else:
                moments.append(local.replace(tzinfo=amsterdam).astimezone(ZoneInfo(zone)))
        table[c] = pa.array(moments, pa.timestamp(unit, tz=zone))
    server_zone = data.draw(st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Kolkata"]))
    old = os.environ.get("TZ")
    os.environ["TZ"] = server_zone
    time.tzset()
    try:
        r, rows = offer(base, "test_parquet_timestamps_with_zone", src, None, peil, "parquet",
                        write_file=lambda path: pq.write_table(pa.table(table), path))
    finally:
        os.environ.pop("TZ") if old is None else os.environ.__setitem__("TZ", old)
        time.tzset()
    assert r.outcome in (ACCEPTED, UNCHANGED), (zone, unit, server_zone, r.messages)
    assert sorted(rows) == sorted(src.rows), (zone, unit, server_zone)


# --- how many cases ran ---------------------------------------------------------------------------------------

def test_zz_report_case_counts():
    """Runs last (file order): writes the counts and checks each property test tried what it was configured for."""
    ran = {t: dict(c) for t, c in sorted(COUNTS.items()) if not t.startswith("_")}
    total = Counter()
    for t, c in COUNTS.items():
        if not t.startswith("_"):
            total.update(c)
    report = {"per_test": ran, "total": sum(total.values()), "geweigerd": total[REFUSED], "geladen": total[ACCEPTED],
              "al geladen": total[UNCHANGED], "crashes": sum(COUNTS["_crashes"].values()),
              "hangs": sum(COUNTS["_hangs"].values()), "configured_examples": EXAMPLES}
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nrobustness: {report['total']} damaged extracts, {total[REFUSED]} geweigerd, {total[ACCEPTED]} geladen, "
          f"{total[UNCHANGED]} al geladen -> {ARTIFACT}")
    for test, n in EXAMPLES.items():
        if test in ran:  # when the test was selected in this run
            assert sum(COUNTS[test].values()) >= n, (test, dict(COUNTS[test]), n)
