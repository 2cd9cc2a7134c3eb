"""Achtervang: which gemeenten need the emergency fallback, why and since when, and which will soon."""
import pandas as pd
import streamlit as st

from herstelmonitor import achtervang as av
from herstelmonitor import metrics, privacy
from herstelmonitor.export import bron_regels, csv_met_bron, download_buttons, met_context, xlsx_bytes
from herstelmonitor.format import datum, getal, pct, signed
from herstelmonitor.kaart import toon_legenda
from herstelmonitor.queries import metric
from herstelmonitor.toegankelijk import kaart_samenvatting, lijstweergave, toon_grafiek
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Achtervang")
P = ctx.peildatum
DEFAULTS = av.defaults()
SHOWN_FIRST = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def key(th: av.Threshold) -> str:
    return f"drempel_{th.key}"


def reset_thresholds() -> None:
    for th in av.THRESHOLDS:
        st.session_state[key(th)] = DEFAULTS[th.key]


def card(item: dict) -> None:
    """One gemeente of the list: rank, name, parents affected, each signal with since when and why, link."""
    with st.container(border=True):
        st.markdown(f"### {item['rang']}. {item['gemeentenaam']}\n"
                    f"{item['provincienaam']} · **{item['ouders']}** getroffen ouders")
        st.markdown("\n".join(f"- **{lab}** ({sind}): {zin}" for lab, sind, zin in av.reasons(item, ctx.peildata[0], P)))
        st.page_link(av.GEMEENTE_PAGE, label=f"Naar {item['gemeentenaam']}", icon=":material/location_city:",
                     query_params={"gemeente": item["gemeentecode"], "peildatum": P.isoformat()})


def warning_card(group) -> None:
    """One gemeente of the early warning: name, parents affected, each expected signal with its trend."""
    top = group.iloc[0]
    with st.container(border=True):
        st.markdown(f"**{top['gemeentenaam']}** · {top['provincienaam']} · {top['ouders']} getroffen ouders")
        st.markdown("\n".join(f"- **{av.label(w.signaal)}** {av.VOORUIT[w.over]}: {w.trend}" for w in group.itertuples()))


st.title("Achtervang")
st.caption(f"Gemeenten waar de ondersteuning van ouders niet goed loopt, op peildatum **{datum(P)}**. "
           f"Een gemeente heeft achtervang (noodvoorziening) nodig als minstens één van de {av.telwoord(len(av.SIGNALS))} "
           "signalen afgaat.")

# Thresholds: start at config/herstelmonitor.toml, kept for the session (also across pages), resettable.
for th in av.THRESHOLDS:
    st.session_state.setdefault(key(th), DEFAULTS[th.key])
    if st.session_state[key(th)] < th.laagste(ctx):  # e.g. set by another role in the same demo session
        st.session_state[key(th)] = th.laagste(ctx)
own = av.changed({th.key: st.session_state[key(th)] for th in av.THRESHOLDS})
with st.expander("Drempels van de signalen", icon=":material/tune:", expanded=bool(own)):
    for signal, col in zip(av.SIGNALS, st.columns(len(av.SIGNALS))):
        with col:
            st.markdown(f"**{av.label(signal)}**")
            for th in av.THRESHOLDS:
                if th.signal == signal:
                    st.number_input(th.label, min_value=th.laagste(ctx), max_value=th.max_value, step=1,
                                    key=key(th), persist_state="session")
    st.button("Standaarddrempels herstellen", on_click=reset_thresholds, icon=":material/restart_alt:",
              disabled=not own)
thresholds = av.for_viewer({th.key: int(st.session_state[key(th)]) for th in av.THRESHOLDS}, ctx)
own = av.changed(thresholds)
if own:
    st.info("Aangepaste drempels: " + "; ".join(
        f"{th.label.lower()} **{own[th.key][0]}** (standaard {own[th.key][1]})"
        for th in av.THRESHOLDS if th.key in own) + ". Lijst, aantallen, kaart en export volgen deze drempels.",
        icon=":material/tune:")

