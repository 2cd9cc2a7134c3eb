"""Over de cijfers: every metric's definition (read from its query), the signals, sources, loaded files."""
import streamlit as st

from herstelmonitor import config, metrics
from herstelmonitor.format import datum, datum_kort, getal
from herstelmonitor.queries import documented_metrics, signal_definitions
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Over de cijfers")
st.title("Over de cijfers")
st.markdown(
    "Alle cijfers komen uit de extracten van één peildatum: de datum die de extracten beschrijven. "
    "Elk cijfer is op één plek gedefinieerd, als query in de map `queries/`; de uitleg hieronder staat "
    "in dezelfde query, naast de berekening."
)

st.header("Definities")
st.dataframe(
    [{"Cijfer": m.label, "Naam": m.name, "Definitie": m.definition, "Query": m.path}
     for m in documented_metrics()],
    hide_index=True, width="stretch",
)
st.markdown(
    "Compensatiecijfers tellen een ouder in de gemeente waar die bij UHT staat ingeschreven; "
    "ondersteuningscijfers tellen in de gemeente die de ondersteuning geeft. Ouders zonder bekende "
    "gemeente, of met een gemeentecode die niet in de lijst van 2023 staat, tellen onder **onbekend** en "
    "in elk landelijk totaal."
)

n = config.small_count_threshold()
st.subheader(f"Kleine aantallen: afronden op een veelvoud van {n}")
st.markdown(
    "Wie niet alle cijfers exact mag zien (de rol landelijk, en een gemeente voor de andere gemeenten), ziet elk "
    f"aantal van een gemeente, regio, provincie of groep gemeenten **afgerond op een veelvoud van {n}**, zoals "
    f"statistiekbureaus doen. Een aantal van 1 tot {n - 1} staat er als **'<{n}'**, 0 blijft 0. Landelijke "
    "totalen zijn altijd exact.\n\n"
    "Alles wat verder over zo'n groep wordt getoond, is uit die afgeronde aantallen berekend, zodat geen "
    "rekensom een klein aantal teruggeeft:\n"
    "- een **percentage** is het afgeronde aantal gedeeld door de afgeronde basis; het staat er als '-' als "
    f"een van beide '<{n}' is. Percentage maal getoond aantal geeft dus weer een afgerond aantal;\n"
    f"- een **mediaan of ander cijfer in dagen** staat er als '-' als het op minder dan {n} ouders berust;\n"
    "- het **totaal van een regio** (ook bij een eigen indeling en bij 'wat als') is de som van de afgeronde "
    f"aantallen van haar gemeenten; een gemeente met '<{n}' telt daarin als 0. Totaal min de getoonde "
    f"gemeenten is dus altijd een veelvoud van {n};\n"
    "- een **reeks in de tijd** (per week, per maand, per peildatum) wordt per punt afgerond; de aantallen per "
    "periode zijn de verschillen tussen de afgeronde standen. Het verschil tussen twee weken of peildata is "
    f"dus ook een veelvoud van {n};\n"
    "- een **drempel** op een aantal ouders (bij achtervang, of wanneer een gemeente klein is) kan niet lager "
    f"dan {n}: een drempel van 1 tot {n - 1} zou laten zien welke gemeente zoveel ouders heeft.\n\n"
    "Door het afronden tellen onderdelen niet altijd precies op tot een landelijk totaal, en kan een percentage "
    "iets afwijken van het exacte. Waarom afronden en niet extra cijfers weglaten: bij afronden blijft elk "
    "cijfer zichtbaar, en het beschermt ook bij indelingen en selecties die de gebruiker zelf kiest (een "
    "eigen regio-indeling, een wat-als-keuze, eigen drempels), waar vooraf gekozen extra weglatingen niet "
    "tegen bestand zijn. Het programmateam (VNG) en het datateam zien alle cijfers exact."
)

st.header("Signalen voor achtervang")
thresholds = config.achtervang_defaults()
st.markdown("Een gemeente heeft achtervang nodig als minstens één signaal afgaat. Standaarddrempels:")
for name, (label, definition) in signal_definitions().items():
    st.markdown(f"- **{label}**: {definition.format(**thresholds)}")

st.header("Bronnen")
st.markdown(
    "- **Aanmeldingen** (UHT): één regel per aangemelde ouder, met een pseudoniem, nooit een BSN of naam.\n"
    "- **Ondersteuning** (gemeenten, via VNG): één regel per ouder per gemeente.\n"
    "- **Deelname** (VNG): één regel per gemeente.\n"
    "- **Ervaring** (oudervragenlijst van een onafhankelijk bureau, niet elke peildatum): één regel per antwoord "
    "van een ouder in ondersteuning: voelt zich geholpen (ja, deels, nee), rapportcijfer, en of de hulp sneller "
    "ging na de compensatie. Een peildatum zonder dit extract is compleet; de ervaringscijfers zijn dan 'geen "
    f"meting'. Cijfers tellen de antwoorden van de {config.survey_days() // 7} weken tot de peildatum; met minder "
    f"dan {config.survey_min_answers()} antwoorden staat er 'te weinig antwoorden'. Losse antwoorden worden nooit "
    "getoond.\n"
    "- **Gemeenten 2023** (CBS, PDOK, CC BY 4.0): namen, provincies, COROP-regio's, inwoners, "
    "huishoudens en kaarten van de 342 gemeenten."
)

st.header("Geladen extracten")


def file_rows(group, with_peildatum: bool = False) -> list[dict]:
    return [({"Peildatum": datum(r.peildatum.date()) + ("" if r.peildatum.date() in ctx.peildata
                                                       else " (onvolledig: niet te kiezen)")} if with_peildatum else {})
            | {"Soort": r.soort, "Bestand": r.bestandsnaam, "Rijen": getal(r.rijen),
               "Controlegetal (SHA-256)": r.sha256[:16] + "…", "Geladen op": f"{datum_kort(r.geladen_op.date())} {r.geladen_op:%H:%M}",
               "Waarschuwingen": "; ".join(r.waarschuwingen) or "geen"}
            for r in group.itertuples()]


# The chosen peildatum in view; the others in one table (not one table per peildatum: 41 tables made the
# page heavy to build and to send).
files = metrics.loaded_files(ctx.con)
chosen = files["peildatum"].dt.date == ctx.peildatum
st.markdown(f"**Peildatum {datum(ctx.peildatum)}**")
st.dataframe(file_rows(files[chosen]), hide_index=True, width="stretch")
others = files[~chosen].sort_values("peildatum", ascending=False, kind="stable")
if not others.empty:
    with st.expander(f"De andere {getal(others['peildatum'].nunique())} peildata"):
        st.dataframe(file_rows(others, with_peildatum=True), hide_index=True, width="stretch")
st.caption(SOURCES)
