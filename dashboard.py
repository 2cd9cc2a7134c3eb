"""Overzicht: the landing page for a briefing. Where do we stand at the chosen peildatum?"""
import streamlit as st

from herstelmonitor import briefing, buiten_de_boot as bdb, ervaring, metrics, tempo
from herstelmonitor.format import dagen, datum, getal, pct
from herstelmonitor.queries import metric, signal_definitions
from herstelmonitor.tiles import tile_row
from herstelmonitor.ui import SOURCES, only_sample_data, setup

ctx = setup("Overzicht")
st.title("Herstelmonitor")
st.caption(f"Hersteloperatie kinderopvangtoeslag · overzicht op peildatum **{datum(ctx.peildatum)}**")
# Built only when clicked: one A4 page, made on the server (herstelmonitor.briefing).
st.download_button(
    "Briefing (pdf, één A4)", lambda: briefing.pdf(briefing.maak(ctx.con, ctx.peildata, ctx.peildatum, ctx.access,
                                                                 only_sample_data(ctx.con))),
    f"briefing-herstelmonitor-{ctx.peildatum.isoformat()}.pdf", "application/pdf", icon=":material/picture_as_pdf:",
    help="De vijf belangrijkste cijfers, de verandering sinds de vorige peildatum, de tijdlijn, de wettelijke "
         "termijn, de achtervang en de bron, op één A4-pagina.", key="briefing")

reeks = metrics.national(ctx.con, ctx.peildata[0], ctx.peildatum)

st.header("Compensatie door UHT")
tile_row(["aangemeld", "eerste_toets_afgerond", "erkend_gedupeerd", "forfait_betaald",
          "integrale_beoordeling_afgerond", "wachtend_op_eerste_toets", "doorlooptijd_eerste_toets_mediaan",
          "doorlooptijd_forfait_mediaan"], reeks)

blik = tempo.overzicht(ctx.con, ctx.peildatum)
if blik is not None:
    st.markdown("**Wanneer is iedereen die nu is aangemeld geholpen?** Verwachting met band; de uitleg en de "
                "staat van dienst van de voorspelling staan op de pagina Tempo compensatie.")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Eerste toets: iedereen klaar", tempo.iedereen_klaar(blik.voorspelling, "eerste_toets"), border=True,
              help="Verwachte periode waarin de laatste nu aangemelde ouder een eerste toets heeft (de band).")
    c2.metric("Integrale beoordeling: iedereen klaar", tempo.iedereen_klaar(blik.voorspelling, "integrale_beoordeling"),
              border=True, help="Iedere aangemelde ouder krijgt een integrale beoordeling, erkend of niet.")
    c3.metric("Over de wettelijke termijn", getal(blik.over_termijn), border=True,
              help="Ouders die meer dan een jaar geleden zijn aangemeld en nog geen besluit hebben.")
    c4.metric("Wachttijd eerste toets, laatste 26 weken", dagen(blik.wachttijd_recent), border=True,
              help=f"Mediaan voor de {getal(blik.wachttijd_recent_ouders)} ouders die in de laatste 26 weken hun "
                   f"eerste toets kregen. Over alle ouders: {dagen(blik.wachttijd_alle)}.")
    st.caption(f"Wachttijd tot de eerste toets: **{dagen(blik.wachttijd_recent)}** voor wie in het laatste half jaar "
               f"aan de beurt was, tegen **{dagen(blik.wachttijd_alle)}** over alle ouders sinds het begin.")

st.header("Brede ondersteuning door gemeenten")
tile_row(["gegevens_gedeeld", "in_contact", "bereik_pct", "hulp_afgewezen", "gemeenten_aangesloten",
          "doorlooptijd_contact_mediaan"], reeks, per_row=3)

st.header("Ervaring van ouders")
gemeten = ctx.peildatum in ervaring.measured(ctx.con)
if not gemeten:
    st.info("Geen meting: voor deze peildatum is geen oudervragenlijst (extract ervaring) geladen.",
            icon=":material/sentiment_neutral:")
