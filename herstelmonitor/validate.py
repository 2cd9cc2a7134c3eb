"""Reading one extract file and checking it against the contract, in DuckDB.

A CSV file is read into a temporary table `raw` by DuckDB's own typed reader: date columns as DATE in the
file's notation (ISO or Dutch, sniffed from its first lines), everything else as text. Values the reader
cannot convert, and lines it cannot split, are collected (store_rejects) and refused with their row and
column. Parquet is read as text. The view `parsed` gives typed columns, the raw value as `_r_<column>`
and the spreadsheet row number `_rij` (header = row 1); every rule is checked in one scan. A file that breaks any rule is refused as a whole with Dutch messages naming file, row and
column. Messages never quote an ouder_id or a value that could be a BSN.
"""
import codecs
import csv
import re
from dataclasses import dataclass, field

import duckdb

from herstelmonitor.contract import COLUMNS, GEHOLPEN, SNELLER, STATUSES, UITKOMSTEN, ExtractFile

MAX_PROBLEMS = 10
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


def read_raw(con: duckdb.DuckDBPyConnection, ex: ExtractFile) -> tuple[list[str], bool]:
    """Load the file into temp table raw (file order kept); returns its column names and whether its date
    columns arrived typed (DATE) or as text to be parsed by hm_datum."""
    con.execute("DROP TABLE IF EXISTS raw")
    try:
        if ex.fmt == "parquet":
            return read_parquet(con, ex), False
        header, delim, dateformat = sniff_csv(ex)
        read_csv(con, ex, header, delim, dateformat, typed_dates=True)
        rejected = con.execute("SELECT bool_and(error_type = 'CAST'), count(*) FROM hm_afgewezen").fetchone()
        if not rejected[1]:
            return header, True
        if rejected[0]:  # only dates in another notation than the file's first lines: read them as text
            read_csv(con, ex, header, delim, dateformat, typed_dates=False)
            if not con.execute("SELECT count(*) FROM hm_afgewezen").fetchone()[0]:
                return header, False
        raise ExtractError(ex.name, reject_messages(con, ex, header, delim, dateformat))
    except duckdb.Error as e:
        raise ExtractError(ex.name, [read_error_message(ex.name, str(e))]) from None


def read_csv(con, ex: ExtractFile, header: list[str], delim: str, dateformat: str, typed_dates: bool) -> None:
    """DuckDB's strict CSV reader into temp table raw; what it cannot read goes to hm_afgewezen."""
    dates = {c for c, kind in COLUMNS[ex.kind].items() if kind == "datum"} if typed_dates else set()
    columns = "{" + ", ".join(f"{lit(c)}: '{'DATE' if c in dates else 'VARCHAR'}'" for c in header) + "}"
    for table in ("raw", "hm_afgewezen", "hm_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(
        f"CREATE TEMP TABLE raw AS SELECT * FROM read_csv({lit(str(ex.path))}, header = true, "
        f"delim = {lit(delim)}, quote = '\"', escape = '\"', columns = {columns}, "
        f"dateformat = {lit(dateformat)}, auto_detect = false, strict_mode = true, "
        "null_padding = false, encoding = 'utf-8', store_rejects = true, "
        "rejects_table = 'hm_afgewezen', rejects_scan = 'hm_scans')"
    )


def read_parquet(con, ex: ExtractFile) -> list[str]:
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_typed AS SELECT * FROM read_parquet({lit(str(ex.path))})")
    described = con.execute("DESCRIBE raw_typed").fetchall()
    casts = ", ".join(f"{parquet_text(q(n), t)} AS {q(n.strip().lower())}" for n, t, *_ in described)
    con.execute(f"CREATE TEMP TABLE raw AS SELECT {casts} FROM raw_typed")
    con.execute("DROP VIEW raw_typed")
    return [r[0] for r in con.execute("DESCRIBE raw").fetchall()]


