"""Reading one extract file and checking it against the contract, in DuckDB.

The header is checked first (columns missing, doubled, unnamed, or far more than the contract has). Then the
file is read and parsed once into the temporary table `parsed`: the contract's columns typed under their own
names, every column as the file gave it under `_r_<column>` (so no name in a file can collide with a name the
checks use). A CSV file is read by DuckDB's own strict reader: date columns as DATE in the file's notation
(ISO or Dutch, sniffed from its first lines), everything else as text; values it cannot convert and lines it
cannot split are collected (store_rejects) and refused with their row and column. Parquet is read as text.
Every rule is checked in one scan of `parsed` (the view `te_controleren` adds the spreadsheet row number
`_rij`, header = row 1), and ingest inserts the typed columns from the same table: nothing is parsed twice.
A file that breaks any rule is refused as a whole with Dutch messages naming file, row and column. Messages
never quote an ouder_id or a BSN: a value the file gave is quoted only when it has the shape its column
expects and is none of the file's ouder_ids (`quotable`).
"""
import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb

from herstelmonitor.contract import COLUMNS, STATUSES, UITKOMSTEN, ExtractFile

MAX_PROBLEMS = 10
EXTRA_COLUMNS = 40  # columns beyond the contract a file may have (not loaded); more: refused before reading
EARLIEST = date(2004, 1, 1)  # the first year of the childcare allowance: no date in an extract lies before it
MAX_BEDRAG = 1_000_000  # euros of compensation for one parent
MACROS = r"""
CREATE OR REPLACE TEMP MACRO hm_leeg(s) AS (s IS NULL OR trim(s::VARCHAR) = '');
CREATE OR REPLACE TEMP MACRO hm_datum(s) AS CASE
    WHEN regexp_full_match(trim(s), '\d{4}-\d{2}-\d{2}') THEN try_strptime(trim(s), '%Y-%m-%d')::DATE
    WHEN regexp_full_match(trim(s), '\d{1,2}-\d{1,2}-\d{4}') THEN try_strptime(trim(s), '%d-%m-%Y')::DATE
END;
-- '30.000' or '1.500' (a dot and exactly three digits, no comma): thousands in Dutch notation, decimals in
-- English notation. Refused rather than guessed.
CREATE OR REPLACE TEMP MACRO hm_bedrag_dubbelzinnig(s) AS
    coalesce(regexp_full_match(trim(s), '[0-9]*\.[0-9]{3}'), false);
CREATE OR REPLACE TEMP MACRO hm_bedrag(s) AS CASE
    WHEN hm_leeg(s) THEN 0::DECIMAL(14, 2)
    WHEN NOT regexp_full_match(trim(s), '[0-9.,]+') THEN NULL
    WHEN hm_bedrag_dubbelzinnig(s) THEN NULL
    WHEN contains(s, ',') THEN try_cast(replace(replace(trim(s), '.', ''), ',', '.') AS DECIMAL(14, 2))
    ELSE try_cast(trim(s) AS DECIMAL(14, 2))
END;
CREATE OR REPLACE TEMP MACRO hm_bool(s) AS CASE
    WHEN lower(trim(coalesce(s, ''))) IN ('true', '1', 'ja', 'j', 'waar', 't', 'yes', 'y') THEN true
    WHEN lower(trim(coalesce(s, ''))) IN ('false', '0', 'nee', 'n', 'onwaar', 'f', 'no', '') THEN false
END;
CREATE OR REPLACE TEMP MACRO hm_bsn(s) AS CASE
    WHEN length(trim(s)) <> 9 THEN false  -- cheap first: nearly every value has another length
    WHEN regexp_full_match(trim(s), '[0-9]{9}') THEN (
        9 * trim(s)[1]::INT + 8 * trim(s)[2]::INT + 7 * trim(s)[3]::INT + 6 * trim(s)[4]::INT
        + 5 * trim(s)[5]::INT + 4 * trim(s)[6]::INT + 3 * trim(s)[7]::INT + 2 * trim(s)[8]::INT
        - trim(s)[9]::INT) % 11 = 0
    ELSE false
END;
"""


