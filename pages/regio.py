"""Regio's en centrumgemeenten: maps of the load, regions of a chosen division, and a transparent choice of
a centrumgemeente per region (score, what-if, the list for a coordinator's meeting). Logic: herstelmonitor.regio;
the map: herstelmonitor.kaart."""
import hashlib
import html
from functools import partial

import pandas as pd
import streamlit as st

from herstelmonitor import kaart, privacy, regio
from herstelmonitor.export import download_buttons, met_context
from herstelmonitor.format import datum, getal
from herstelmonitor.queries import metric, metrics as documented
from herstelmonitor.toegankelijk import kaart_samenvatting, lijstweergave
from herstelmonitor.ui import SOURCES, setup
from herstelmonitor.veilig import tekst

ctx = setup("Regio's en centrumgemeenten")
st.title("Regio's en centrumgemeenten")
st.caption(
    f"Peildatum **{datum(ctx.peildatum)}**. Een centrumgemeente levert kennis en capaciteit aan de andere "
    "gemeenten in haar regio, waar de taak kleiner en moeilijker te organiseren is. Deze pagina laat zien waar "
    "de last ligt en welke gemeente per regio daarvoor in aanmerking komt, met de redenen erbij."
)
keuzes_alle = st.session_state.setdefault("regio_keuzes", {})


def upload_verwerken(codes: frozenset[str]) -> None:
    """A new file in the uploader: use it when it is valid; otherwise keep everything as it was."""
    bestand = st.session_state.get("regio_upload")
    if bestand is None:
        return
    try:
        indeling = regio.lees_indeling(bestand.getvalue(), codes)
    except regio.IndelingFout as fout:
        st.session_state["regio_upload_fout"] = f"**{tekst(bestand.name)}**: {fout}"
        return
    sleutel = "eigen:" + hashlib.sha256(bestand.getvalue()).hexdigest()[:12]
    st.session_state["regio_eigen"] = {"naam": bestand.name, "sleutel": sleutel, "indeling": indeling}
    st.session_state["regio_indeling"] = "eigen"
    st.session_state.pop("regio_upload_fout", None)


def eigen_vergeten() -> None:
    st.session_state.pop("regio_eigen", None)
    st.session_state["regio_indeling"] = "provincie"


def kaart_klik(regio_van: dict[str, str]) -> None:
    """A click on the map selects the gemeente and opens its region below."""
    code = kaart.gekozen_gemeente(st.session_state.get("regio_kaart"))
    if code is None:
        st.session_state.pop("regio_gemeente", None)
        return
    st.session_state["regio_gemeente"] = code
    if regio_van.get(code, regio.GEEN_REGIO) != regio.GEEN_REGIO:
        st.session_state["regio_regio"] = regio_van[code]


basis = regio.gemeenten(ctx.con, ctx.peildatum)

# ---------------------------------------------------------------------------------------------------- indeling
st.header("Indeling in regio's")
eigen = st.session_state.get("regio_eigen")
opties = [i.sleutel for i in regio.INDELINGEN] + (["eigen"] if eigen else [])
if st.session_state.get("regio_indeling") not in opties:
    st.session_state["regio_indeling"] = "provincie"
namen = {i.sleutel: i.naam for i in regio.INDELINGEN} | (
    {"eigen": f"Eigen indeling ({tekst(eigen['naam'])})"} if eigen else {})
indeling = st.radio("Regio's volgens", opties, format_func=namen.get, horizontal=True, key="regio_indeling",
                    help="Bestaande indeling: de centrumgemeente uit het deelname-extract van VNG met de gemeenten "
                         "die zij bedient. Een eigen indeling (bijvoorbeeld arbeidsmarktregio of GGD-regio) laadt u "
                         "hieronder; die blijft alleen in deze sessie.")