else:
    ouders = ervaring.national(ctx.con, ctx.peildatum)
    definities = {m.name: m.definition for m in metrics.all_metrics().values()}
    a, b, c, e = st.columns(4)
    a.metric(metric("antwoorden").label, getal(ouders["antwoorden"]), border=True, help=definities["antwoorden"])
    b.metric("Voelt zich geholpen", ervaring.helped_line(ouders, gemeten), border=True,
             help=definities["geholpen_pct"] + " Daarnaast: " + definities["deels_pct"])
    c.metric("Rapportcijfer (gemiddeld)", ervaring.text(ouders["rapportcijfer_gem"], "ratio", ouders["antwoorden"], gemeten),
             border=True, help=definities["rapportcijfer_gem"])
    e.metric("Gemeenten: ouders niet geholpen", getal(ouders["gemeenten_niet_geholpen"]), border=True,
             help="Gemeenten waar het achtervangsignaal 'Ouders niet geholpen' afgaat (zie Over de cijfers).")
    st.page_link("pages/ervaring.py", label="Ervaring naast de procescijfers per gemeente",
                 icon=":material/scatter_plot:")

st.header("Achtervang")
summary = metrics.achtervang_summary(ctx.con, ctx.peildatum)
left, right = st.columns(2)
left.metric("Gemeenten met een achtervangsignaal", f"{getal(summary['gemeenten'])} van {getal(summary['gemeenten_totaal'])}",
            help=f"Gemeenten waar minstens één van de {len(metrics.SIGNALS)} signalen afgaat (drempels: zie Over de cijfers).", border=True)
share = 100 * summary["ouders"] / summary["ouders_totaal"] if summary["ouders_totaal"] else None
right.metric(f"{metric('aangemeld').label} in gemeenten met een signaal", getal(summary["ouders"]), border=True,
             help=f"{pct(share)} van alle aangemelde ouders woont in een gemeente met een achtervangsignaal (geteld "
                  f"in de gemeente van inschrijving bij UHT). De pagina Achtervang telt iets anders: de "
                  f"{metric('ouders_gedeeld').label.lower()} in die gemeenten, {getal(summary['ouders_gedeeld'])}, "
                  "geteld in de gemeente die de ondersteuning geeft.")
st.markdown(" · ".join(f"{signal_definitions()[s][0]}: **{getal(n)}** gemeenten" for s, n in summary["per_signaal"].items()))
st.page_link("pages/achtervang.py", label="Naar Achtervang: welke gemeenten, waarom en sinds wanneer",
             icon=":material/emergency:", query_params={"peildatum": ctx.peildatum.isoformat()})

st.header("Buiten de boot")
boot = bdb.overzicht(ctx.con, ctx.previous or ctx.peildatum, ctx.peildatum)
left, right = st.columns(2)
left.metric(metric(bdb.BUITEN).label, getal(boot["buiten"]), delta=bdb.delta_tekst(boot["verschil"]),
            delta_color="inverse", border=True, help=bdb.definitie(bdb.BUITEN) + " Verschil met de vorige peildatum.")
right.metric("Van alle aangemelde ouders", pct(boot["pct"]), border=True,
             help="Elke ouder telt één keer, bij de eerste stap waarop hij of zij buiten bereik raakt.")
st.markdown("Grootste stappen: " + " · ".join(f"{label}: **{getal(n)}**" for label, n in boot["grootste"]) + ".")
st.page_link("pages/buiten_de_boot.py", label="Naar Buiten de boot: hoeveel ouders, waar, en gaat het beter?",
             icon=":material/person_search:", query_params={"peildatum": ctx.peildatum.isoformat()})

st.header("Bron van deze cijfers")
files = metrics.loaded_files(ctx.con)
files = files[files["peildatum"].dt.date == ctx.peildatum]
st.markdown("\n".join(f"- `{r.bestandsnaam}`: {getal(r.rijen)} rijen, geladen op {datum(r.geladen_op.date())}"
                      for r in files.itertuples()))
st.caption(SOURCES)