class ExtractError(Exception):
    """A refused extract: one or more Dutch messages, each naming the file and where possible row and column."""

    def __init__(self, file_name: str, problems: list[str]):
        self.file_name = file_name
        self.problems = problems
        super().__init__(f"Bestand {file_name} is geweigerd:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class Rule:
    column: str
    bad: str  # SQL condition on `parsed` that is true for a broken row
    message: str  # Dutch; {waarde} is replaced by the value of `detail` in the first broken row
    detail: str | None = None
    quick: str | None = None  # an aggregate that is 0 when the (costly, windowed) rule cannot fire
    # The kind of column `detail` reads as the file gave it: its value is quoted only when it has the shape of
    # that kind and is not one of the file's ouder_ids (see `quotable`). None: detail is a checked value
    # (a valid date, a row number, a known status), safe to quote.
    raw_kind: str | None = None


@dataclass
class Checked:
    rows: int
    warnings: list[str] = field(default_factory=list)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


DATE_FORMATS = {"%Y-%m-%d": "2021-03-11", "%d-%m-%Y": "11-03-2021"}
REJECT_REASONS = {
    "MISSING COLUMNS": "het aantal kolommen klopt niet met de kopregel (ontbreekt er een scheidingsteken?).",
    "TOO MANY COLUMNS": "het aantal kolommen klopt niet met de kopregel (een scheidingsteken te veel?).",
    "UNQUOTED VALUE": "een aanhalingsteken (\") staat op een verkeerde plaats of wordt niet gesloten.",
    "INVALID ENCODING": "bevat tekens die geen UTF-8 zijn. Sla het bestand op als CSV UTF-8.",
    "INVALID UNICODE": "bevat tekens die geen UTF-8 zijn. Sla het bestand op als CSV UTF-8.",
    "LINE SIZE OVER MAXIMUM": "de regel is te lang.",
}


def source_sql(con: duckdb.DuckDBPyConnection, ex: ExtractFile, header: list[str], delim: str, dateformat: str,
               typed_dates: bool) -> str:
    """The table function that reads the file, every column renamed to `_r_<column>` (so no name in a file
    can collide with the columns the checks add, such as rowid or _rij)."""
    if ex.fmt == "parquet":
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(str(ex.path))})").fetchall()
        casts = ", ".join(f"{parquet_text(q(n), t)} AS {q('_r_' + n.strip().lower())}" for n, t, *_ in described)
        return f"(SELECT {casts} FROM read_parquet({lit(str(ex.path))}))"
    dates = {c for c, kind in COLUMNS[ex.kind].items() if kind == "datum"} if typed_dates else set()
    columns = "{" + ", ".join(f"{lit('_r_' + c)}: '{'DATE' if c in dates else 'VARCHAR'}'" for c in header) + "}"
    return (f"read_csv({lit(str(ex.path))}, header = true, "
            f"delim = {lit(delim)}, quote = '\"', escape = '\"', columns = {columns}, "
            f"dateformat = {lit(dateformat)}, auto_detect = false, strict_mode = true, "
            "null_padding = false, encoding = 'utf-8', store_rejects = true, "
            "rejects_table = 'hm_afgewezen', rejects_scan = 'hm_scans')")


def read_parsed(con: duckdb.DuckDBPyConnection, ex: ExtractFile, header: list[str], delim: str,
                dateformat: str) -> bool:
    """Read and parse the file once into temp table `parsed` (file order kept): the contract's columns typed
    under their own names, every column of the file as read under `_r_<column>`. Returns whether the date
    columns came typed from the reader (then a date cannot be unreadable: the reader refused it)."""
    try:
        if ex.fmt == "parquet":
            create_parsed(con, ex, header, source_sql(con, ex, header, delim, dateformat, False), False)
            return False
        create_parsed(con, ex, header, source_sql(con, ex, header, delim, dateformat, True), True)
        rejected = con.execute("SELECT bool_and(error_type = 'CAST'), count(*) FROM hm_afgewezen").fetchone()
        if not rejected[1]:
            return True
        if rejected[0]:  # only dates in another notation than the file's first lines: read them as text
            create_parsed(con, ex, header, source_sql(con, ex, header, delim, dateformat, False), False)
            if not con.execute("SELECT count(*) FROM hm_afgewezen").fetchone()[0]:
                return False
        raise ExtractError(ex.name, reject_messages(con, ex, header, delim, dateformat))
    except duckdb.Error as e:
        raise ExtractError(ex.name, [read_error_message(ex.name, str(e))]) from None


