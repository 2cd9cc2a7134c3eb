"""Tempo compensatie: how fast are parents helped, and when will everyone registered so far be helped?"""
import streamlit as st

from herstelmonitor import metrics, prognose, tempo
from herstelmonitor import tempo_grafieken as grafiek
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, datum_kort, getal, metric_value
from herstelmonitor.queries import all_metrics
from herstelmonitor.toegankelijk import toon_grafiek
from herstelmonitor.ui import SOURCES, setup

ctx = setup("Tempo compensatie")
st.title("Tempo compensatie")
st.caption(f"Hoe snel krijgen ouders hun eerste toets, € 30.000 en integrale beoordeling, en wanneer is iedereen "
           f"geholpen? Peildatum **{datum(ctx.peildatum)}**; alle cijfers uit de extracten van die peildatum.")

gem = tempo.gemeenten(ctx.con)
namen = dict(zip(gem["gemeentecode"], gem["gemeentenaam"])) | {"onbekend": "Gemeente onbekend"}
f1, f2, f3, f4 = st.columns([2, 2, 1.2, 1.2], vertical_alignment="bottom")
provincie = f1.selectbox("Provincie", [None, *sorted(gem["provincienaam"].unique())],
                         format_func=lambda p: p or "Heel Nederland")
in_provincie = gem if provincie is None else gem[gem["provincienaam"] == provincie]
gemeente = f2.selectbox("Gemeente", [None, *in_provincie["gemeentecode"], *(["onbekend"] if provincie is None else [])],
                        format_func=lambda c: namen[c] if c else "Alle gemeenten")
periode = f3.radio("Per", ["week", "maand"], format_func=str.capitalize, horizontal=True)
cumulatief = f4.toggle("Cumulatief", help="Toon de totalen tot en met elke periode in plaats van de aantallen per periode.")
selectie = tempo.Selectie(provincie, gemeente, namen[gemeente] if gemeente else provincie or "heel Nederland")
weergave = tempo.Weergave(ctx, gemeente, provincie)
events = tempo.events()

# Everything below starts from the flows as this viewer may know them (rounded unless exact: privacy).
weekly = weergave.stromen(tempo.stromen(ctx.con, ctx.peildatum, "week", selectie))
if weekly.empty:
    st.info(f"Er zijn op deze peildatum geen aangemelde ouders in {selectie.naam}.", icon=":material/info:")
    st.stop()

# --- 1. The answer: when is everyone registered so far helped? ---------------------------------------------
st.header("Wanneer is iedereen geholpen?")
_, fouten = tempo.beste_venster(ctx.con)
with st.form("prognose-instellingen", border=False):
    s1, s2, s3 = st.columns([1.2, 1.2, 1], vertical_alignment="bottom")
    doel = s1.date_input("Doeldatum", tempo.standaard_doel(ctx.peildatum), format="DD-MM-YYYY",
                         help="Standaard het eerste jaareinde na de peildatum. Typ een datum en druk op Enter.")
    weken = s2.selectbox("Tempo gemeten over", tempo.WINDOWS, index=tempo.WINDOWS.index(tempo.DEFAULT_WINDOW),
                         format_func=lambda w: f"{w} weken" + (" (standaard)" if w == tempo.DEFAULT_WINDOW else ""))
    s3.form_submit_button("Toepassen")
rows = tempo.terugtoets_rijen(ctx.con, weken)
v = tempo.voorspelling(weekly, ctx.peildatum, weken, tempo.band_op(rows, ctx.peildatum))
st.markdown(tempo.samenvatting(v, doel, weergave, selectie, weekly.iloc[-1]))
waarschuwing = tempo.tempo_waarschuwing(weekly)
if waarschuwing:
    recent, longer = waarschuwing
    st.warning(f"Het tempo van de eerste toetsen is de laatste 4 weken sterk anders dan in de laatste 26 weken "
               f"({weergave.tempo(recent, 4)} tegen {weergave.tempo(longer, 26)}). De voorspelling volgt dat pas "
               "als het aanhoudt; lees de datums met extra voorzichtigheid.", icon=":material/warning:")
x, y = tempo.staat_van_dienst(rows, ctx.peildatum, "eerste_toets", "bevroren")
eigen = any(u.eigen_fouten for u in v.uitkomsten.values())
if y and eigen:
    st.markdown(f"**Staat van dienst:** in {x} van de {y} eerdere voorspellingen van de eerste toetsen lag de uitkomst "
                "binnen de band die toen werd gegeven.")