def parquet_text(col: str, typ: str) -> str:
    """A typed Parquet column as the text the rules read. A typed number is not ambiguous: its decimal point
    becomes a comma, so 30.125 (DOUBLE or DECIMAL(14, 3)) is not refused as a Dutch '30.125'."""
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
        if error_type == "CAST" and column in header:
            value = field(csv_line, delim, header.index(column))
            shown = "(waarde niet getoond: lijkt een BSN)" if looks_like_bsn(value) else value
            why = (f", kolom {column}: '{shown}' is geen geldige datum (verwacht 2021-03-11 of 11-03-2021; dit "
                   f"bestand gebruikt datums als {DATE_FORMATS[dateformat]}).")
        else:
            why = ": " + REJECT_REASONS.get(error_type, "kan niet worden gelezen als extract.")
        more = f" Nog {n - 1} andere {'rij heeft' if n == 2 else 'rijen hebben'} deze fout." if n > 1 else ""
        problems.append(f"Bestand {ex.name}, rij {line}{why}{more}")
    return problems


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
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: kolom {', '.join(dupes)} staat meer dan eens in de kopregel."])
    if any(c == "" for c in header):
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: de kopregel heeft een kolom zonder naam."])
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
    """Read and check one extract into the temp view `parsed`; raises ExtractError when it breaks a rule."""
    con.execute(MACROS)
    header, typed_dates = read_raw(con, ex)
    spec = COLUMNS[ex.kind]
    missing = [c for c in spec if c not in header]
    if missing:
        raise ExtractError(ex.name, [f"Bestand {ex.name}, rij 1: kolom {c} ontbreekt." for c in missing])
    rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    extra = [c for c in header if c not in spec]
    con.execute("DROP VIEW IF EXISTS parsed")
    con.execute(
        # rowid is not 0-based inside a transaction (transaction-local row ids start near 2**55), so count
        # from the first row: rows are stored in file order, header = row 1.
        # A view, not a table: parsing is cheap, materialising every column twice is not.
        "CREATE TEMP VIEW parsed AS SELECT rowid - (SELECT min(rowid) FROM raw) + 2 AS _rij, "
        + ", ".join([f"{parse_expr(spec[c], c, typed_dates)} AS {q(c)}" for c in spec]
                    + [f"{q(c)} AS {q('_r_' + c)}" for c in header])
        + " FROM raw"
    )
    problems = find_problems(con, ex, rules(ex, spec, extra))
    if problems:
        raise ExtractError(ex.name, problems)
    return Checked(rows, warnings(con, ex, rows, extra))


def parse_expr(kind: str, col: str, typed_dates: bool) -> str:
    raw = q(col)
    return {
        "datum": raw if typed_dates else f"hm_datum({raw})",
        "bedrag": f"hm_bedrag({raw})",
        "bool": f"hm_bool({raw})",
        "cijfer": f"try_cast(nullif(trim({raw}), '') AS INTEGER)",
    }.get(kind, f"nullif(trim({raw}), '')")