def create_parsed(con, ex: ExtractFile, header: list[str], source: str, typed_dates: bool) -> None:
    spec = COLUMNS[ex.kind]
    for table in ("parsed", "hm_afgewezen", "hm_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    typed = [f"{parse_expr(spec[c], q('_r_' + c), typed_dates)} AS {q(c)}" for c in spec]
    raw = [q("_r_" + c) for c in header]
    con.execute(f"CREATE TEMP TABLE parsed AS SELECT {', '.join(typed + raw)} FROM {source}")


def file_columns(con: duckdb.DuckDBPyConnection, ex: ExtractFile) -> tuple[list[str], str, str]:
    """The columns of the file (lower case), its separator and date notation; refused early when a column is
    missing, doubled or unnamed, or when there are far more columns than the contract has."""
    if ex.fmt == "parquet":
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(str(ex.path))})").fetchall()
        except duckdb.Error as e:
            raise ExtractError(ex.name, [read_error_message(ex.name, str(e))]) from None
        header, delim, dateformat = [n.strip().lower() for n, *_ in described], ",", "%Y-%m-%d"
    else:
        header, delim, dateformat = sniff_csv(ex)
    spec = COLUMNS[ex.kind]
    limit = len(spec) + EXTRA_COLUMNS
    if len(header) > limit:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: het bestand heeft {len(header)} kolommen; een "
                                     f"{ex.kind}-extract heeft er {len(spec)} (en mag er hoogstens {limit} hebben). "
                                     "Is het wel een extract, en is het scheidingsteken goed?"])
    dupes = sorted(c for c, n in Counter(header).items() if n > 1)
    if dupes:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: kolom {', '.join(dupes)} staat meer dan eens in de kopregel."])
    if any(c == "" for c in header):
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: de kopregel heeft een kolom zonder naam."])
    missing = [c for c in spec if c not in header]
    if missing:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: kolom {c} ontbreekt." for c in missing])
    return header, delim, dateformat


def parquet_text(col: str, typ: str) -> str:
    """A typed Parquet column as the text the rules read. A typed number is not ambiguous: its decimal point
    becomes a comma, so 30.125 (DOUBLE or DECIMAL(14, 3)) is not refused as a Dutch '30.125'. A timestamp with
    a time zone is a moment: its date is the date in the Netherlands, whatever the server's zone."""
    if typ.startswith("TIMESTAMP WITH TIME ZONE") or typ.startswith("TIMESTAMPTZ"):
        return f"CAST(timezone('Europe/Amsterdam', {col})::DATE AS VARCHAR)"
    if typ.startswith("TIMESTAMP"):
        return f"CAST({col}::DATE AS VARCHAR)"
    if typ in ("FLOAT", "DOUBLE") or typ.startswith("DECIMAL"):
        return f"replace(CAST({col} AS VARCHAR), '.', ',')"
    return f"CAST({col} AS VARCHAR)"


def reject_messages(con, ex: ExtractFile, header: list[str], delim: str, dateformat: str) -> list[str]:
    """Dutch messages for the values and lines DuckDB's reader refused: first row per problem, and how many.
    Only a refused date is quoted (never a whole line: it would carry an ouder_id)."""
    found = con.execute(
        "SELECT error_type, column_name, min(line), count(*), arg_min(csv_line, line) FROM hm_afgewezen "
        "GROUP BY ALL ORDER BY 3 LIMIT $n", {"n": MAX_PROBLEMS}).fetchall()
    problems = []
    for error_type, column, line, n, csv_line in found:
        column = (column or "").removeprefix("_r_")  # the reader knows the columns by their _r_ names
        if error_type == "CAST" and column in header:
            value = field(csv_line, delim, header.index(column))
            text = f"'{value}'" if quotable("datum", value) and not csv_holds_id(csv_line, delim, header, value) \
                else HIDDEN
            why = (f", kolom {column}: {text} is geen geldige datum (verwacht 2021-03-11 of 11-03-2021; dit "
                   f"bestand gebruikt datums als {DATE_FORMATS[dateformat]}).")
        else:
            why = ": " + REJECT_REASONS.get(error_type, "kan niet worden gelezen als extract.")
        more = f" Nog {n - 1} andere {'rij heeft' if n == 2 else 'rijen hebben'} deze fout." if n > 1 else ""
        problems.append(f"Bestand {ex.name}, rij {line}{why}{more}")
    return problems


