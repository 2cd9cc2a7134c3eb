"""Tempo compensatie: how fast are parents helped, and when will everyone registered so far be helped?"""
import streamlit as st

from herstelmonitor import forecast, metrics, tempo
from herstelmonitor import tempo_grafieken as grafiek
from herstelmonitor.export import download_buttons
from herstelmonitor.format import datum, datum_kort, getal, metric_value
from herstelmonitor.queries import all_metrics
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
weergave = tempo.Weergave(ctx, gemeente)
events = tempo.events()

weekly = tempo.stromen(ctx.con, ctx.peildatum, "week", selectie)
if weekly.empty:
    st.info(f"Er zijn op deze peildatum geen aangemelde ouders in {selectie.naam}.", icon=":material/info:")
    st.stop()

# --- 1. The answer: when is everyone registered so far helped? ---------------------------------------------
st.subheader("Wanneer is iedereen geholpen?")
s1, s2, _ = st.columns([1.2, 1.2, 3])
doel = s1.date_input("Doeldatum", tempo.DEFAULT_DOEL, format="DD-MM-YYYY",
                     help="Standaard 31-12-2021: 'alle ouders die zich tot nu toe hebben aangemeld, zijn in 2021 gecompenseerd'.")
weken = s2.selectbox("Tempo van de laatste", tempo.WINDOWS, index=tempo.WINDOWS.index(tempo.DEFAULT_WINDOW),
                     format_func=lambda w: f"{w} weken")
stand = tempo.stand(weekly, ctx.peildatum, weken)
prognoses = forecast.prognoses(stand, doel)
st.markdown(tempo.samenvatting(stand, prognoses, doel, weken, weergave, selectie))

last = weekly.iloc[-1]
for col, (label, value, help_text) in zip(st.columns(5), [
    ("Wacht op eerste toets", weergave.aantal(stand.wachtend), "Aangemelde ouders zonder eerste toets op de peildatum."),
    ("Eerste toetsen per week", weergave.tempo(stand.tempo["eerste_toets"]).removesuffix(" per week"),
     f"Gemiddeld over de laatste {weken} weken."),
    ("Aanmeldingen per week", weergave.tempo(stand.tempo["aangemeld"]).removesuffix(" per week"),
     f"Nieuwe aanmeldingen, gemiddeld over de laatste {weken} weken."),
    ("Betalingen per week", weergave.tempo(stand.tempo["forfait"]).removesuffix(" per week"),
     f"Betalingen van € 30.000, gemiddeld over de laatste {weken} weken."),
    ("Over de wettelijke termijn", weergave.aantal(last["over_wettelijke_termijn"]),
     "Ouders die meer dan een jaar geleden zijn aangemeld en nog geen besluit hebben."),
]):
    col.metric(label, value, help=help_text, border=True)

progs_tabel = tempo.tabel_prognoses(prognoses, stand, weergave)
st.dataframe(progs_tabel, hide_index=True, width="stretch")
download_buttons(progs_tabel, f"prognose_{ctx.peildatum}", "prognose")
stap = st.radio("Grafiek voor", list(tempo.STAPPEN), format_func=tempo.STAPPEN.get, horizontal=True)
by_scenario = {p.scenario: p for p in prognoses if p.stap == stap}
reeks = grafiek.prognose_reeks(weekly, stand, stap, by_scenario, doel)
reeks_counts = [c for c in reeks.columns if c != "Datum"]
st.plotly_chart(grafiek.prognose(weergave.grafiek(reeks, reeks_counts, computed=True), stand, stap, by_scenario, doel, events),
                key="grafiek-prognose")
download_buttons(weergave.tabel(reeks.assign(Datum=reeks["Datum"].map(datum_kort)).round(0), tuple(reeks_counts)),
                 f"prognose_{stap}_{ctx.peildatum}", "prognose-reeks", excel=False)
st.caption(
    f"**Hoe de voorspelling werkt.** Het werk dat op de peildatum nog te doen is, wordt gedaan in het gemiddelde tempo van "
    f"de laatste {weken} weken. *{tempo.SCENARIOS['bevroren']}*: er komen geen ouders meer bij; dat is de vroegst "
    f"mogelijke datum. *{tempo.SCENARIOS['instroom']}*: nieuwe aanmeldingen "
    "komen in het recente tempo binnen en delen de capaciteit; de datum is wanneer de wachtrij leeg is, en uiterlijk "
    "dan is ook iedereen die nu is aangemeld geholpen. De band loopt van het tempo van een snelle week (90e percentiel) "
    "tot dat van een trage week (10e percentiel). Niet iedere ouder wordt erkend: voor betaling en integrale beoordeling "
    "telt het werk mee voor de erkende ouders die nog wachten plus de ouders zonder eerste toets maal het aandeel erkend "
    f"in de laatste {weken} weken ({getal(100 * (stand.erkenning or 0), 0)}%). Een datum verder dan tien jaar weg "
    "heet 'niet haalbaar bij dit tempo'.")

