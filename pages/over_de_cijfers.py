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

st.subheader("Definities")
st.dataframe(
    [{"Cijfer": m.label, "Naam": m.name, "Definitie": m.definition, "Query": f"queries/{m.query}.sql"}
     for m in documented_metrics()],
    hide_index=True, width="stretch",
)
st.markdown(
    "Compensatiecijfers tellen een ouder in de gemeente waar die bij UHT staat ingeschreven; "
    "ondersteuningscijfers tellen in de gemeente die de ondersteuning geeft. Ouders zonder bekende "
    "gemeente, of met een gemeentecode die niet in de lijst van 2023 staat, tellen onder **onbekend** en "
    "in elk landelijk totaal. Aantallen per gemeente onder "
    f"{config.small_count_threshold()} worden buiten het programmateam getoond als "
    f"'<{config.small_count_threshold()}'; landelijke totalen nooit."
)

st.subheader("Signalen voor achtervang")
thresholds = config.achtervang_defaults()
st.markdown("Een gemeente heeft achtervang nodig als minstens één signaal afgaat. Standaarddrempels:")
for name, (label, definition) in signal_definitions().items():
    st.markdown(f"- **{label}**: {definition.format(**thresholds)}")

st.subheader("Bronnen")
st.markdown(
    "- **Aanmeldingen** (UHT): één regel per aangemelde ouder, met een pseudoniem, nooit een BSN of naam.\n"
    "- **Ondersteuning** (gemeenten, via VNG): één regel per ouder per gemeente.\n"
    "- **Deelname** (VNG): één regel per gemeente.\n"
    "- **Gemeenten 2023** (CBS, PDOK, CC BY 4.0): namen, provincies, COROP-regio's, inwoners, "
    "huishoudens en kaarten van de 342 gemeenten."
)

st.subheader("Geladen extracten")
files = metrics.loaded_files(ctx.con)
for peildatum, group in files.groupby(files["peildatum"].dt.date, sort=False):
    complete = peildatum in ctx.peildata
    with st.expander(f"Peildatum {datum(peildatum)}" + ("" if complete else " (onvolledig: niet te kiezen)"),
                     expanded=peildatum == ctx.peildatum):
        st.dataframe(
            [{"Soort": r.soort, "Bestand": r.bestandsnaam, "Rijen": getal(r.rijen),
              "Controlegetal (SHA-256)": r.sha256[:16] + "…", "Geladen op": f"{datum_kort(r.geladen_op.date())} {r.geladen_op:%H:%M}",
              "Waarschuwingen": "; ".join(r.waarschuwingen) or "geen"}
             for r in group.itertuples()],
            hide_index=True, width="stretch",
        )
st.caption(SOURCES)