else:
    lo, hi = prognose.BREED
    st.markdown(f"**Brede band:** er zijn nog te weinig eerdere voorspellingen met een bekende uitkomst (minder dan "
                f"{prognose.MIN_FOUTEN}) om de band op te baseren. Daarom een brede band: het tempo tussen "
                f"{getal(lo, 2)} en {getal(hi)} keer het gemeten tempo. Het tempo van de eerste toetsen is in het "
                "verleden na één besluit vertienvoudigd (de Catshuisregeling) en ook ineens gedaald (medio 2021).")

last = weekly.iloc[-1]
for col, (label, value, help_text) in zip(st.columns(4), [
    ("Wacht op eerste toets", weergave.aantal(last["wacht_op_eerste_toets"]), "Aangemelde ouders zonder eerste toets op de peildatum."),
    ("Eerste toetsen per week",
     weergave.tempo(v.stand.tempo.get("eerste_toets"), v.stand.weken("eerste_toets")).removesuffix(" per week"),
     f"Gemiddeld over de laatste {v.stand.weken('eerste_toets')} weken."),
    ("Betalingen per week", weergave.tempo(v.stand.tempo.get("forfait"), v.stand.weken("forfait")).removesuffix(" per week"),
     f"Betalingen van € 30.000, gemiddeld over de laatste {v.stand.weken('forfait')} weken."),
    ("Over de wettelijke termijn", weergave.aantal(last["over_wettelijke_termijn"]),
     "Ouders die meer dan een jaar geleden zijn aangemeld en nog geen besluit hebben."),
]):
    col.metric(label, value, help=help_text, border=True)

progs_tabel = tempo.tabel_prognoses(v, doel, weergave)
st.dataframe(progs_tabel, hide_index=True, width="stretch")
download_buttons(progs_tabel, f"prognose_{ctx.peildatum}", "prognose")
stap = st.radio("Grafiek voor", list(tempo.STAPPEN), format_func=tempo.STAPPEN.get, horizontal=True)
reeks = grafiek.prognose_reeks(weekly, v, stap)
reeks_counts = [c for c in reeks.columns if c != "Datum"]
toon_grafiek(st, grafiek.prognose(weergave.grafiek(reeks, reeks_counts), v, stap, doel, events), key="grafiek-prognose")
download_buttons(weergave.tabel(reeks.assign(Datum=reeks["Datum"].map(datum_kort)).round(0), reeks_counts),
                 f"prognose_{stap}_{ctx.peildatum}", "prognose-reeks", excel=False)
waarom = (f"Standaard wordt het tempo gemeten over de laatste {tempo.DEFAULT_WINDOW} weken: met dat venster zat de "
          "voorspelling in de terugtoets het dichtst bij de werkelijkheid"
          + (f" (op de gepubliceerde landelijke cijfers na een half jaar meestal {getal(fouten[tempo.DEFAULT_WINDOW])}% "
             "van het werk ernaast; " + ", ".join(f"{w} weken: {getal(e)}%" for w, e in sorted(fouten.items())
                                                 if w != tempo.DEFAULT_WINDOW) + ")"
             if tempo.DEFAULT_WINDOW in fouten else "") + ".")
st.caption(
    "**Hoe de voorspelling werkt.** Elke week krijgt een vast deel van de ouders die nog wachten hun eerste toets "
    f"(betaling, integrale beoordeling): het deel dat de laatste {weken} weken lukte (of sinds het begin, als dat "
    f"korter is). Een lange wachtrij slinkt dus snel, de laatste ouders langzamer, maar nooit trager dan "
    f"{getal(100 * prognose.VLOER)}% van het huidige tempo. Nieuwe aanmeldingen gaan door in het tempo van de laatste "
    f"{prognose.INSTROOM_WEKEN} weken en nemen af zoals ze afnamen, nooit toe; na de sluitingsdatum komen er geen meer "
    "bij. Het aandeel erkend komt uit een langere periode (het dubbele venster, minstens een half jaar). De band komt "
    f"uit de eigen fouten van eerdere voorspellingen: zo ver als de grootste fout van de laatste {prognose.RECENT} "
    "voorspellingen waarvan de uitkomst bekend is, sneller of trager, plus "
    f"{getal(100 * (prognose.RUIMTE - 1))}%. Aan de bovenkant van de band blijven de aanmeldingen op het tempo van nu "
    "in plaats van af te nemen: meer werk kan alleen gedaan worden als er meer ouders zijn. Een datum verder "
    "dan een jaar weg geven we niet als datum, maar als 'later dan' met de band en het tempo dat de doeldatum vraagt. "
    + waarom)