with st.expander("Eigen indeling laden (CSV)", icon=":material/upload_file:",
                 expanded="regio_upload_fout" in st.session_state):
    st.markdown("Een CSV-bestand met een kopregel `gemeentecode,regio` en één regel per gemeente, bijvoorbeeld "
                "`GM0599,Rijnmond`. Scheidingsteken `,` of `;`. Gemeenten die niet in het bestand staan, vallen "
                "onder 'geen regio'. Het bestand blijft alleen in deze sessie; het wordt niet opgeslagen.")
    st.file_uploader("Indeling (CSV)", type=["csv"], key="regio_upload", on_change=upload_verwerken,
                     args=(frozenset(basis["gemeentecode"]),))
    if "regio_upload_fout" in st.session_state:
        st.error(st.session_state["regio_upload_fout"], icon=":material/error:")
    if eigen:
        st.button(f"Eigen indeling '{tekst(eigen['naam'])}' vergeten", on_click=eigen_vergeten, icon=":material/delete:")
sleutel = eigen["sleutel"] if indeling == "eigen" else indeling
keuzes = keuzes_alle.setdefault(sleutel, {})

# Widgets that change the figures, read before anything is computed.
with st.expander("Score voor centrumgemeenten: gewichten", icon=":material/tune:"):
    st.markdown("Elke gemeente krijgt per onderdeel 0 tot 1 punt, vergeleken met de beste gemeente in haar regio. "
                "De score is de gewogen som, omgerekend naar 0 tot 100. Zet een gewicht op 0 om het onderdeel niet "
                "mee te laten tellen.")
    standaard = regio.Gewichten()
    kolommen = st.columns(4)
    gewichten = regio.Gewichten(
        aandeel=kolommen[0].slider("Aandeel in de ouders van de regio", 0.0, 1.0, standaard.aandeel, 0.05, key="regio_w_aandeel"),
        bereik=kolommen[1].slider("Eigen bereik", 0.0, 1.0, standaard.bereik, 0.05, key="regio_w_bereik"),
        snelheid=kolommen[2].slider("Snelheid tot eerste contact", 0.0, 1.0, standaard.snelheid, 0.05, key="regio_w_snelheid"),
        aangesloten=kolommen[3].slider("Aangesloten", 0.0, 1.0, standaard.aangesloten, 0.05, key="regio_w_aangesloten"),
    )
    if not gewichten.geldig:
        st.warning("Alle gewichten staan op 0; de standaardgewichten worden gebruikt.", icon=":material/warning:")
        gewichten = standaard
# A threshold on a number of parents: at least 5 for a viewer who may not see small counts (privacy.floor).
KLEIN_MIN = privacy.floor(1, ctx)
if st.session_state.get("regio_klein", 50) < KLEIN_MIN:
    st.session_state["regio_klein"] = KLEIN_MIN
klein = st.session_state.get("regio_klein", 50)
met_signaal = st.toggle("Ook gemeenten voorstellen die zelf achtervang nodig hebben (met de reden in rood)",
                        key="regio_met_signaal",
                        help="Standaard wordt een gemeente waar een achtervangsignaal afgaat niet als centrumgemeente "
                             "voorgesteld: zij heeft zelf hulp nodig.")

per_gemeente, regios, t, kand, regiotabel = regio.doorgerekend(
    ctx.con, ctx.peildatum, indeling, eigen["indeling"] if indeling == "eigen" else None, ctx, gewichten, klein,
    met_signaal)
# What every download states besides its peildatum: the choices the figures were made with.
keuzes_tekst = regio.keuzes_tekst(namen[indeling], gewichten, met_signaal)
regio_opties = list(dict.fromkeys(kand["regio"]))
regionamen = dict(zip(kand["regio"], kand["regionaam"]))
if st.session_state.get("regio_regio") not in regio_opties and regio_opties:
    # Start with the region where most registered parents live.
    st.session_state["regio_regio"] = regios.loc[regios["regio"].isin(regio_opties)].sort_values(
        "regio_ouders", ascending=False, kind="stable")["regio"].iloc[0]