# Computed once per data version, thresholds and role class, shared by every session (herstelmonitor.gedeeld).
hist, alle, alle_waarschuwing = av.page_data(ctx.con, ctx.peildata, P, thresholds, ctx)
# The filter applies to everything below: counts, chart, map, list, early warning and every export.
f1, f2 = st.columns(2)
provincies = f1.multiselect("Provincie", sorted(hist["provincienaam"].unique()), placeholder="Alle provincies",
                            key="av_provincies")
signalen = f2.multiselect("Signaal", av.SIGNALS, format_func=av.label, placeholder="Alle signalen", key="av_signalen")
filter_ = av.Filter(tuple(provincies), tuple(signalen))
if filter_.actief:
    st.info(f"Filter: **{filter_.tekst()}**. Aantallen, grafiek, kaart, lijst, vroegsignalering en de downloads "
            "volgen dit filter.", icon=":material/filter_alt:")
lijst = filter_.lijst(alle)
waarschuwing = filter_.waarschuwing(alle_waarschuwing)
series = av.national_series(filter_.history(hist))

# --- the national picture ---
st.header("Landelijk beeld" if not filter_.actief else "Beeld binnen het filter")
now = series.iloc[-1]
before = series.iloc[-2] if len(series) > 1 else None
share = 100 * now["ouders"] / now["ouders_totaal"] if now["ouders_totaal"] else None
registered = int(metrics.per_gemeente(ctx.con, P)["aangemeld"].reindex(lijst["gemeentecode"]).sum())
# A sum over gemeenten chosen by the viewer's own thresholds is no national total: rounded unless exact.
registered = registered if not own or ctx.exact_for(None) else privacy.rounded(registered) or 0
left, middle, right = st.columns(3)
left.metric("Gemeenten die achtervang nodig hebben", f"{getal(now['gemeenten'])} van {getal(now['gemeenten_totaal'])}",
            delta=None if before is None else signed(now["gemeenten"] - before["gemeenten"]) or "0",
            delta_color="inverse", border=True,
            help="Gemeenten waar op deze peildatum minstens één signaal afgaat; verschil met de vorige peildatum.")
middle.metric(f"{av.OUDERS_LABEL} in die gemeenten", getal(now["ouders"]),
              delta=None if before is None else signed(now["ouders"] - before["ouders"]) or "0",
              delta_color="inverse", border=True,
              help=f"{av.OUDERS_LABEL}: {metric('ouders_gedeeld').definition} In deze gemeenten {pct(share)} van alle "
                   f"{getal(now['ouders_totaal'])}. Het Overzicht toont een ander cijfer, "
                   f"'{metric('aangemeld').label} in gemeenten met een signaal' (geteld in de gemeente van "
                   f"inschrijving bij UHT): {getal(registered)}.")
right.metric("Vroegsignalering", f"{getal(waarschuwing['gemeentecode'].nunique())} gemeenten", border=True,
             help="Gemeenten zonder signaal die bij de huidige trend binnen twee peildata over een drempel gaan.")
st.markdown(" · ".join(f"{av.label(s)}: **{getal(now[s])}** gemeenten" for s in (filter_.signalen or av.SIGNALS)))
chart, kaart = st.columns([4, 3])
with chart:
    st.markdown("**Over de peildata**")
    toon_grafiek(st, av.national_chart(series), config={"displayModeBar": False})
with kaart:
    st.markdown("**Op de kaart** (tik op of wijs een gemeente aan, of open de lijst eronder)")
    kaartframe = av.map_frame(hist, P, lijst, waarschuwing, ctx, filter_, alle)
    deck, schaal = av.map_deck(kaartframe)
    samenvatting = kaart_samenvatting(schaal, "hun achtervangsignalen")
    st.pydeck_chart(deck, key="achtervang-kaart", height=420, alt=samenvatting)
    toon_legenda(schaal)
    st.caption(samenvatting)
lijstweergave(pd.DataFrame({
    "gemeentecode": kaartframe["gemeentecode"], "Gemeente": kaartframe["gemeentenaam"],
    "Op de kaart": kaartframe["status"].map(lambda s: av.KAART_KLASSEN[s][0]), "Signalen": kaartframe["signalen"],
    av.OUDERS_LABEL: kaartframe["ouders"]}), "De kaart", "achtervang_lijst", P)

