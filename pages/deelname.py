"""Deelname gemeenten: which gemeenten take part, how far their support reaches, and the funnel per gemeente."""
import streamlit as st

from herstelmonitor import config, deelname as d, grafiek, metrics, privacy
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, getal, pct, signed
from herstelmonitor.queries import metric, signal_definitions
from herstelmonitor.tiles import tile_row
from herstelmonitor.toegankelijk import lijstweergave, toon_grafiek
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Deelname gemeenten")
st.title("Deelname gemeenten")
st.caption(f"Wie doet mee, en hoe ver reikt de ondersteuning? · peildatum **{datum(ctx.peildatum)}**")

reeks = d.history(ctx.con, ctx.peildata[0], ctx.peildatum)
gem = d.gemeenten(ctx.con, ctx.peildatum)
land = gem.national
landelijk = gem.groups[gem.groups["niveau"] == "landelijk"].iloc[0]
laag = config.achtervang_defaults()["laag_bereik_max_pct"]

st.header("Aansluiting")
nu, vorig = reeks.iloc[-1], reeks.iloc[-2] if len(reeks) > 1 else None
left, right = st.columns(2)
left.metric(metric("gemeenten_aangesloten").label, f"{getal(nu['gemeenten_aangesloten'])} van {getal(len(gem.table))}",
            delta=None if vorig is None else signed(nu["gemeenten_aangesloten"] - vorig["gemeenten_aangesloten"]) or "0",
            help=metric("gemeenten_aangesloten").definition, border=True)
right.metric(metric("ouders_in_aangesloten_gemeente_pct").label, pct(nu["ouders_in_aangesloten_gemeente_pct"]),
             delta=None if vorig is None else signed(nu["ouders_in_aangesloten_gemeente_pct"]
                                                     - vorig["ouders_in_aangesloten_gemeente_pct"], 1, " procentpunt") or "0",
             help=metric("ouders_in_aangesloten_gemeente_pct").definition, border=True)
toon_grafiek(left, grafiek.line_chart(reeks["gemeenten_aangesloten"], metric("gemeenten_aangesloten").label, "number"),
                  width="stretch")
toon_grafiek(right, grafiek.line_chart(reeks["ouders_in_aangesloten_gemeente_pct"],
                                      metric("ouders_in_aangesloten_gemeente_pct").label, "percentage"), width="stretch")

st.header("Bereik en tijd tot eerste contact")
tile_row(["bereik_pct", "doorlooptijd_contact_mediaan", "doorlooptijd_contact_p90"], reeks, per_row=3)
left, right = st.columns(2)
toon_grafiek(left, grafiek.line_chart(reeks["bereik_pct"], f"{metric('bereik_pct').label}, landelijk", "percentage",
                                     threshold=laag, threshold_label=f"signaalgrens {getal(laag)}%"), width="stretch")
toon_grafiek(right, grafiek.line_chart(reeks["doorlooptijd_contact_mediaan"],
                                      f"{metric('doorlooptijd_contact_mediaan').label}, landelijk", "days"), width="stretch")
prov = d.provincies(gem)
left, right = st.columns(2)
toon_grafiek(left, grafiek.provincie_chart(prov[prov["provincie"] != "Onbekend"], land["bereik_pct"], laag), width="stretch")
with right:
    st.markdown("**Per provincie**")
    rows = d.provincie_rows(prov, ctx)
    st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3)
    st.caption(f"{metric('bereik_pct').label} en {metric('doorlooptijd_contact_mediaan').label.lower()}, over alle "
               "ouders van de provincie samen (niet als gemiddelde van de gemeenten).")

st.header("Trechter en leefgebieden, landelijk")
left, right = st.columns(2)
toon_grafiek(left, grafiek.funnel_chart({**landelijk, **land}, "Van gedeelde gegevens tot afgeronde ondersteuning"), width="stretch")
toon_grafiek(right, grafiek.leefgebieden_chart({"Nederland": landelijk}, "Leefgebieden waarop ouders hulp nodig hebben"),
                   width="stretch")

st.header("Alle gemeenten")
table = gem.table
signals = signal_definitions()
with st.container(border=True):
    keuze = st.radio("Provincie", [d.ALLE_PROVINCIES, *sorted(table["provincie"].unique())], horizontal=True,
                     key="provincie")
    provincie = None if keuze == d.ALLE_PROVINCIES else keuze
    signaal = st.pills("Alleen gemeenten met een achtervangsignaal", [d.ALLE_SIGNALEN, *metrics.SIGNALS], key="signaal",
                       format_func=lambda s: "Elk signaal" if s == d.ALLE_SIGNALEN else signals[s][0],
                       help=f"{signals['laag_bereik'][0]}: "
                            + signals["laag_bereik"][1].format(**config.achtervang_defaults())
                            + " Alle definities staan op Over de cijfers.")
    c1, c2, c3 = st.columns(3)
    coropen = sorted(table.loc[table["provincie"] == provincie, "corop"].unique() if provincie
                     else table["corop"].unique())
    corop = c1.multiselect("COROP-regio", coropen, key="corop", placeholder="Alle regio's")
    klassen = c2.multiselect("Grootteklasse", range(len(d.GROOTTEKLASSEN)), key="klasse", placeholder="Alle groottes",
                             format_func=lambda k: d.GROOTTEKLASSEN[k][1], help=d.INWONERS_HELP)
    zoek = c3.text_input("Zoek gemeente", key="zoek", placeholder="Naam van de gemeente", icon=":material/search:")

gekozen = d.apply(table, d.Filters(provincie, [c for c in corop if c in coropen], list(klassen), signaal, zoek))
shown, cells, columns = d.getoond_voor(ctx.con, ctx.peildatum, ctx, gekozen)
st.markdown(f"**{getal(len(gekozen))}** van {getal(len(table))} gemeenten. Klik op een kolomkop om te "
            "sorteren; **Openen** toont de pagina van de gemeente. Met het toetsenbord of een schermlezer: "
            "open de lijst onder de tabel, daar is elke gemeente een link.")
st.dataframe(cells, column_config=columns, hide_index=True, width="stretch", height=520, key="gemeenten")
lijstweergave(cells.drop(columns="Pagina").assign(gemeentecode=shown["gemeentecode"].to_numpy()),
              "Alle gemeenten", "deelname_lijst", ctx.peildatum)
n = config.small_count_threshold()
st.caption(f"{privacy.uitleg()} Een percentage of mediaan over minder dan {n} ouders staat er als '-'. "
           "Ondersteuningscijfers tellen in de gemeente die de ondersteuning geeft.")
download_buttons(d.export_frame(shown), f"deelname-gemeenten-{ctx.peildatum.isoformat()}", key="gemeenten", lazy=True)
if not gem.onbekend.empty:
    st.caption(d.onbekend_text(gem.onbekend, ctx))
st.caption(SOURCES)
