"""CSV and Excel downloads of what a page shows, safe to open in a spreadsheet."""
import io

import pandas as pd
import streamlit as st

from herstelmonitor.format import LEEG

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = {LEEG}  # a lone dash (format.LEEG, the missing mark) is no formula: keep it as it is shown


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with = + - @ would run as formulas in Excel: prefix them with a quote."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) and v not in HARMLESS else v)
    out.columns = [("'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it: ';' between fields, decimal comma, UTF-8 with BOM."""
    return decimal_comma(neutralise(frame)).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Herstelmonitor", bron: list[str] | None = None) -> bytes:
    """The table on one sheet; with `bron`, a second sheet 'Bron' naming source and peildatum."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        if bron:
            pd.DataFrame({"Bron": bron}).to_excel(writer, index=False, sheet_name="Bron")
    return buffer.getvalue()


BRON = "Bron: extracten van UHT (aanmeldingen) en VNG (ondersteuning, deelname); Herstelmonitor"


def bron_regels(peildatum) -> list[str]:
    """Where a download comes from: source and peildatum (for the first line of a CSV, the 'Bron' sheet)."""
    from herstelmonitor.format import datum_kort
    return [BRON, f"Peildatum: {datum_kort(peildatum)}" if peildatum else "Peildatum: onbekend"]


def csv_met_bron(frame: pd.DataFrame, peildatum) -> bytes:
    """The CSV with one line above the header naming source and peildatum."""
    regel = "# " + "; ".join(bron_regels(peildatum)).replace(";", ",") + "\r\n"
    return "\ufeff".encode("utf-8") + regel.encode("utf-8") + csv_bytes(frame).removeprefix(b"\xef\xbb\xbf")


def gekozen_peildatum():
    from datetime import date
    chosen = st.session_state.get("peildatum")
    return date.fromisoformat(chosen) if isinstance(chosen, str) else chosen


def met_context(frame: pd.DataFrame, peildatum, filters: str) -> pd.DataFrame:
    """A download with the peildatum (dd-mm-jjjj) and the filters it was made with in its first columns, on
    every row, so a sorted or cut spreadsheet still says what it holds."""
    out = frame.copy()
    out.insert(0, "Filter", filters)
    out.insert(0, "Peildatum", peildatum.strftime("%d-%m-%Y"))
    return out


def download_buttons(frame: pd.DataFrame, name: str, key: str, excel: bool = True, lazy: bool = False) -> None:
    """CSV (and Excel) download buttons for exactly the table shown, with source and peildatum (a first line
    in the CSV, a sheet 'Bron' in Excel). `name` without extension. `lazy`: the files are made when a button
    is clicked, not on every run of the page."""
    cols = st.columns(2 if excel else 1, width=420)
    peildatum = gekozen_peildatum()
    made = (lambda f: f) if lazy else (lambda f: f())
    extra = {"on_click": "ignore"} if lazy else {}
    cols[0].download_button("CSV downloaden", made(lambda: csv_met_bron(frame, peildatum)), f"{name}.csv", "text/csv",
                            key=f"{key}-csv", icon=":material/download:", **extra)
    if excel:
        cols[1].download_button("Excel downloaden", made(lambda: xlsx_bytes(frame, "Herstelmonitor", bron_regels(peildatum))),
                                f"{name}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                key=f"{key}-xlsx", icon=":material/download:", **extra)


def decimal_comma(frame: pd.DataFrame) -> pd.DataFrame:
    """to_csv(decimal=",") skips numbers in text columns (e.g. percentages next to a suppressed "-"):
    write those with a decimal comma too."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: str(v).replace(".", ",") if isinstance(v, float) and v == v else v)
    return out
