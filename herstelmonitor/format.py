"""Dutch (nl-NL) formatting of numbers, percentages, days and dates for the UI and exports: the one
formatter. Dates have one long form ('11 maart 2021') and one short form ('11-03-2021'); a missing value
has one mark, LEEG ('-', also what privacy shows for a figure on too few parents)."""
import math
from datetime import date

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")
LEEG = "-"
TELWOORDEN = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def getal(x, decimals: int = 0) -> str:
    """12345.6 -> '12.346' (or '12.345,6' with decimals=1)."""
    if missing(x):
        return LEEG
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def telwoord(n: int) -> str:
    """8 -> 'acht' (up to twelve, as Dutch house style writes small numbers), else digits."""
    return TELWOORDEN[n] if 0 <= n < len(TELWOORDEN) else getal(n)


def pct(x, decimals: int = 1) -> str:
    return LEEG if missing(x) else f"{getal(x, decimals)}%"


def pct_kort(x) -> str:
    """A percentage in a sentence: 40.0 -> '40%', 49.3 -> '49,3%'. Never rounded onto a whole number it is
    not (49.96 -> '49,96%', not '50%'), so a figure below a threshold never reads as equal to it."""
    if missing(x):
        return LEEG
    if float(x).is_integer():
        return f"{getal(x)}%"
    for decimals in (1, 2, 3):
        if not round(float(x), decimals).is_integer():
            break
    return f"{getal(x, decimals).rstrip('0').rstrip(',')}%"


def dagen(x, precies: bool = False) -> str:
    """'12 dagen', '1 dag'; `precies`: a median of 42.5 stays '42,5 dagen'."""
    if missing(x):
        return LEEG
    decimals = 1 if precies and not float(x).is_integer() else 0
    return f"{getal(x, decimals)} {'dag' if round(x, decimals) == 1 else 'dagen'}"


def signed(x, decimals: int = 0, unit: str = "") -> str:
    """A change: '+1.234', '-56', '0'. Rounded first, then the sign chosen (-0.04 with one decimal is '0,0',
    not '-0,0', which would show as a fall). A plain hyphen-minus: st.metric reads the sign from it (a true
    minus sign would show a falling figure with a rising green arrow)."""
    if missing(x):
        return ""
    rounded = round(float(x), decimals)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{getal(abs(rounded), decimals)}{unit}"


def datum(d: date) -> str:
    """date(2021, 3, 11) -> '11 maart 2021'."""
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def datum_kort(d: date) -> str:
    """date(2021, 3, 11) -> '11-03-2021'."""
    return d.strftime("%d-%m-%Y")


def maand(d: date) -> str:
    """date(2021, 3, 11) -> 'maart 2021' (a month, as on time axes and cohort labels)."""
    return f"{MAANDEN[d.month - 1]} {d.year}"


def euro(x) -> str:
    return LEEG if missing(x) else f"€ {getal(x)}"


# How each kind of the metric catalogue (herstelmonitor.queries.KINDS) is written.
BY_KIND = {"count": getal, "number": getal, "percentage": pct, "days": dagen, "score": lambda x: getal(x, 0),
           "rank": getal, "euro": euro, "ratio": lambda x: getal(x, 1)}


def metric_value(kind: str, x) -> str:
    """A figure shown by its kind in the metric catalogue."""
    return BY_KIND[kind](x)


def figure(name: str, x) -> str:
    """A catalogued figure as shown: by its kind; a suppression mark ('<5', '-') stays as it is."""
    from herstelmonitor.queries import metric

    return x if isinstance(x, str) else metric_value(metric(name).kind, x)


def cijfer(x) -> str:
    """A mean mark: 7.25 -> '7,3'."""
    return LEEG if missing(x) else getal(x, 1)


def metric_change(kind: str, x) -> str:
    """The change of a metric since the previous peildatum, in its own unit ('' when unknown)."""
    if missing(x):
        return ""
    if kind == "percentage":
        return signed(x, 1, " procentpunt")
    if kind == "ratio":
        return signed(x, 1)
    if kind == "days":
        return signed(x, 0, " dag" if round(abs(float(x))) == 1 else " dagen")
    return signed(x)
