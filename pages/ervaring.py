"""Ervaring van ouders: do parents feel helped, and where do good process figures hide dissatisfied parents?"""
import streamlit as st

from herstelmonitor import config, ervaring as e, grafiek, metrics, privacy
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, getal
from herstelmonitor.queries import metric
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Ervaring van ouders")
P = ctx.peildatum
st.title("Ervaring van ouders")
st.caption(f"Voelen ouders zich geholpen door hun gemeente? Uit de oudervragenlijst · peildatum **{datum(P)}**")
gemeten = e.measured(ctx.con)
drempels = config.achtervang_defaults()
grens = drempels["niet_geholpen_max_pct"]
st.markdown(
    f"Een onafhankelijk bureau vraagt ouders in ondersteuning of zij zich door hun gemeente geholpen voelen (ja, "
    f"deels of nee) en om een rapportcijfer. De cijfers tellen de antwoorden van de {e.weken()} weken tot en met de "
    f"peildatum, in de gemeente die de ondersteuning geeft. Met minder dan {e.min_answers()} antwoorden staat er "
    f"'{e.TE_WEINIG}'; zonder vragenlijst voor een peildatum '{e.GEEN_METING}'. Losse antwoorden worden nooit getoond.")

st.header("Landelijk")
reeks = metrics.national(ctx.con, ctx.peildata[0], P)
reeks.index = [i.date() for i in reeks.index]
if P not in gemeten:
    st.info("Geen meting: voor deze peildatum is geen oudervragenlijst (extract ervaring) geladen.",
            icon=":material/sentiment_neutral:")
else:
    land = e.national(ctx.con, P)
    a, b, c, f = st.columns(4)
    a.metric(metric("antwoorden").label, getal(land["antwoorden"]), border=True)
    b.metric("Voelt zich geholpen", e.helped_line(land, True), border=True)
    c.metric("Rapportcijfer (gemiddeld)", e.text(land["rapportcijfer_gem"], "ratio", land["antwoorden"], True), border=True)
    f.metric("Gemeenten: ouders niet geholpen", getal(land["gemeenten_niet_geholpen"]), border=True)
trend = e.trend_frame(reeks, gemeten, {"geholpen_pct": "Ja", "deels_pct": "Deels"})
if trend.notna().any().any():
    st.plotly_chart(grafiek.line_chart(trend, "Voelt zich geholpen, landelijk (% van de antwoorden)", "percentage"), width="stretch")
    geen = [datum(p) for p in ctx.peildata[: ctx.peildata.index(P) + 1] if p not in gemeten]
    if geen:
        st.caption(f"Geen meting op {len(geen)} peildata (de lijn is daar onderbroken), onder meer {', '.join(geen[-3:])}.")
if P not in gemeten:
    st.caption(SOURCES)
    st.stop()

st.header("Per provincie")
groepen = e.groups(ctx.con, P, P)
prov = groepen[groepen["niveau"] == "provincie"].sort_values("provincie", na_position="last")
st.dataframe(e.provincie_table(prov, ctx), hide_index=True, width="stretch")

st.header("Procescijfers en ervaring naast elkaar")
st.markdown(
    "Elke stip is een gemeente met genoeg antwoorden. Rechtsonder staan gemeenten met goede procescijfers "
    f"waar toch minder dan {getal(grens)}% van de ouders zich (deels) geholpen voelt: daar zeggen contact en "
    "afgeronde trajecten niet alles. De lijst noemt de gemeenten waar het procescijfer het verst boven het "
    "aandeel geholpen ouders ligt.")
x = st.radio("Procescijfer", list(e.PROCESS), format_func=lambda c: e.PROCESS[c][0], horizontal=True, key="proces")
frame = e.process_and_experience(ctx.con, P, ctx)
lijst = e.largest_gaps(frame, x)
top = lijst.head(15)
chart, side = st.columns([3, 2])
with chart:
    st.plotly_chart(e.scatter_chart(frame, x, e.national_process(ctx.con, P)[x], grens, set(top["gemeentecode"])),
                    width="stretch")
with side:
    st.markdown(f"**Grootste verschil tussen {e.PROCESS[x][0].lower()} en ervaring** ({getal(len(top))} van "
                f"{getal(len(lijst))} gemeenten met genoeg antwoorden)")
    tabel = e.gap_table(top, x)
    st.dataframe(tabel[["Gemeente", f"{e.PROCESS[x][0]} (%)", "Geholpen, ja of deels (%)", "Verschil (procentpunt)"]],
                 hide_index=True, width="stretch")
download_buttons(e.gap_table(lijst, x), f"proces-en-ervaring-{x}-{P.isoformat()}", key="ervaring")
n = config.small_count_threshold()
st.caption(f"Geholpen: antwoord ja of deels, zoals in het signaal 'Ouders niet geholpen'. Buiten het programmateam "
           f"staat een aandeel dat een aantal onder {n} zou verraden als '-'; zo'n gemeente ontbreekt in de grafiek. "
           f"{privacy.uitleg()} "
           + SOURCES)