def csv_holds_id(line: str, delim: str, header: list[str], value) -> bool:
    """Is the value the line's ouder_id?"""
    return "ouder_id" in header and field(line, delim, header.index("ouder_id")) == str(value).strip()


def field(line: str, delim: str, index: int) -> str:
    try:
        return next(csv.reader([line], delimiter=delim))[index].strip()
    except (csv.Error, IndexError, StopIteration):
        return ""


def sniff_date_format(lines: list[str], delim: str, header: list[str], dates: set[str]) -> str:
    """The date notation of a file, from its first lines: ISO unless only Dutch dates are seen."""
    positions = [i for i, c in enumerate(header) if c in dates]
    try:
        values = [row[i].strip() for row in csv.reader(lines, delimiter=delim) for i in positions if i < len(row)]
    except csv.Error:
        values = []
    if any(re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v) for v in values):
        return "%Y-%m-%d"
    return "%d-%m-%Y" if any(re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", v) for v in values) else "%Y-%m-%d"


def sniff_csv(ex: ExtractFile) -> tuple[list[str], str, str]:
    """The header, separator (',' or ';') and date notation of a CSV extract."""
    with open(ex.path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    if not head.strip():
        raise ExtractError(ex.name, [f"Bestand {ex.name} is leeg."])
    first = re.split(rb"\r\n|\r|\n", head, maxsplit=1)[0]  # old Mac exports end lines with a bare \r
    try:
        line = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: de kopregel is geen UTF-8-tekst. "
                                     "Sla het bestand op als CSV UTF-8."]) from None
    delim = ";" if line.count(";") > line.count(",") else ","
    try:
        header = [c.strip().lower() for c in next(csv.reader([line], delimiter=delim))]
    except csv.Error:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: de kopregel kan niet worden gelezen."]) from None
    body = head.decode("utf-8", errors="replace").splitlines()[1:200]
    dates = {c for c, kind in COLUMNS[ex.kind].items() if kind == "datum"}
    return header, delim, sniff_date_format(body, delim, header, dates)


def read_error_message(name: str, error: str) -> str:
    """A Dutch message for a file DuckDB cannot read. DuckDB's own text can quote a whole line (with an
    ouder_id), so only the line number is taken from it."""
    m = re.search(r"[Ll]ine:?\s*(\d+)", error)
    where = f"Bestand {name}, rij {m.group(1)}" if m else f"Bestand {name}"
    # Match DuckDB's specific reasons: its text also lists the reader options (`quote = "`, `encoding`),
    # so a bare word like "quote" matches every CSV error.
    text = error.lower()
    if "invalid unicode" in text or "not utf-8" in text:
        why = "bevat tekens die geen UTF-8 zijn. Sla het bestand op als CSV UTF-8."
    elif "expected number of columns" in text:
        why = "het aantal kolommen klopt niet met de kopregel (ontbreekt er een scheidingsteken?)."
    elif "unterminated quote" in text:
        why = "een aanhalingsteken (\") wordt niet gesloten."
    elif "parquet" in text or "magic" in text:
        why = "is geen leesbaar Parquet-bestand."
    else:
        why = "kan niet worden gelezen als extract."
    return f"{where}: {why}"