# --- the list ---
st.header(f"Gemeenten die achtervang nodig hebben ({getal(len(lijst))})")
st.caption(f"Meeste {av.OUDERS.lower()} eerst. {av.OUDERS_LABEL}: ouders van wie de gegevens met de gemeente zijn gedeeld. "
           "'Sinds' is de eerste peildatum van de huidige ononderbroken reeks van het signaal, bij deze drempels.")
if lijst.empty:
    st.success("Op deze peildatum gaat bij geen enkele gemeente een signaal af"
               + (" binnen het filter." if filter_.actief else "."), icon=":material/check_circle:")
else:
    shown = lijst
    everything = len(shown) <= SHOWN_FIRST or st.toggle(f"Alle {getal(len(shown))} gemeenten tonen",
                                                       help=f"Standaard de eerste {SHOWN_FIRST}.")
    for item in (shown if everything else shown.head(SHOWN_FIRST)).to_dict("records"):
        card(item)

# --- early warning ---
st.header(f"Vroegsignalering ({getal(waarschuwing['gemeentecode'].nunique())})")
st.caption("Gemeenten zonder signaal die binnen twee peildata over een drempel gaan als de trend doorzet. Methode: de "
           "gemiddelde verandering per peildatum over de laatste drie peildata (van de eerste naar de laatste, gedeeld "
           "door twee), één keer opgeteld voor de volgende peildatum en twee keer voor de peildatum daarna. De "
           "minimumaantallen van het signaal moeten op alle drie de peildata al gehaald zijn.")
if (sofar := ctx.peildata.index(P) + 1) < av.TREND_PEILDATA:
    st.markdown(f"Vroegsignalering heeft {av.telwoord(av.TREND_PEILDATA)} peildata nodig om een trend te zien; "
                f"tot en met deze peildatum zijn er {av.telwoord(sofar)}.")
elif waarschuwing.empty:
    st.markdown("Geen gemeenten: bij de huidige trend gaat binnen twee peildata geen nieuwe gemeente over een drempel.")
for _, group in waarschuwing.groupby("gemeentecode", sort=False):
    warning_card(group)

# --- exports ---
st.header("Exporteren")
st.caption("De lijst met redenen als CSV of Excel, en een samenvatting van één pagina om te printen (A4, HTML: "
           f"openen in de browser en printen). Elk bestand vermeldt de peildatum ({datum(P)}) en het filter "
           f"({filter_.tekst()}).")
name = av.export_name(P, thresholds, filter_)
export = av.export_frame(lijst, P, ctx, filter_)
summary = dict(peildatum=P, thresholds=thresholds, lijst=lijst, waarschuwing=waarschuwing, series=series,
               first=ctx.peildata[0], filter_=filter_)
# The files are made when a button is clicked (callables), not on every rerun of the page.
csv_col, xlsx_col, html_col = st.columns(3, width=720)
with csv_col:
    st.download_button("CSV downloaden", lambda: csv_met_bron(export, P), f"{name}.csv", "text/csv", key="achtervang-csv",
                       icon=":material/download:", on_click="ignore")
with xlsx_col:
    st.download_button("Excel downloaden", lambda: xlsx_bytes(export, "Achtervang", bron_regels(P)), f"{name}.xlsx", XLSX,
                       key="achtervang-xlsx", icon=":material/download:", on_click="ignore")
with html_col:
    st.download_button("Samenvatting om te printen", lambda: av.printable_summary(**summary), f"{name}.html",
                       "text/html", key="achtervang-html", icon=":material/print:", on_click="ignore")
st.markdown("**De aantallen over de peildata** (grafiek hierboven) en **de vroegsignalering**:")
download_buttons(met_context(av.series_frame(series), P, filter_.tekst()), f"{name}_verloop", key="achtervang-verloop",
                 lazy=True)
download_buttons(met_context(av.warning_frame(waarschuwing), P, filter_.tekst()), f"{name}_vroegsignalering",
                 key="achtervang-vroeg", lazy=True)

st.header("Zo lees je deze pagina")
st.markdown("\n".join(f"- **{av.label(s)}**: {av.definition(s, thresholds)}" for s in av.SIGNALS))
st.caption(privacy.uitleg() + " " + SOURCES)
