"""Overzicht: the landing page for a briefing. Where do we stand at the chosen peildatum?"""
import streamlit as st

from herstelmonitor import metrics
from herstelmonitor.format import datum, getal, pct
from herstelmonitor.queries import metric, signal_definitions
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

st.subheader("Achtervang")
summary = metrics.achtervang_summary(ctx.con, ctx.peildatum)
left, right = st.columns(2)
left.metric("Gemeenten met een achtervangsignaal", f"{getal(summary['gemeenten'])} van {getal(summary['gemeenten_totaal'])}",
            help="Gemeenten waar minstens één van de vier signalen afgaat (drempels: zie Over de cijfers).", border=True)
share = 100 * summary["ouders"] / summary["ouders_totaal"] if summary["ouders_totaal"] else None
right.metric(f"{metric('aangemeld').label} in gemeenten met een signaal", getal(summary["ouders"]), border=True,
             help=f"{pct(share)} van alle aangemelde ouders woont in een gemeente met een achtervangsignaal (geteld "
                  f"in de gemeente van inschrijving bij UHT). De pagina Achtervang telt iets anders: de "
                  f"{metric('ouders_gedeeld').label.lower()} in die gemeenten, {getal(summary['ouders_gedeeld'])}, "
                  "geteld in de gemeente die de ondersteuning geeft.")
st.markdown(" · ".join(f"{signal_definitions()[s][0]}: **{getal(n)}** gemeenten" for s, n in summary["per_signaal"].items()))

st.subheader("Bron van deze cijfers")
files = metrics.loaded_files(ctx.con)
files = files[files["peildatum"].dt.date == ctx.peildatum]
st.markdown("\n".join(f"- `{r.bestandsnaam}`: {getal(r.rijen)} rijen, geladen op {datum(r.geladen_op.date())}"
                      for r in files.itertuples()))
st.caption(SOURCES)
