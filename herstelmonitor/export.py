"""CSV and Excel downloads of what a page shows, safe to open in a spreadsheet."""
import io

import pandas as pd
import streamlit as st

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with = + - @ would run as formulas in Excel: prefix them with a quote."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    out.columns = [("'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel opens it: ';' between fields, decimal comma, UTF-8 with BOM."""
    return neutralise(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Herstelmonitor") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame, name: str, key: str, excel: bool = True) -> None:
    """CSV (and Excel) download buttons for exactly the table shown. `name` without extension."""
    cols = st.columns(2 if excel else 1, width=420)
    cols[0].download_button("CSV downloaden", csv_bytes(frame), f"{name}.csv", "text/csv",
                            key=f"{key}-csv", icon=":material/download:")
    if excel:
        cols[1].download_button("Excel downloaden", xlsx_bytes(frame), f"{name}.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                key=f"{key}-xlsx", icon=":material/download:")