gekozen_regio = st.session_state.get("regio_regio")

# ---------------------------------------------------------------------------------------------------- kaart
st.header("Kaart")
maat = st.segmented_control("Kleur de gemeenten naar", list(regio.MATEN), format_func=regio.MATEN.get,
                            default="aangemeld", key="regio_maat") or "aangemeld"
klasse, schaal, toelichting = regio.kaart_klassen(t, maat)
kaartdata = t.assign(klasse=klasse)
tooltip = ("<b>{gemeentenaam}</b><br/>{regionaam}<br/>Aangemelde ouders: {t_ouders}<br/>"
           f"Per 1.000 huishoudens met kinderen: {{t_per_1000}}<br/>{regio.BEREIK}: {{t_bereik}}<br/>"
           f"{regio.MEDIAAN}: {{t_mediaan}}<br/>Aangesloten: {{t_aangesloten}}<br/>"
           "Achtervangsignaal: {t_signaal}")
links, rechts = st.columns([3, 1], gap="medium")
with links:
    deck = kaart.gemeente_kaart(
        # The tooltip is HTML: a region name from an uploaded file goes in escaped.
        kaartdata.assign(regionaam=kaartdata["regionaam"].map(html.escape))[
            ["gemeentecode", "klasse", "regionaam", "t_ouders", "t_per_1000", "t_bereik", "t_mediaan",
                   "t_aangesloten", "t_signaal"]], schaal, tooltip,
        geselecteerd=per_gemeente.loc[per_gemeente["regio"] == gekozen_regio, "gemeentecode"])
    st.pydeck_chart(deck, on_select=partial(kaart_klik, dict(zip(per_gemeente["gemeentecode"], per_gemeente["regio"]))),
                    selection_mode="single-object", key="regio_kaart", height=600,
                    alt=kaart_samenvatting(schaal, regio.MATEN[maat].lower()))
    st.caption(kaart_samenvatting(schaal, regio.MATEN[maat].lower()))
with rechts:
    kaart.toon_legenda(schaal, toelichting)
    st.caption(f"Dikke grijze lijnen: provinciegrenzen. Blauw omlijnd: de gekozen regio "
               f"({tekst(regionamen.get(gekozen_regio, ''))}). Klik op een gemeente om haar regio hieronder te openen.")
    code = st.session_state.get("regio_gemeente")
    if code in set(t["gemeentecode"]):
        g = t.set_index("gemeentecode").loc[code]
        rang = "" if pd.isna(g["rang"]) else f" · plaats {g['rang']} van {int((per_gemeente['regio'] == g['regio']).sum())} in de regio"
        st.markdown(f"**Geselecteerd: {g['gemeentenaam']}** · {tekst(g['regionaam'])}{rang}\n\n"
                    f"- Aangemelde ouders: {g['t_ouders']}\n- Per 1.000 huishoudens met kinderen: {g['t_per_1000']}\n"
                    f"- {regio.BEREIK}: {g['t_bereik']}\n- {regio.MEDIAAN}: {g['t_mediaan']}\n"
                    f"- Aangesloten: {g['t_aangesloten']}\n- Achtervangsignaal: {g['t_signaal']}")
lijstweergave(pd.DataFrame({
    "gemeentecode": kaartdata["gemeentecode"], "Gemeente": kaartdata["gemeentenaam"], "Regio": kaartdata["regionaam"],
    "Klasse op de kaart": kaartdata["klasse"], "Aangemelde ouders": kaartdata["t_ouders"],
    "Per 1.000 huishoudens met kinderen": kaartdata["t_per_1000"], regio.BEREIK: kaartdata["t_bereik"],
    regio.MEDIAAN: kaartdata["t_mediaan"], "Aangesloten": kaartdata["t_aangesloten"],
    "Achtervangsignaal": kaartdata["t_signaal"]}), "De kaart", "regio_lijst", ctx.peildatum)
