"""Buiten de boot: every way a registered parent can be out of reach, as one funnel, with trend and the
gemeenten that hold most of each step. Logic: herstelmonitor.buiten_de_boot; figures: queries/buiten_de_boot.sql."""
import streamlit as st

from herstelmonitor import buiten_de_boot as b, privacy
from herstelmonitor.export import download_buttons, met_context
from herstelmonitor.format import datum, getal
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Buiten de boot")
P = ctx.peildatum
lijst = b.namen(ctx.con)
tabel = b.tabel(ctx.con, ctx.peildata[0], P)

st.title("Buiten de boot")
st.caption(f"Peildatum **{datum(P)}**. Elke aangemelde ouder telt één keer: bij de eerste stap waarop de ouder "
           "buiten bereik raakt, in de volgorde van de trechter. Wat overblijft is bereikt, of is pas kort geleden "
           "met de gemeente gedeeld.")
provincies = sorted(lijst["provincienaam"].unique())
provincie = st.selectbox("Provincie", provincies, index=None, placeholder="Heel Nederland", key="bdb_provincie",
                         help="Alle cijfers op deze pagina en in de downloads volgen deze keuze.")
filter_tekst = b.filter_tekst([provincie] if provincie else [])
land = b.zichtbaar(b.landelijk(b.selectie(tabel, lijst, provincie)), ctx, provincie)
stappen = b.stappen(land, P)
rij = stappen.set_index("stap")
gem = b.per_gemeente(tabel, P, lijst)
if provincie:
    gem = gem[gem["provincienaam"] == provincie]
shown = b.beschermd(gem, ctx)
waar = provincie or "Nederland"

# ------------------------------------------------------------------------------------------------ kern
st.header(f"Hoeveel ouders zijn buiten bereik? ({waar})")
buiten, aangemeld = rij.loc[b.BUITEN], land.loc[P, "bdb_aangemeld"]
k1, k2, k3 = st.columns(3)
k1.metric("Buiten bereik", b.aantal_tekst(buiten["aantal"]), delta=b.delta_tekst(buiten["verschil"]),
          delta_color="inverse", border=True, help=b.definitie(b.BUITEN) + " Verschil met de vorige peildatum.")
k2.metric("Van alle aangemelde ouders", b.pct_tekst(buiten["pct"]), border=True,
          help=f"{b.aantal_tekst(buiten['aantal'])} van de {b.aantal_tekst(aangemeld)} aangemelde ouders.")
k3.metric("Bereikt", b.aantal_tekst(rij.loc["bdb_bereikt", "aantal"]),
          delta=b.delta_tekst(rij.loc["bdb_bereikt", "verschil"]),
          border=True, help=b.definitie("bdb_bereikt"))
richting = b.richting(buiten["verschil"], "uit")
st.markdown(f"Sinds de vorige peildatum: **{richting}** ({b.verschil_tekst(buiten['verschil'])} ouders buiten bereik). "
            f"Verloop: {b.verloop_tekst(buiten)}.")
links, rechts = st.columns(2)
links.plotly_chart(b.trechter_grafiek(stappen, aangemeld, P), config={"displayModeBar": False})
rechts.plotly_chart(b.trend_grafiek(land, P), config={"displayModeBar": False})

st.table(b.stappen_tabel(stappen))
download_buttons(met_context(b.stappen_export(land, P), P, filter_tekst),
                 b.bestandsnaam("buiten-de-boot-trechter", provincie, P), key="bdb-trechter", lazy=True)

# ------------------------------------------------------------------------------------------------ per stap
st.header("Waar? De gemeenten met de meeste ouders per stap")
st.caption("Per stap de vijf gemeenten met de meeste ouders; een link opent de pagina van die gemeente.")
for stap in b.STAPPEN:
    if stap.soort == "binnen":
        continue
    r = rij.loc[stap.col]
    with st.container(border=True):
        st.subheader(stap.kort)
        oordeel = "" if stap.soort == "keuze" else f" (**{b.richting(r['verschil'], stap.soort)}**)"
        st.markdown(f"**{b.ouders(b.aantal_tekst(r['aantal']))}** ({b.pct_tekst(r['pct'])} van de aangemelde ouders); "
                    f"sinds de vorige peildatum {b.verschil_tekst(r['verschil'])}{oordeel}.  \n"
                    f"Verloop: {b.verloop_tekst(r)}.")
        st.caption(b.definitie(stap.col))
        regels = b.top_regels(gem, shown, stap.col)
        if not regels:
            st.markdown("Geen gemeente heeft ouders in deze stap." if stap.col != "bdb_geen_gemeente"
                        else "Deze ouders hebben geen bekende gemeente: zie 'Ouders zonder bekende woonplaats' hieronder.")
        for regel in regels:
            aandeel = f" ({b.pct_tekst(regel['pct'])} van haar aangemelde ouders)" if regel["pct"] is not None else ""
            st.page_link(b.GEMEENTE_PAGE, label=f"{regel['gemeentenaam']}: {regel['aantal']}{aandeel}",
                         icon=":material/location_city:",
                         query_params={"gemeente": regel["gemeentecode"], "peildatum": P.isoformat()})

# ------------------------------------------------------------------------------------------------ onbekend
st.header("Ouders zonder bekende woonplaats")
if provincie:
    st.markdown(f"Niet in de cijfers van {provincie}: hun woonplaats is niet bekend. Kies 'Heel Nederland' om ze te zien.")
else:
    o = b.onbekend_tekst(b.onbekend(tabel, P), ctx)
    st.markdown(f"**{o['bdb_aangemeld']}** aangemelde ouders hebben geen bekende woongemeente. Ze staan niet in de "
                "lijst van gemeenten, maar tellen mee in alle landelijke cijfers hierboven. Waar zij in de trechter staan:")
    st.markdown("\n".join(f"- {b.KORT[c]}: **{o[c]}**" for c in b.KOLOMMEN if o[c] != "0") or "- nergens")

# ------------------------------------------------------------------------------------------------ alle gemeenten
st.header("Alle gemeenten")
st.caption(f"Per gemeente de trechter op {datum(P)}{' in ' + provincie if provincie else ''}, de meeste ouders buiten "
           "bereik eerst. Ondersteuning telt in de gemeente die ondersteunt, anders in de gemeente van inschrijving.")
tabel_gemeenten = b.gemeenten_export(shown.loc[b.volgorde(gem, shown, b.BUITEN)])
st.dataframe(b.gemeenten_weergave(tabel_gemeenten), hide_index=True, width="stretch", height=420)
download_buttons(met_context(tabel_gemeenten, P, filter_tekst), b.bestandsnaam("buiten-de-boot-gemeenten", provincie, P),
                 key="bdb-gemeenten", lazy=True)
st.caption(f"De downloads vermelden de peildatum en het filter ({filter_tekst}). {privacy.uitleg()} " + SOURCES)