# --- 2. How far can the forecast be trusted? --------------------------------------------------------------
st.subheader("Hoe betrouwbaar is deze voorspelling?")
bt = tempo.backtest_cached(ctx.con, ctx.peildata, weken)
if bt.rows.empty:
    st.info("Er zijn nog te weinig extracten om de voorspelling achteraf te toetsen.", icon=":material/info:")
else:
    st.markdown(
        f"Dezelfde voorspelling, landelijk gemaakt op elke eerdere peildatum, vergeleken met wat het extract van "
        f"**{datum(bt.laatste)}** laat zien. Per horizon: hoeveel weken later (+) of eerder (−) het voorspelde aantal "
        "werkelijk werd bereikt. *Alleen wie nu is aangemeld* wordt getoetst op de ouders die op die peildatum waren "
        "aangemeld, *aanmeldingen gaan door* op alle ouders.")
    bt_tabel = tempo.tabel_backtest(bt.samenvatting)
    st.dataframe(bt_tabel, hide_index=True, width="stretch")
    download_buttons(bt_tabel, f"terugtoets_{bt.laatste}", "terugtoets", excel=False)
    st.plotly_chart(grafiek.backtest(bt.rows, stap), key="grafiek-terugtoets")
    download_buttons(tempo.tabel_backtest_reeks(bt.rows), f"terugtoets_prognoses_{bt.laatste}", "terugtoets-reeks",
                     excel=False)
    if ctx.peildatum < bt.laatste:
        st.markdown(f"**De landelijke voorspelling van {datum(ctx.peildatum)}, achteraf.** Wanneer had iedereen die "
                    "toen was aangemeld het echt (voor betaling en integrale beoordeling: iedereen die erkend werd)?")
        st.dataframe(tempo.tabel_achteraf(bt.voltooiing, ctx.peildatum), hide_index=True, width="stretch")

# --- 3. Flows and backlog ----------------------------------------------------------------------------------
flows = weekly if periode == "week" else tempo.stromen(ctx.con, ctx.peildatum, periode, selectie)
columns = tempo.TOTALEN if cumulatief else tempo.STROMEN
st.subheader("Stromen" + (" (cumulatief)" if cumulatief else f" per {periode}"))
st.plotly_chart(grafiek.stromen(weergave.grafiek(flows, list(columns)), periode, cumulatief, events), key="grafiek-stromen")
download_buttons(tempo.tabel_stromen(flows, periode, columns, weergave), f"stromen_{periode}_{ctx.peildatum}", "stromen",
                 excel=False)

st.subheader("Achterstand")
st.markdown("Aan het einde van elke periode: aangemelde ouders zonder eerste toets, erkende ouders van wie de "
            "integrale beoordeling nog niet klaar is (niet-erkende ouders hebben met de eerste toets hun besluit), "
            "en ouders die langer dan de wettelijke termijn van een jaar op een besluit wachten.")
st.plotly_chart(grafiek.achterstand(weergave.grafiek(flows, list(tempo.ACHTERSTAND)), periode, events),
                key="grafiek-achterstand")
download_buttons(tempo.tabel_stromen(flows, periode, tempo.ACHTERSTAND, weergave),
                 f"achterstand_{periode}_{ctx.peildatum}", "achterstand", excel=False)

# --- 4. Lead times -----------------------------------------------------------------------------------------
st.subheader("Doorlooptijden")
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
lt_shown = weergave.grafiek(lt, ["ouders", "doorlooptijd_cohort_mediaan", "doorlooptijd_cohort_p90"])
st.plotly_chart(grafiek.doorlooptijden(lt_shown), key="grafiek-doorlooptijden")
download_buttons(tempo.tabel_doorlooptijden(lt, weergave), f"doorlooptijden_{ctx.peildatum}", "doorlooptijden",
                 excel=False)
st.caption("Gebeurtenissen op de tijdas komen uit `data/events.csv`. Definities van alle cijfers: zie Over de cijfers. "
           + SOURCES)