def check(con: duckdb.DuckDBPyConnection, ex: ExtractFile) -> Checked:
    """Read and check one extract into the temp table `parsed`; raises ExtractError when it breaks a rule."""
    if ex.peildatum > today():
        raise ExtractError(ex.name, [f"Bestand {ex.name}: de peildatum {ex.peildatum.isoformat()} in de naam ligt "
                                     f"na vandaag ({today().isoformat()}); dat kan niet."])
    con.execute(MACROS)
    header, delim, dateformat = file_columns(con, ex)
    typed_dates = read_parsed(con, ex, header, delim, dateformat)
    spec = COLUMNS[ex.kind]
    rows = con.execute("SELECT count(*) FROM parsed").fetchone()[0]
    extra = [c for c in header if c not in spec]
    # rowid is not 0-based inside a transaction (transaction-local row ids start near 2**55), so count from
    # the first row: rows are stored in file order, header = row 1. A file's own columns are all named
    # _r_<column>, so no column of the file can stand in for rowid or _rij.
    first = con.execute("SELECT coalesce(min(rowid), 0) FROM parsed").fetchone()[0]
    con.execute("DROP VIEW IF EXISTS te_controleren")
    con.execute(f"CREATE TEMP VIEW te_controleren AS SELECT rowid - {int(first)} + 2 AS _rij, * FROM parsed")
    problems = find_problems(con, ex, rules(ex, spec, typed_dates))
    problems += bsn_in_extra_columns(con, ex, extra, MAX_PROBLEMS - len(problems))
    con.execute("DROP VIEW te_controleren")
    if problems:
        raise ExtractError(ex.name, problems)
    return Checked(rows, warnings(con, ex, rows, extra))


