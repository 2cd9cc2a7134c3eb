"""Gemeente: one gemeente's support funnel over time, its parents' compensation, life domains and how it
compares with similar gemeenten. Shareable as /gemeente?gemeente=GM0599."""
import streamlit as st

from herstelmonitor import config, deelname as d, ervaring as e, gemeente as g, grafiek, ondersteuning as o, privacy
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, figure, getal
from herstelmonitor.queries import metric
from herstelmonitor.toegankelijk import toon_grafiek
from herstelmonitor.ui import SOURCES, carried_params, setup
from herstelmonitor.veilig import tekst

ctx = setup("Gemeente")
lijst = g.gemeenten(ctx.con)
# A gemeente user opens on their own gemeente; a shared link (?gemeente=) opens the one it names.
eigen = ctx.access.gemeente if ctx.access.role == "gemeente" else None
gevraagd = st.query_params.get("gemeente") or eigen
bekend = gevraagd in lijst.index
codes = list(lijst.index)
code = st.selectbox("Gemeente", codes, index=codes.index(gevraagd) if bekend else None,
                    format_func=lambda c: f"{lijst.at[c, 'gemeentenaam']} ({lijst.at[c, 'provincienaam']})",
                    placeholder="Kies of typ een gemeente", width=420)
st.page_link("pages/deelname.py", label="Alle gemeenten", icon=":material/arrow_back:", query_params=carried_params())
if code is None:
    if gevraagd:
        st.error(f"Gemeentecode **{tekst(gevraagd)}** staat niet in de lijst van de 342 gemeenten van 2023. "
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

redenen = g.signal_sentences(ctx.con, code, ctx.peildata, P, ctx)
if redenen:
    st.warning("**Achtervang nodig.**\n" + "\n".join(f"- **{label}** ({sinds}): {zin}" for label, sinds, zin in redenen),
               icon=":material/emergency:")
else:
    st.success("Geen achtervangsignaal op deze peildatum.", icon=":material/check_circle:")

st.header("Ondersteuning door de gemeente")
tiles = [*o.FUNNEL, "bereik_pct", "doorlooptijd_contact_mediaan"]
for start in range(0, len(tiles), 5):
    for col, name in zip(st.columns(5), tiles[start:start + 5]):
        col.metric(metric(name).label, figure(name, laatst[name]), help=metric(name).definition, border=True)
left, right = st.columns(2)
toon_grafiek(left, grafiek.line_chart(g.lines(shown, o.FUNNEL), "Trechter over de peildata", "count", height=380),
                  width="stretch")
toon_grafiek(right, grafiek.funnel_chart(laatst, f"Trechter op {datum(P)}"), width="stretch")

st.header("Compensatie van de ouders in deze gemeente")
for start in range(0, len(o.COMPENSATIE), 3):
    for col, name in zip(st.columns(3), o.COMPENSATIE[start:start + 3]):
        col.metric(metric(name).label, figure(name, laatst[name]), help=metric(name).definition, border=True)
toon_grafiek(st, grafiek.line_chart(g.lines(shown, g.COMPENSATIE_LIJNEN), "Compensatie over de peildata", "count",
                             height=340), width="stretch")

st.header("Ervaring van ouders")
gemeten = P in e.measured(ctx.con)
peers = e.peer_rows(ctx.con, code, P, int(profiel["klasse"]), profiel["provincienaam"], ctx) if gemeten else {}
if not gemeten:
    st.info("Geen meting: voor deze peildatum is geen oudervragenlijst (extract ervaring) geladen.",
            icon=":material/sentiment_neutral:")
else:
    eigen = peers["gemeente"]
    a, b, c = st.columns(3)
    a.metric(metric("antwoorden").label, figure("antwoorden", laatst["antwoorden"]), border=True, help=metric("antwoorden").definition)
    b.metric(metric("geholpen_pct").label, e.helped_line(eigen, True), border=True, help=metric("geholpen_pct").definition)
    c.metric(metric("rapportcijfer_gem").label, e.text(eigen.get("rapportcijfer_gem"), "ratio", eigen["antwoorden"], True),
             border=True, help=metric("rapportcijfer_gem").definition)
trend = e.gemeente_trend(ctx.con, code, reeks.index.tolist(), ctx)
left, right = st.columns(2)
toon_grafiek(left, grafiek.line_chart(trend, "Voelt zich geholpen over de peildata (% van de antwoorden)", "percentage"),
                  width="stretch")
if peers:
    groep = f"Vergelijkbare gemeenten in {profiel['provincienaam']}"
    toon_grafiek(right, grafiek.bar_chart({profiel["gemeentenaam"]: e.bar_values(peers["gemeente"]),
                                    groep: e.bar_values(peers["groep"]), "Nederland": e.bar_values(peers["land"])},
                                   {c: metric(c).label for c in e.SHARES}, "Ervaring naast vergelijkbare gemeenten",
                                   "percentage"),
                       width="stretch")
st.caption(f"Antwoorden van de {getal(e.weken())} weken tot de peildatum; met minder dan {e.min_answers()} "
           f"antwoorden staat er '{e.TE_WEINIG}'. Een onderbroken lijn: geen meting of te weinig antwoorden.")

st.header("Vergelijking")
landelijk = o.history(ctx.con, ctx.peildata[0], P).iloc[-1]
v = g.comparison(ctx.con, code, P, nu, profiel, landelijk, ctx)
groepnaam = f"Vergelijkbare gemeenten ({len(v.groep_namen)})"
series = {profiel["gemeentenaam"]: v.gemeente, groepnaam: v.groep, "Nederland": v.land}
st.markdown(f"Vergelijkbare gemeenten: de {len(v.groep_namen)} gemeenten in {profiel['provincienaam']} met "
            f"{o.GROOTTEKLASSEN[int(profiel['klasse'])][1]}, deze gemeente meegeteld. Hun cijfers zijn berekend over "
            "al hun ouders samen.")
left, right = st.columns(2)
toon_grafiek(left, grafiek.bar_chart(series, {c: metric(c).label for c in g.VERGELIJKING_PCT}, "Bereik en plan van aanpak",
                                    "percentage"),
                  width="stretch")
toon_grafiek(right, grafiek.bar_chart(series, {c: metric(c).label for c in g.VERGELIJKING_DAGEN},
                                     "Tijd tot eerste contact", "days", "dagen"), width="stretch")
toon_grafiek(st, grafiek.leefgebieden_chart(series, "Leefgebieden waarop ouders hulp nodig hebben"), width="stretch")
with st.expander("Welke gemeenten zijn vergelijkbaar?"):
    st.write(", ".join(v.groep_namen))

st.subheader("Naast elkaar: deze gemeente en elke vergelijkbare gemeente")
alle = d.gemeenten(ctx.con, P).table
standaard = g.vergelijkbaar(alle, code)
eigen_groep = g.groep_uit_link(st.query_params.get("vergelijk"), alle.index)
soort = st.radio("Vergelijk met", ["vergelijkbaar", "eigen"], horizontal=True, key="gemeente_groep_soort",
                 index=1 if eigen_groep else 0,
                 format_func={"vergelijkbaar": "Gemeenten in dezelfde provincie en grootteklasse",
                              "eigen": "Een eigen vergelijkingsgroep"}.get)
if soort == "eigen":
    gekozen = st.multiselect("Eigen vergelijkingsgroep", [c for c in codes if c != code], default=[c for c in eigen_groep if c != code],
                             format_func=lambda c: f"{lijst.at[c, 'gemeentenaam']} ({lijst.at[c, 'provincienaam']})",
                             placeholder="Kies gemeenten", key=f"gemeente_groep::{code}")
    st.query_params["vergelijk"] = ",".join(gekozen)
    groep, groepnaam = gekozen, "eigen vergelijkingsgroep"
    if gekozen:
        st.markdown(f"Deze vergelijking delen: `{g.deel_link(code, P, gekozen)}`")
else:
    st.query_params.pop("vergelijk", None)
    groep, groepnaam = standaard, f"gemeenten in {profiel['provincienaam']} met {o.GROOTTEKLASSEN[int(profiel['klasse'])][1]}"
maat = st.selectbox("Rangschik op", g.RANG_MATEN, format_func=lambda c: metric(c).label, key="gemeente_rang_maat")
naast = g.naast_elkaar(alle, groep, code, ctx, maat)
st.markdown(g.eigen_rang_tekst(naast, code, maat) + f" Groep: {groepnaam} ({len(naast)} gemeenten, deze meegeteld).")
st.dataframe(naast.drop(columns="Gemeentecode"), hide_index=True, width="stretch")
download_buttons(g.naast_export(naast, P, groepnaam, maat), f"vergelijking-{code}-{P.isoformat()}", key="gemeente-naast",
                 lazy=True)
n = config.small_count_threshold()
st.caption(f"{privacy.uitleg()} Een percentage of mediaan over minder dan {n} ouders staat er als '-' "
           "(zo'n punt ontbreekt in de grafiek). Ondersteuningscijfers tellen in de "
           "gemeente die de ondersteuning geeft, compensatiecijfers in de gemeente van inschrijving bij UHT.")
st.caption(SOURCES)