def rules(ex: ExtractFile, spec: dict[str, str], extra: list[str]) -> list[Rule]:
    p = ex.peildatum.isoformat()
    out: list[Rule] = []
    for col, kind in spec.items():
        r = q("_r_" + col)
        c = q(col)
        if kind == "id":
            out.append(Rule(col, f"{c} IS NULL", "ouder_id ontbreekt."))
        if kind == "code":
            out.append(Rule(col, f"{c} IS NOT NULL AND NOT regexp_full_match({c}, 'GM[0-9]{{4}}')",
                            "'{waarde}' is geen gemeentecode (verwacht GM gevolgd door 4 cijfers, zoals GM0599).", r))
        if kind == "datum":
            out.append(Rule(col, f"NOT hm_leeg({r}) AND {c} IS NULL",
                            "'{waarde}' is geen geldige datum (verwacht 2021-03-11 of 11-03-2021).", r))
            out.append(Rule(col, f"{c} > DATE {lit(p)}",
                            f"de datum {{waarde}} ligt na de peildatum {p}; dat kan niet.", c))
        if kind == "bedrag":
            out.append(Rule(col, f"({c} IS NULL OR {c} < 0) AND NOT hm_bedrag_dubbelzinnig({r})",
                            "'{waarde}' is geen geldig bedrag (een getal van 0 of meer, zoals 30000,00).", r))
            out.append(Rule(col, f"hm_bedrag_dubbelzinnig({r})",
                            "'{waarde}' is geen geldig bedrag (dubbelzinnig: een punt met drie cijfers erachter kan "
                            "duizendtallen of decimalen betekenen; schrijf bijvoorbeeld 30000,00 of 30000.00).", r))
        if kind == "bool":
            out.append(Rule(col, f"{c} IS NULL",
                            "'{waarde}' is geen ja/nee-waarde (verwacht true/false, ja/nee of 1/0).", r))
        if kind == "cijfer":
            out.append(Rule(col, f"NOT hm_leeg({r}) AND {c} IS NULL",
                            "'{waarde}' is geen geheel getal.", r))
        if kind in ("id", "code", "tekst"):
            out.append(bsn_rule(col))
    out += [bsn_rule(col) for col in extra]
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
             "onbekende uitkomst '{waarde}' (toegestaan: gedupeerd, niet_gedupeerd of leeg).", "eerste_toets_uitkomst"),
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
        before("gegevens_gedeeld_datum", "aanmelddatum",
               "gegevens gedeeld vóór de aanmelding ({waarde}): onmogelijke volgorde."),
    ]