st.caption("De kaart bewaren: met de schermafdruk van uw computer of via Afdrukken > Opslaan als PDF in de "
           "browser. De cijfers achter de kaart:")
download_buttons(met_context(regio.kaarttabel(kaartdata, maat), ctx.peildatum, keuzes_tekst), regio.bestandsnaam("kaart-gemeenten", maat, ctx.peildatum),
                 key="regio-kaart", excel=False, lazy=True)

# ---------------------------------------------------------------------------------------------------- regio's
st.header(f"Regio's: {namen[indeling].lower() if indeling != 'eigen' else namen[indeling]}")
st.number_input("Een gemeente telt als klein bij minder dan zoveel aangemelde ouders", min_value=KLEIN_MIN,
                max_value=100_000, value=50, step=5, key="regio_klein")
st.dataframe(regiotabel, hide_index=True, width="stretch")
download_buttons(met_context(regiotabel, ctx.peildatum, keuzes_tekst), regio.bestandsnaam("regios", sleutel, ctx.peildatum), key="regio-regios", excel=False, lazy=True)

# ---------------------------------------------------------------------------------------------------- kandidaten
st.header("Kandidaat-centrumgemeenten")
if not regio_opties:
    st.info("In deze indeling hoort geen enkele gemeente bij een regio.", icon=":material/info:")
    st.stop()
st.selectbox("Regio", regio_opties, format_func=regionamen.get, key="regio_regio")
gekozen_regio = st.session_state["regio_regio"]
uitleg = {m.name: m for m in documented("regio_gemeenten")}
st.markdown(
    f"**Score** (0 tot 100) = gewogen som van vier onderdelen, elk 0 tot 1 ten opzichte van de beste gemeente in "
    f"de regio. Gewichten nu: aandeel {getal(gewichten.aandeel, 2)}, bereik {getal(gewichten.bereik, 2)}, "
    f"snelheid {getal(gewichten.snelheid, 2)}, aangesloten {getal(gewichten.aangesloten, 2)} (aan te passen "
    "bij 'gewichten' hierboven).\n"
    + "\n".join(f"- **{uitleg[n].label}**: {uitleg[n].definition}" for n in
                ("punt_aandeel", "punt_bereik", "punt_snelheid", "punt_aangesloten")))
st.markdown("Het aandeel telt mee naar rato van het eigen bereik en de snelheid van de gemeente (punt aandeel maal "
            "het gemiddelde van punt bereik en punt snelheid): een grote gemeente die haar eigen ouders slecht bereikt, "
            "wint niet op omvang alleen. De kolommen 'zonder begrenzing' laten zien hoe de volgorde daardoor verandert.")
in_regio = kand[kand["regio"] == gekozen_regio]
voorgesteld = in_regio[in_regio["rang"].notna()]
kandtabel = regio.kandidatentabel(voorgesteld).drop(columns="Regio")
st.dataframe(kandtabel.style.map(lambda v: "color: #b00020; font-weight: bold" if v else "", subset=["Achtervang"]),
             hide_index=True, width="stretch")
for r in voorgesteld[voorgesteld["waarschuwing"] != ""].itertuples():
    st.markdown(f":red[**{r.gemeentenaam}** (plaats {r.rang}) {r.waarschuwing}.]")
niet = in_regio[in_regio["rang"].isna()]
if len(niet):
    st.caption("Niet voorgesteld, omdat zij zelf achtervang nodig hebben: "
               + "; ".join(f"{r.gemeentenaam} ({r.waarschuwing.removeprefix('heeft zelf achtervang nodig ').strip('()')})"
                           for r in niet.itertuples()) + ".")
download_buttons(met_context(kandtabel, ctx.peildatum, keuzes_tekst), regio.bestandsnaam("kandidaten", regionamen[gekozen_regio], ctx.peildatum), key="regio-kandidaten", excel=False, lazy=True)

