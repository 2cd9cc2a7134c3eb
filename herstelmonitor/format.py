"""Dutch (nl-NL) formatting of numbers, percentages, days and dates for the UI and exports."""
import math
from datetime import date

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")
LEEG = "–"


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def getal(x, decimals: int = 0) -> str:
    """12345.6 -> '12.346' (or '12.345,6' with decimals=1)."""
    if missing(x):
        return LEEG
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def pct(x, decimals: int = 1) -> str:
    return LEEG if missing(x) else f"{getal(x, decimals)}%"


def dagen(x) -> str:
    return LEEG if missing(x) else f"{getal(x)} {'dag' if round(x) == 1 else 'dagen'}"


def signed(x, decimals: int = 0, unit: str = "") -> str:
    """A change: '+1.234', '-56', '0'. A plain hyphen-minus: st.metric reads the sign from it (a true minus
    sign would show a falling figure with a rising green arrow)."""
    if missing(x):
        return ""
    sign = "+" if x > 0 else "-" if x < 0 else ""
    return f"{sign}{getal(abs(x), decimals)}{unit}"


def datum(d: date) -> str:
    """date(2021, 3, 11) -> '11 maart 2021'."""
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def datum_kort(d: date) -> str:
    """date(2021, 3, 11) -> '11-03-2021'."""
    return d.strftime("%d-%m-%Y")


def metric_value(kind: str, x) -> str:
    """A metric shown by its kind: 'aantal', 'pct', 'dagen' or 'cijfer' (a mean mark: one decimal)."""
    return {"aantal": getal, "pct": pct, "dagen": dagen, "cijfer": cijfer}[kind](x)


def cijfer(x) -> str:
    """7.25 -> '7,3'."""
    return LEEG if missing(x) else getal(x, 1)


def metric_change(kind: str, x) -> str:
    """The change of a metric since the previous peildatum, in its own unit ('' when unknown)."""
    if missing(x):
        return ""
    return {"aantal": lambda v: signed(v), "pct": lambda v: signed(v, 1, " procentpunt"),
            "dagen": lambda v: signed(v, 0, " dag" if round(abs(v)) == 1 else " dagen"),
            "cijfer": lambda v: signed(v, 1)}[kind](x)