def today() -> date:
    """Today in the Netherlands (the server may run in UTC)."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def parse_expr(kind: str, raw: str, typed_dates: bool) -> str:
    return {
        "datum": raw if typed_dates else f"hm_datum({raw})",
        "bedrag": f"hm_bedrag({raw})",
        "bool": f"hm_bool({raw})",
    }.get(kind, f"nullif(trim({raw}), '')")


def rules(ex: ExtractFile, spec: dict[str, str], typed_dates: bool = False) -> list[Rule]:
    p = ex.peildatum.isoformat()
    out: list[Rule] = []
    for col, kind in spec.items():
        r = q("_r_" + col)
        c = q(col)
        if kind == "id":
            out.append(Rule(col, f"{c} IS NULL", "ouder_id ontbreekt."))
        if kind == "code":
            out.append(Rule(col, f"{c} IS NOT NULL AND NOT regexp_full_match({c}, 'GM[0-9]{{4}}')",
                            "'{waarde}' is geen gemeentecode (verwacht GM gevolgd door 4 cijfers, zoals GM0599).", r,
                            raw_kind="code"))
        if kind == "datum" and not typed_dates:  # typed by the reader: an unreadable date was refused there
            out.append(Rule(col, f"NOT hm_leeg({r}) AND {c} IS NULL",
                            "'{waarde}' is geen geldige datum (verwacht 2021-03-11 of 11-03-2021).", r, raw_kind="datum"))
        if kind == "datum":
            out.append(Rule(col, f"{c} > DATE {lit(p)}",
                            f"de datum {{waarde}} ligt na de peildatum {p}; dat kan niet.", c))
            out.append(Rule(col, f"{c} < DATE {lit(EARLIEST.isoformat())}",
                            f"de datum {{waarde}} ligt vóór {EARLIEST.isoformat()}, het eerste jaar van de "
                            "kinderopvangtoeslag; dat kan niet.", c))
        if kind == "bedrag":
            out.append(Rule(col, f"({c} IS NULL OR {c} < 0) AND NOT hm_bedrag_dubbelzinnig({r})",
                            "'{waarde}' is geen geldig bedrag (een getal van 0 of meer, zoals 30000,00).", r,
                            raw_kind="bedrag"))
            out.append(Rule(col, f"hm_bedrag_dubbelzinnig({r})",
                            "'{waarde}' is geen geldig bedrag (dubbelzinnig: een punt met drie cijfers erachter kan "
                            "duizendtallen of decimalen betekenen; schrijf bijvoorbeeld 30000,00 of 30000.00).", r,
                            raw_kind="bedrag"))
            out.append(Rule(col, f"{c} > {MAX_BEDRAG}",
                            f"het bedrag {{waarde}} is hoger dan {MAX_BEDRAG:,} euro voor één ouder; dat kan niet."
                            .replace(",", "."), c))
        if kind == "bool":
            out.append(Rule(col, f"{c} IS NULL",
                            "'{waarde}' is geen ja/nee-waarde (verwacht true/false, ja/nee of 1/0).", r, raw_kind="bool"))
        if kind in ("id", "code", "tekst"):
            out.append(bsn_rule(col))
    return out + KIND_RULES[ex.kind]()


def bsn_rule(col: str) -> Rule:
    return Rule(col, f"hm_bsn({q('_r_' + col)})",
                "de waarde lijkt een BSN (9 cijfers die de elfproef doorstaan). Een extract mag geen BSN "
                "bevatten: gebruik het pseudonieme ouder_id.")


def duplicate_rule(col: str, keys: str, what: str) -> Rule:
    first = f"min(_rij) OVER (PARTITION BY {keys})"
    return Rule(col, f"_rij > {first}", f"{what} komt al voor in rij {{waarde}}; elke regel moet uniek zijn.", first,
                quick=f"count(*) - count(DISTINCT ({keys}))")


def before(later: str, earlier: str, message: str) -> Rule:
    return Rule(later, f"{q(later)} < {q(earlier)}", message, f"{q(later)}::VARCHAR || ' vóór ' || {q(earlier)}::VARCHAR")


def aanmeldingen_rules() -> list[Rule]:
    uitkomsten = ", ".join(lit(u) for u in UITKOMSTEN)
    return [
        Rule("aanmelddatum", "aanmelddatum IS NULL AND hm_leeg(_r_aanmelddatum)", "aanmelddatum ontbreekt."),
        duplicate_rule("ouder_id", "ouder_id", "Deze ouder_id"),
        Rule("eerste_toets_uitkomst", f"eerste_toets_uitkomst NOT IN ({uitkomsten})",
             "onbekende uitkomst '{waarde}' (toegestaan: gedupeerd, niet_gedupeerd of leeg).", "eerste_toets_uitkomst",
             raw_kind="tekst"),
        Rule("eerste_toets_uitkomst", "eerste_toets_uitkomst IS NOT NULL AND eerste_toets_datum IS NULL",
             "er is een uitkomst maar geen eerste_toets_datum."),
        Rule("eerste_toets_uitkomst", "eerste_toets_uitkomst IS NULL AND eerste_toets_datum IS NOT NULL",
             "er is een eerste_toets_datum maar geen uitkomst."),
        Rule("forfait_betaald_datum",
             "forfait_betaald_datum IS NOT NULL AND eerste_toets_uitkomst IS DISTINCT FROM 'gedupeerd'",
             "het forfait is betaald aan een ouder die niet als gedupeerd is erkend."),
        before("eerste_toets_datum", "aanmelddatum", "eerste toets vóór de aanmelding ({waarde}): onmogelijke volgorde."),
        before("forfait_betaald_datum", "eerste_toets_datum", "betaling vóór de eerste toets ({waarde}): onmogelijke volgorde."),
        before("integrale_beoordeling_datum", "aanmelddatum",
               "integrale beoordeling vóór de aanmelding ({waarde}): onmogelijke volgorde."),
        before("integrale_beoordeling_datum", "eerste_toets_datum",
               "integrale beoordeling vóór de eerste toets ({waarde}): onmogelijke volgorde."),
        before("gegevens_gedeeld_datum", "aanmelddatum",
               "gegevens gedeeld vóór de aanmelding ({waarde}): onmogelijke volgorde."),
    ]


def ondersteuning_rules() -> list[Rule]:
    statuses = ", ".join(lit(s) for s in STATUSES)
    return [
        Rule("gemeentecode", "gemeentecode IS NULL", "gemeentecode ontbreekt."),
        duplicate_rule("ouder_id", "ouder_id, gemeentecode", "Deze combinatie van ouder_id en gemeentecode"),
        Rule("status", f"status IS NULL OR status NOT IN ({statuses})",
             "onbekende status '{waarde}' (toegestaan: " + ", ".join(STATUSES) + ").", "coalesce(_r_status, '')",
             raw_kind="tekst"),
        Rule("eerste_contact_datum",
             "eerste_contact_datum IS NOT NULL AND status IN ('nog_geen_contact', 'niet_bereikbaar')",
             "status {waarde} heeft geen eerste_contact_datum; laat die leeg.", "status"),
        Rule("eerste_contact_datum",
             "eerste_contact_datum IS NULL AND status IN ('in_gesprek', 'plan_van_aanpak', 'ondersteuning_loopt', 'afgerond')",
             "status {waarde} vraagt een eerste_contact_datum.", "status"),
        Rule("plan_datum", "plan_datum IS NOT NULL AND eerste_contact_datum IS NULL",
             "er is een plan_datum zonder eerste_contact_datum."),
        before("plan_datum", "eerste_contact_datum", "plan vóór het eerste contact ({waarde}): onmogelijke volgorde."),
        before("afgerond_datum", "plan_datum", "afgerond vóór het plan ({waarde}): onmogelijke volgorde."),
        before("afgerond_datum", "eerste_contact_datum", "afgerond vóór het eerste contact ({waarde}): onmogelijke volgorde."),
    ]


def deelname_rules() -> list[Rule]:
    return [
        Rule("gemeentecode", "gemeentecode IS NULL", "gemeentecode ontbreekt."),
        duplicate_rule("gemeentecode", "gemeentecode", "Deze gemeentecode"),
    ]


KIND_RULES = {"aanmeldingen": aanmeldingen_rules, "ondersteuning": ondersteuning_rules, "deelname": deelname_rules}


def find_problems(con: duckdb.DuckDBPyConnection, ex: ExtractFile, checks: list[Rule]) -> list[str]:
    """Check every rule in one scan of the parsed table; a Dutch message for each broken rule (first row, and
    how many more). A windowed rule (duplicates) runs only when its cheap aggregate says it can fire. Details
    are fetched only for the rules that fail, from their first broken row."""
    plain = [i for i, r in enumerate(checks) if r.quick is None]
    # Each condition is evaluated once per row (as a flag), then counted and located.
    flags = ", ".join(f"coalesce({checks[i].bad}, false) AS b{i}" for i in plain)
    counts = [f"count_if(b{i}), min(_rij) FILTER (WHERE b{i})" for i in plain]
    quicks = [f"{r.quick}" for r in checks if r.quick is not None]
    found = con.execute(f"SELECT {', '.join(counts + quicks)} FROM (SELECT *, {flags} FROM te_controleren)").fetchone()
    summary = {i: found[2 * k:2 * k + 2] for k, i in enumerate(plain)}
    suspect = [i for i, q_ in zip((i for i, r in enumerate(checks) if r.quick), found[2 * len(plain):]) if q_]
    if suspect:
        flags = ", ".join(f"coalesce({checks[i].bad}, false) AS b{i}" for i in suspect)
        counts = ", ".join(f"count(*) FILTER (WHERE b{i}), min(_rij) FILTER (WHERE b{i})" for i in suspect)
        again = con.execute(f"SELECT {counts} FROM (SELECT _rij, {flags} FROM te_controleren)").fetchone()
        summary |= {i: again[2 * k:2 * k + 2] for k, i in enumerate(suspect)}
    problems = []
    for i, rule in enumerate(checks):
        n, row = summary.get(i, (0, None))
        if not n:
            continue
        # The detail may be a window over all rows (the first row of a duplicate): filter after it.
        value = con.execute(f"SELECT d FROM (SELECT _rij, ({rule.detail or 'NULL'})::VARCHAR AS d "
                            "FROM te_controleren) WHERE _rij = ?", [row]).fetchone()[0]
        value = shown(con, ex, value, rule.raw_kind)
        text = rule.message.replace("'{waarde}'", HIDDEN if value == HIDDEN else f"'{value}'").replace("{waarde}", value)
        more = f" Nog {n - 1} andere {'rij heeft' if n == 2 else 'rijen hebben'} deze fout." if n > 1 else ""
        problems.append(f"Bestand {ex.name}, rij {row}, kolom {rule.column}: {text}{more}")
        if len(problems) == MAX_PROBLEMS:
            break
    return problems


def bsn_in_extra_columns(con: duckdb.DuckDBPyConnection, ex: ExtractFile, extra: list[str], limit: int) -> list[str]:
    """The BSN rule on the columns that are not in the contract, as one scan over all their cells (its cost
    grows with the number of cells, not with the square of the number of columns)."""
    if not extra or limit <= 0:
        return []
    cells = ", ".join(q("_r_" + c) for c in extra)
    found = con.execute(
        f"SELECT kolom, count(*), min(_rij) FROM (UNPIVOT (SELECT _rij, {cells} FROM te_controleren) "
        f"ON {cells} INTO NAME kolom VALUE waarde) WHERE hm_bsn(waarde) GROUP BY kolom ORDER BY 3 LIMIT {int(limit)}"
    ).fetchall()
    rule = bsn_rule("")
    return [f"Bestand {ex.name}, rij {row}, kolom {kolom.removeprefix('_r_')}: {rule.message}"
            + (f" Nog {n - 1} andere {'rij heeft' if n == 2 else 'rijen hebben'} deze fout." if n > 1 else "")
            for kolom, n, row in found]


# The shape a wrongly written value of each kind of column has (a date with a typo, a negative amount, a word):
# a value of another shape may be something else, such as an ouder_id in a column with a wrong name.
QUOTABLE = {
    "datum": re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"),
    "bedrag": re.compile(r"-?[\d.,]*\d[\d.,]*"),
    "bool": re.compile(r"[A-Za-z]{1,12}|\d"),
    "tekst": re.compile(r"[A-Za-z_ ]{1,40}"),
    "code": re.compile(r"(?i:gm)\s*\d{0,6}|\d{1,4}|[A-Za-z' -]{2,40}"),
}
HIDDEN = "(waarde niet getoond)"


def quotable(kind: str | None, value) -> bool:
    """May a value the file gave for a column of this kind appear in a message? Never a BSN; for a column read
    as the file gave it, only a value with the shape of that kind."""
    if value is None or looks_like_bsn(value):
        return False
    return kind is None or bool(QUOTABLE[kind].fullmatch(str(value).strip()))


def shown(con: duckdb.DuckDBPyConnection, ex: ExtractFile, value, raw_kind: str | None) -> str:
    """The value as a message may quote it, or a note that it is not shown."""
    if raw_kind is None:
        return HIDDEN if looks_like_bsn(value) else str(value)
    if not quotable(raw_kind, value) or is_an_ouder_id(con, ex, value):
        return HIDDEN
    return str(value)


def is_an_ouder_id(con: duckdb.DuckDBPyConnection, ex: ExtractFile, value) -> bool:
    """Is the value one of the file's ouder_ids (in whatever column it came)?"""
    if "ouder_id" not in COLUMNS[ex.kind]:
        return False
    return con.execute("SELECT count(*) > 0 FROM parsed WHERE ouder_id = trim(?)", [str(value)]).fetchone()[0]