# --- 2. How far can the forecast be trusted? --------------------------------------------------------------
st.header("Hoe betrouwbaar is deze voorspelling?")
gepubliceerd = tempo.terugtoets_rijen(ctx.con, weken, "gepubliceerd")
links, rechts = st.columns(2)
with links:
    st.markdown("**Op de geladen extracten.** Dezelfde voorspelling, landelijk gemaakt op elke eerdere peildatum, "
                "vergeleken met wat het laatste extract laat zien.")
    if rows.empty:
        st.info("Er zijn nog te weinig extracten om de voorspelling achteraf te toetsen.", icon=":material/info:")
    else:
        bt_tabel = tempo.tabel_terugtoets(rows)
        st.dataframe(bt_tabel, hide_index=True, width="stretch")
        download_buttons(bt_tabel, f"terugtoets_{ctx.peildatum}", "terugtoets", excel=False)
with rechts:
    st.markdown("**Op de gepubliceerde landelijke cijfers** (voortgangsrapportages en cijfers van UHT, 2020-2025): "
                "de voorspelling vanaf elke gepubliceerde datum, met alleen de cijfers tot die datum.")
    if gepubliceerd.empty:
        st.info("De terugtoets op de gepubliceerde cijfers is er niet.", icon=":material/info:")
    else:
        st.dataframe(tempo.tabel_terugtoets(gepubliceerd), hide_index=True, width="stretch")
st.caption("*Te vroeg*: de voorspelling dacht dat het sneller zou gaan dan het ging; *te laat*: het ging sneller. "
           "In weken van het tempo op het moment van voorspellen.")
if not rows.empty:
    toon_grafiek(st, grafiek.backtest(rows, stap), key="grafiek-terugtoets")

# --- 3. Flows and backlog ----------------------------------------------------------------------------------
flows = weekly if periode == "week" else weergave.stromen(tempo.stromen(ctx.con, ctx.peildatum, periode, selectie))
columns = tempo.TOTALEN if cumulatief else tempo.STROMEN
st.header("Stromen" + (" (cumulatief)" if cumulatief else f" per {periode}"))
toon_grafiek(st, grafiek.stromen(weergave.grafiek(flows), periode, cumulatief, events), key="grafiek-stromen")
download_buttons(tempo.tabel_stromen(flows, periode, columns, weergave), f"stromen_{periode}_{ctx.peildatum}", "stromen",
                 excel=False)

st.header("Achterstand")
st.markdown("Aan het einde van elke periode: aangemelde ouders zonder eerste toets, aangemelde ouders van wie de "
            "integrale beoordeling nog niet klaar is (iedere aangemelde ouder krijgt er een, erkend of niet), "
            "en ouders die langer dan de wettelijke termijn van een jaar op een besluit wachten.")
toon_grafiek(st, grafiek.achterstand(weergave.grafiek(flows), periode, events),
                key="grafiek-achterstand")
download_buttons(tempo.tabel_stromen(flows, periode, tempo.ACHTERSTAND, weergave),
                 f"achterstand_{periode}_{ctx.peildatum}", "achterstand", excel=False)

# --- 4. Lead times -----------------------------------------------------------------------------------------
st.header("Doorlooptijden")
if selectie == tempo.Selectie():
    spec = metrics.national(ctx.con, ctx.peildatum, ctx.peildatum).iloc[0]
    for col, name in zip(st.columns(4), ["doorlooptijd_eerste_toets_mediaan", "doorlooptijd_eerste_toets_p90",
                                         "doorlooptijd_forfait_mediaan", "doorlooptijd_forfait_p90"]):
        m = all_metrics()[name]
        col.metric(m.label, metric_value(m.kind, spec[name]), help=m.definition, border=True)
st.markdown(
    f"Per maand van aanmelding: na hoeveel dagen de helft (mediaan) en 90% van de ouders aan de beurt was. Wie nog "
    "wacht, telt mee met de dagen die hij tot nu toe wacht; een open bolletje betekent dat het cijfer nog kan "
    "oplopen (minstens). Zo is te zien of nieuwe ouders korter of langer wachten. "
    f"**{weergave.aantal(last['over_wettelijke_termijn'])}** ouders wachten langer dan de wettelijke termijn van een "
    "jaar op een besluit.")
lt = tempo.doorlooptijden(ctx.con, ctx.peildatum, selectie)
lt_shown = weergave.grafiek(lt)
toon_grafiek(st, grafiek.doorlooptijden(lt_shown), key="grafiek-doorlooptijden")
download_buttons(tempo.tabel_doorlooptijden(lt, weergave), f"doorlooptijden_{ctx.peildatum}", "doorlooptijden",
                 excel=False)
st.caption("Gebeurtenissen op de tijdas komen uit `data/events.csv`. Definities van alle cijfers: zie Over de cijfers. "
           + SOURCES)
