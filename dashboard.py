"""Overzicht: the landing page for a briefing. Where do we stand at the chosen peildatum?"""
import streamlit as st

from herstelmonitor import ervaring, metrics
from herstelmonitor.format import datum, getal, pct
from herstelmonitor.queries import signal_definitions
from herstelmonitor.tiles import tile_row
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Overzicht")
st.title("Herstelmonitor")
st.caption(f"Hersteloperatie kinderopvangtoeslag · overzicht op peildatum **{datum(ctx.peildatum)}**")

reeks = metrics.national(ctx.con, ctx.peildata[0], ctx.peildatum)

st.subheader("Compensatie door UHT")
tile_row(["aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
          "integrale_beoordeling_afgerond", "wachtend_op_eerste_toets", "doorlooptijd_eerste_toets_mediaan",
          "doorlooptijd_forfait_mediaan"], reeks)

st.subheader("Brede ondersteuning door gemeenten")
tile_row(["gegevens_gedeeld", "in_contact", "bereik_pct", "hulp_afgewezen", "gemeenten_aangesloten",
          "doorlooptijd_contact_mediaan"], reeks, per_row=3)

st.subheader("Ervaring van ouders")
gemeten = ctx.peildatum in ervaring.measured(ctx.con)
if not gemeten:
    st.info("Geen meting: voor deze peildatum is geen oudervragenlijst (extract ervaring) geladen.",
            icon=":material/sentiment_neutral:")
else:
    ouders = ervaring.national(ctx.con, ctx.peildatum)
    definities = {m.name: m.definition for m in metrics.all_metrics().values()}
    a, b, c, e = st.columns(4)
    a.metric("Antwoorden", getal(ouders["antwoorden"]), border=True, help=definities["antwoorden"])
    b.metric("Voelt zich geholpen", ervaring.helped_line(ouders, gemeten), border=True,
             help=definities["geholpen_pct"] + " Daarnaast: " + definities["deels_pct"])
    c.metric("Rapportcijfer (gemiddeld)", ervaring.text(ouders["rapportcijfer_gem"], "ratio", ouders["antwoorden"], gemeten),
             border=True, help=definities["rapportcijfer_gem"])
    e.metric("Gemeenten: ouders niet geholpen", getal(ouders["gemeenten_niet_geholpen"]), border=True,
             help="Gemeenten waar het achtervangsignaal 'Ouders niet geholpen' afgaat (zie Over de cijfers).")
    st.page_link("pages/ervaring.py", label="Ervaring naast de procescijfers per gemeente",
                 icon=":material/scatter_plot:")

st.subheader("Achtervang")
summary = metrics.achtervang_summary(ctx.con, ctx.peildatum)
left, right = st.columns(2)
left.metric("Gemeenten met een achtervangsignaal", f"{getal(summary['gemeenten'])} van {getal(summary['gemeenten_totaal'])}",
            help=f"Gemeenten waar minstens één van de {len(metrics.SIGNALS)} signalen afgaat (drempels: zie Over de cijfers).", border=True)
share = 100 * summary["ouders"] / summary["ouders_totaal"] if summary["ouders_totaal"] else None
right.metric("Aangemelde ouders in die gemeenten", getal(summary["ouders"]), border=True,
             help=f"{pct(share)} van alle aangemelde ouders woont in een gemeente met een achtervangsignaal.")
st.markdown(" · ".join(f"{signal_definitions()[s][0]}: **{getal(n)}** gemeenten" for s, n in summary["per_signaal"].items()))

st.subheader("Bron van deze cijfers")
files = metrics.loaded_files(ctx.con)
files = files[files["peildatum"].dt.date == ctx.peildatum]
st.markdown("\n".join(f"- `{r.bestandsnaam}`: {getal(r.rijen)} rijen, geladen op {datum(r.geladen_op.date())}"
                      for r in files.itertuples()))
st.caption(SOURCES)
