"""Samenhang compensatie en ondersteuning: do parents with settled compensation progress faster in support?"""
import pandas as pd
import streamlit as st

from herstelmonitor import config, grafiek, privacy, samenhang as s
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, getal
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Samenhang compensatie en ondersteuning")
P = ctx.peildatum
st.title("Samenhang compensatie en ondersteuning")
st.caption(f"Komen ouders van wie de compensatie geregeld is sneller verder in de ondersteuning? · peildatum **{datum(P)}**")
st.markdown(
    "Gemeenten zeggen dat hun ondersteuning pas goed werkt als de financiële compensatie geregeld is: "
    "uitsluitsel geeft ouders rust. Deze pagina zet de ouders in ondersteuning (hun gegevens zijn met de gemeente "
    "gedeeld) naast elkaar naar de stand van hun compensatie op elke peildatum, en laat zien hoe ver zij in de "
    "ondersteuning zijn: contact, plan van aanpak, afgerond, en hoeveel dagen dat na het delen van de gegevens duurde.")
with st.container(border=True):
    st.markdown(
        "**Wat deze vergelijking wel en niet laat zien.** De groepen verschillen in meer dan hun compensatie. Wie al "
        "betaald is of een integrale beoordeling heeft, meldde zich meestal eerder aan en is dus al langer bij de "
        "gemeente in beeld (zie *Dagen sinds gedeeld*): meer tijd geeft vanzelf meer contact, plannen en afgeronde "
        "trajecten. Ook de zwaarte van de problemen, de gemeente en de bereidheid om hulp aan te nemen verschillen. "
        "Een verschil tussen de groepen is dus een samenhang, geen bewijs dat compensatie de ondersteuning versnelt. "
        "Vergelijk daarom ook de dagen tot elke stap, en de antwoorden van ouders zelf op de vraag of de hulp sneller "
        "ging nadat de compensatie geregeld was (onderaan).")

alles = s.progress(ctx.con, ctx.peildata[0], P)
provincies = [s.LANDELIJK, *sorted(p for p in alles["provincie"].dropna().unique() if p != "Onbekend")]
provincie = st.selectbox("Gebied", provincies, key="samenhang_gebied", width=320,
                         help="Nederland, of de provincie van de gemeente die de ondersteuning geeft.")
rijen = s.selection(alles, provincie, ctx)
nu = rijen[rijen["peildatum"] == pd.Timestamp(P)]

st.header(f"Voortgang per stand van de compensatie, {provincie}")
if nu.empty:
    st.info("Op deze peildatum zijn er geen ouders in ondersteuning in dit gebied.", icon=":material/info:")
else:
    st.plotly_chart(s.progress_chart(nu, f"Ouders in ondersteuning op {datum(P)}"), width="stretch")
    tabel = s.table(nu)
    st.dataframe(tabel, hide_index=True, width="stretch")
    download_buttons(tabel, f"samenhang-{provincie.lower().replace(' ', '-')}-{P.isoformat()}", key="samenhang")

st.header("Over de peildata")
maat = st.radio("Cijfer", [*s.VOORTGANG, *s.DAGEN], horizontal=True, key="samenhang_maat",
                format_func=lambda c: s.VOORTGANG.get(c) or s.DAGEN[c])
soort = "percentage" if maat in s.VOORTGANG else "days"
label = s.VOORTGANG.get(maat) or s.DAGEN[maat]
st.plotly_chart(grafiek.line_chart(s.trend(rijen, maat), f"{label} per stand van de compensatie, {provincie}", soort,
                             height=380), width="stretch")

st.header("Wat ouders zelf zeggen")
antwoord = s.sneller(ctx.con, P, provincie, ctx)
if antwoord is None:
    st.info("Geen meting: voor deze peildatum is geen oudervragenlijst (extract ervaring) geladen.",
            icon=":material/sentiment_neutral:")
else:
    st.markdown(f"In de oudervragenlijst ({provincie}, antwoorden van de {config.survey_days() // 7} weken tot de "
                f"peildatum) beantwoordden **{antwoord.get('beantwoord_tekst', getal(antwoord['beantwoord']))}** "
                "ouders de vraag of de hulp van de gemeente sneller ging nadat hun compensatie geregeld was.")
    a, b, c = st.columns(3)
    a.metric("Ja, sneller", antwoord["ja"], border=True)
    b.metric("Nee", antwoord["nee"], border=True)
    c.metric("Weet niet", antwoord["weet_niet"], border=True)
    st.caption(f"Minder dan {config.survey_min_answers()} antwoorden op de vraag: te weinig antwoorden. Ouders die "
               "de vraag overslaan tellen niet mee.")
n = config.small_count_threshold()
st.caption(f"{privacy.uitleg()} Een mediaan over minder dan {n} ouders staat er als '-'. " + SOURCES)