def looks_like_bsn(value) -> bool:
    """Nine digits passing the elfproef (as hm_bsn)."""
    s = str(value).strip() if value is not None else ""
    if not re.fullmatch(r"[0-9]{9}", s):
        return False
    return (sum((9 - i) * int(d) for i, d in enumerate(s[:8])) - int(s[8])) % 11 == 0


def warnings(con: duckdb.DuckDBPyConnection, ex: ExtractFile, rows: int, extra: list[str]) -> list[str]:
    """Codes not in the reference list (counted under 'onbekend') and columns that are not used."""
    out = [f"Kolom {c} hoort niet bij een {ex.kind}-extract en wordt niet geladen." for c in extra]
    if rows == 0:
        out.append("Het bestand heeft alleen een kopregel en geen rijen met gegevens.")
    for col, kind in COLUMNS[ex.kind].items():
        if kind != "code":
            continue
        # Every value here passed the rule GM + 4 digits: a code, never an ouder_id.
        unknown = con.execute(f"SELECT {q(col)} AS code, count(*) FROM parsed WHERE {q(col)} IS NOT NULL AND "
                              f"{q(col)} NOT IN (SELECT gemeentecode FROM gemeenten) GROUP BY 1 ORDER BY 1").fetchall()
        if unknown:
            listed = ", ".join(f"{code} ({n} {'rij' if n == 1 else 'rijen'})" for code, n in unknown)
            out.append(f"Kolom {col}: onbekende gemeentecode {listed}; niet in de lijst van gemeenten 2023, "
                       "geteld onder 'onbekend'.")
    return out