# ---------------------------------------------------------------------------------------------------- wat als
st.header("Wat als: een centrumgemeente kiezen")
codes = list(in_regio["gemeentecode"])
huidig = regio.gekozen(kand, keuzes).get(gekozen_regio) or codes[0]
namen_gemeente = dict(zip(in_regio["gemeentecode"], in_regio["gemeentenaam"]))
plaats = dict(zip(in_regio["gemeentecode"], in_regio["rang"]))
centrum = st.selectbox(f"Centrumgemeente voor {regionamen[gekozen_regio]}", codes, index=codes.index(huidig),
                       format_func=lambda c: f"{namen_gemeente[c]} ("
                       + (f"plaats {plaats[c]}" if pd.notna(plaats[c]) else "geen kandidaat: achtervang nodig") + ")",
                       key=f"regio_wat_als::{sleutel}::{gekozen_regio}")
bediend, totaal = regio.wat_als(kand, gekozen_regio, centrum)
gekozen_rij = in_regio.set_index("gemeentecode").loc[centrum]
if gekozen_rij["waarschuwing"]:
    st.error(f"**{gekozen_rij['gemeentenaam']}** {gekozen_rij['waarschuwing']}. Een centrumgemeente moet kennis en "
             "capaciteit over hebben voor de andere gemeenten; kies bij voorkeur een gemeente zonder signaal.",
             icon=":material/warning:")
getoond = regio.tonen(pd.DataFrame([totaal])).iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric("Gemeenten die zij bedient", getal(totaal["gemeenten_bediend"]), border=True)
c2.metric(f"{metric('aangemeld').label} in die gemeenten", getoond["ouders_bediend"], border=True,
          help=f"Van de {getoond['regio_ouders']} aangemelde ouders in de regio; de ouders in de centrumgemeente zelf "
               "tellen niet mee.")
c3.metric("Van hen in een gemeente met achtervangsignaal", getoond["ouders_bediend_signaal"], border=True,
          help=f"In {getal(totaal['gemeenten_met_signaal'])} van de bediende gemeenten gaat nu minstens één signaal af.")
st.dataframe(regio.bediendtabel(bediend), hide_index=True, width="stretch")


def vastleggen(regiocode: str, code: str | None) -> None:
    if code is None:
        keuzes.pop(regiocode, None)
        st.session_state.pop(f"regio_wat_als::{sleutel}::{regiocode}", None)
    else:
        keuzes[regiocode] = code


b1, b2 = st.columns(2, width=620)
b1.button("In de keuzelijst zetten", icon=":material/playlist_add_check:", on_click=vastleggen,
          args=(gekozen_regio, centrum), disabled=centrum == huidig)
b2.button("Terug naar de topkandidaat", icon=":material/restart_alt:", on_click=vastleggen,
          args=(gekozen_regio, None), disabled=gekozen_regio not in keuzes)
st.caption(f"In de keuzelijst staat nu: **{namen_gemeente[huidig]}**"
           + (" (eigen keuze)" if gekozen_regio in keuzes else " (topkandidaat)") + ".")

# ---------------------------------------------------------------------------------------------------- keuzelijst
st.header("Keuzelijst voor het overleg")
st.markdown(f"Per regio de centrumgemeente: de topkandidaat, of de eigen keuze uit 'wat als'. "
            f"Indeling: **{namen[indeling]}**, peildatum **{datum(ctx.peildatum)}**.")
lijst = regio.keuzetabel(kand, keuzes)
st.dataframe(lijst.style.map(lambda v: "color: #b00020; font-weight: bold" if v else "", subset=["Achtervang"]),
             hide_index=True, width="stretch")
download_buttons(met_context(lijst, ctx.peildatum, keuzes_tekst), regio.bestandsnaam("keuzelijst-centrumgemeenten", sleutel, ctx.peildatum), key="regio-keuzelijst", lazy=True)
st.caption(SOURCES)
