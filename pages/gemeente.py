"""Gemeente: one gemeente's support funnel over time, its parents' compensation, life domains and how it
compares with similar gemeenten. Shareable as /gemeente?gemeente=GM0599."""
import streamlit as st

from herstelmonitor import config, gemeente as g, grafiek, ondersteuning as o
from herstelmonitor.format import datum, figure
from herstelmonitor.queries import metric
from herstelmonitor.ui import SOURCES, carried_params, setup

ctx = setup("Gemeente")
lijst = g.gemeenten(ctx.con)
gevraagd = st.query_params.get("gemeente")
bekend = gevraagd in lijst.index
codes = list(lijst.index)
code = st.selectbox("Gemeente", codes, index=codes.index(gevraagd) if bekend else None,
                    format_func=lambda c: f"{lijst.at[c, 'gemeentenaam']} ({lijst.at[c, 'provincienaam']})",
                    placeholder="Kies of typ een gemeente", width=420)
st.page_link("pages/deelname.py", label="Alle gemeenten", icon=":material/arrow_back:", query_params=carried_params())
if code is None:
    if gevraagd:
        st.error(f"Gemeentecode **{gevraagd}** staat niet in de lijst van de 342 gemeenten van 2023. "
                 "Controleer de link, of kies hierboven een gemeente.", icon=":material/error:")
    else:
        st.info("Kies hierboven een gemeente.", icon=":material/location_city:")
    st.stop()
if code != gevraagd:
    st.query_params["gemeente"] = code

P = ctx.peildatum
profiel = g.profile(ctx.con, code, P)
reeks = g.history(ctx.con, code, ctx.peildata[: ctx.peildata.index(P) + 1])
nu = reeks.iloc[-1]
shown = g.protected_history(reeks, code, ctx)
laatst = shown.iloc[-1]

st.title(profiel["gemeentenaam"])
st.caption(" · ".join([code, *g.facts(profiel, int(profiel["klasse"]), P), f"peildatum **{datum(P)}**"]))

redenen = g.signal_reasons(ctx.con, code, P)
if redenen:
    st.warning("**Achtervang nodig.** " + "\n".join(f"\n- **{label}**: {why}" for label, why in redenen),
               icon=":material/emergency:")
else:
    st.success("Geen achtervangsignaal op deze peildatum.", icon=":material/check_circle:")

st.subheader("Ondersteuning door de gemeente")
tiles = [*o.FUNNEL, "bereik_pct", "doorlooptijd_contact_mediaan"]
for start in range(0, len(tiles), 5):
    for col, name in zip(st.columns(5), tiles[start:start + 5]):
        col.metric(metric(name).label, figure(name, laatst[name]), help=metric(name).definition, border=True)
left, right = st.columns(2)
left.plotly_chart(grafiek.line_chart(g.lines(shown, o.FUNNEL), "Trechter over de peildata", "count", height=380),
                  width="stretch")
right.plotly_chart(grafiek.funnel_chart(laatst, f"Trechter op {datum(P)}"), width="stretch")

st.subheader("Compensatie van de ouders in deze gemeente")
for start in range(0, len(o.COMPENSATIE), 3):
    for col, name in zip(st.columns(3), o.COMPENSATIE[start:start + 3]):
        col.metric(metric(name).label, figure(name, laatst[name]), help=metric(name).definition, border=True)
st.plotly_chart(grafiek.line_chart(g.lines(shown, g.COMPENSATIE_LIJNEN), "Compensatie over de peildata", "count",
                             height=340), width="stretch")

st.subheader("Vergelijking")
landelijk = o.history(ctx.con, ctx.peildata[0], P).iloc[-1]
v = g.comparison(ctx.con, code, P, nu, profiel, landelijk, ctx)
groepnaam = f"Vergelijkbare gemeenten ({len(v.groep_namen)})"
series = {profiel["gemeentenaam"]: v.gemeente, groepnaam: v.groep, "Nederland": v.land}
st.markdown(f"Vergelijkbare gemeenten: de {len(v.groep_namen)} gemeenten in {profiel['provincienaam']} met "
            f"{o.GROOTTEKLASSEN[int(profiel['klasse'])][1]}, deze gemeente meegeteld. Hun cijfers zijn berekend over "
            "al hun ouders samen.")
left, right = st.columns(2)
left.plotly_chart(grafiek.bar_chart(series, {c: metric(c).label for c in g.VERGELIJKING_PCT}, "Bereik en plan van aanpak",
                                    "percentage"),
                  width="stretch")
right.plotly_chart(grafiek.bar_chart(series, {c: metric(c).label for c in g.VERGELIJKING_DAGEN},
                                     "Tijd tot eerste contact", "days", "dagen"), width="stretch")
st.plotly_chart(grafiek.leefgebieden_chart(series, "Leefgebieden waarop ouders hulp nodig hebben"), width="stretch")
with st.expander("Welke gemeenten zijn vergelijkbaar?"):
    st.write(", ".join(v.groep_namen))
n = config.small_count_threshold()
st.caption(f"Aantallen onder {n} staan er als '<{n}'; een percentage of mediaan over minder dan {n} ouders als '-' "
           "(zo'n punt ontbreekt in de grafiek). Landelijke cijfers zijn exact. Ondersteuningscijfers tellen in de "
           "gemeente die de ondersteuning geeft, compensatiecijfers in de gemeente van inschrijving bij UHT.")
st.caption(SOURCES)