def ondersteuning_rules() -> list[Rule]:
    statuses = ", ".join(lit(s) for s in STATUSES)
    return [
        Rule("gemeentecode", "gemeentecode IS NULL", "gemeentecode ontbreekt."),
        duplicate_rule("ouder_id", "ouder_id, gemeentecode", "Deze combinatie van ouder_id en gemeentecode"),
        Rule("status", f"status IS NULL OR status NOT IN ({statuses})",
             "onbekende status '{waarde}' (toegestaan: " + ", ".join(STATUSES) + ").", "coalesce(_r_status, '')"),
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


def ervaring_rules() -> list[Rule]:
    """The parent survey (spec 2.5): one answer per parent per file, known answer values, a mark 1-10."""
    geholpen = ", ".join(lit(v) for v in GEHOLPEN)
    sneller = ", ".join(lit(v) for v in SNELLER)
    return [
        Rule("gemeentecode", "gemeentecode IS NULL", "gemeentecode ontbreekt."),
        Rule("antwoord_datum", "antwoord_datum IS NULL AND hm_leeg(_r_antwoord_datum)", "antwoord_datum ontbreekt."),
        duplicate_rule("ouder_id", "ouder_id", "Deze ouder_id"),
        Rule("voelt_zich_geholpen", f"voelt_zich_geholpen IS NULL OR voelt_zich_geholpen NOT IN ({geholpen})",
             "onbekend antwoord '{waarde}' (toegestaan: ja, deels, nee).", "coalesce(_r_voelt_zich_geholpen, '')"),
        Rule("rapportcijfer", "rapportcijfer NOT BETWEEN 1 AND 10",
             "rapportcijfer {waarde} ligt niet tussen 1 en 10 (of laat het leeg).", "rapportcijfer"),
        Rule("hulp_sneller_na_compensatie", f"hulp_sneller_na_compensatie NOT IN ({sneller})",
             "onbekend antwoord '{waarde}' (toegestaan: ja, nee, weet_niet of leeg).", "hulp_sneller_na_compensatie"),
    ]


KIND_RULES = {"aanmeldingen": aanmeldingen_rules, "ondersteuning": ondersteuning_rules, "deelname": deelname_rules,
              "ervaring": ervaring_rules}


def find_problems(con: duckdb.DuckDBPyConnection, ex: ExtractFile, checks: list[Rule]) -> list[str]:
    """Check every rule in one scan; a Dutch message for each broken rule (first row, and how many more).
    A windowed rule (duplicates) runs only when its cheap aggregate says it can fire. Details are fetched
    only for the rules that fail, from their first broken row."""
    plain = [i for i, r in enumerate(checks) if r.quick is None]
    flags = ", ".join(f"coalesce({checks[i].bad}, false) AS b{i}" for i in plain)
    counts = [f"count(*) FILTER (WHERE b{i}), min(_rij) FILTER (WHERE b{i})" for i in plain]
    quicks = [f"{r.quick}" for r in checks if r.quick is not None]
    found = con.execute(f"SELECT {', '.join(counts + quicks)} FROM (SELECT *, {flags} FROM parsed)").fetchone()
    summary = {i: found[2 * k:2 * k + 2] for k, i in enumerate(plain)}
    suspect = [i for i, q_ in zip((i for i, r in enumerate(checks) if r.quick), found[2 * len(plain):]) if q_]
    if suspect:
        flags = ", ".join(f"coalesce({checks[i].bad}, false) AS b{i}" for i in suspect)
        counts = ", ".join(f"count(*) FILTER (WHERE b{i}), min(_rij) FILTER (WHERE b{i})" for i in suspect)
        again = con.execute(f"SELECT {counts} FROM (SELECT _rij, {flags} FROM parsed)").fetchone()
        summary |= {i: again[2 * k:2 * k + 2] for k, i in enumerate(suspect)}
    problems = []
    for i, rule in enumerate(checks):
        n, row = summary.get(i, (0, None))
        if not n:
            continue
        value = con.execute(f"SELECT d FROM (SELECT _rij, ({rule.detail or 'NULL'})::VARCHAR AS d FROM parsed) "
                            "WHERE _rij = ?", [row]).fetchone()[0]
        if looks_like_bsn(value):  # e.g. a BSN in gemeentecode or a date column: never quote it
            value = "(waarde niet getoond: lijkt een BSN)"
        text = rule.message.replace("{waarde}", str(value))
        more = f" Nog {n - 1} andere {'rij heeft' if n == 2 else 'rijen hebben'} deze fout." if n > 1 else ""
        problems.append(f"Bestand {ex.name}, rij {row}, kolom {rule.column}: {text}{more}")
        if len(problems) == MAX_PROBLEMS:
            break
    return problems


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
    if ex.kind == "ervaring":
        out += unregistered_warning(con, ex)
    for col, kind in COLUMNS[ex.kind].items():
        if kind != "code":
            continue
        code = f"nullif(trim({q(col)}), '')"
        unknown = con.execute(f"SELECT {code} AS code, count(*) FROM raw WHERE {code} IS NOT NULL AND "
                              f"{code} NOT IN (SELECT gemeentecode FROM gemeenten) GROUP BY 1 ORDER BY 1").fetchall()
        if unknown:
            listed = ", ".join(f"{code} ({n} {'rij' if n == 1 else 'rijen'})" for code, n in unknown)
            out.append(f"Kolom {col}: onbekende gemeentecode {listed}; niet in de lijst van gemeenten 2023, "
                       "geteld onder 'onbekend'.")
    return out


def unregistered_warning(con: duckdb.DuckDBPyConnection, ex: ExtractFile) -> list[str]:
    """Survey answers of parents not in the registrations of the same peildatum: loaded and counted, but
    reported (the count is kept per answer in ervaring.ouder_aangemeld, see ingest.flag_survey)."""
    n = con.execute("SELECT count(*) FROM parsed WHERE ouder_id NOT IN "
                    "(SELECT ouder_id FROM aanmeldingen WHERE peildatum = $p)", {"p": ex.peildatum}).fetchone()[0]
    if not n:
        return []
    wie = "antwoord is van een ouder die" if n == 1 else "antwoorden zijn van ouders die"
    return [f"{n} {wie} niet in de aanmeldingen van peildatum {ex.peildatum.isoformat()} "
            f"{'staat' if n == 1 else 'staan'}; {'het telt' if n == 1 else 'ze tellen'} wel mee in de ervaringscijfers."]
