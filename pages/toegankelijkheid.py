"""Toegankelijkheidsverklaring: the standard, what was tested and how, and what is known not to meet it."""
import streamlit as st

from herstelmonitor.ui import SOURCES, setup

ctx = setup("Toegankelijkheid")
st.title("Toegankelijkheidsverklaring")
st.markdown(
    "De Herstelmonitor wil voor iedereen bruikbaar zijn: met muis of toetsenbord, met een schermlezer, op een "
    "telefoon en op papier. Overheidswebsites moeten voldoen aan **WCAG 2.1 niveau AA**, de norm die in Europa is "
    "vastgelegd als **EN 301 549** (Besluit digitale toegankelijkheid overheid). Deze verklaring zegt wat we "
    "hebben getest, hoe, en wat nog niet voldoet."
)
st.header("Status")
st.markdown("**Voldoet gedeeltelijk** aan WCAG 2.1 niveau AA. De bekende uitzonderingen staan hieronder.")
st.header("Wat is getest en hoe")
st.markdown(
    "- **Automatisch, bij elke wijziging** (in de testsuite): axe-core (via axe-playwright-python) in Chromium op "
    "elke pagina, voor elke rol van de demo (landelijk, coördinator, gemeente), op een breed scherm (1440 pixels) en een "
    "telefoonscherm (390 pixels), met alle regels van WCAG 2.0 en 2.1 niveau A en AA en de volgorde van koppen. "
    "Uitkomst: geen overtredingen. Nieuwe pagina's worden vanzelf meegetest.\n"
    "- **Kleurcontrast van tekst die axe niet ziet** (tabellen worden op een canvas getekend): berekend uit de "
    "kleuren van het thema, minstens 4,5:1.\n"
    "- **Met het toetsenbord**: de lijsten naast de kaarten en onder de tabel van alle gemeenten bestaan uit gewone "
    "links en knoppen. Een automatische toetsenbordtest (peildatum kiezen, gemeente openen, lijst sorteren) is "
    "geschreven maar nog niet in de testsuite opgenomen.\n"
    "- **Taal**: de pagina heeft `lang=\"nl\"`; de Engelse teksten van Streamlit en van de grafieken zijn vervangen "
    "door Nederlandse.\n"
    "- **Briefing**: de pdf past op één A4-pagina, bevat dezelfde cijfers als het Overzicht en wordt gemaakt zonder "
    "iets van buiten op te halen.\n"
    "- **Afdrukken**: menu, knoppen, filters en de demobalk worden niet afgedrukt."
)
st.header("Wat nog niet voldoet")
st.markdown(
    "- **Kaarten** zijn alleen met de muis te bedienen (WCAG 2.1.1). Naast elke kaart staat daarom een lijst met "
    "dezelfde klassen en cijfers, te sorteren met het toetsenbord, met een link naar elke gemeente, en een "
    "samenvatting in woorden.\n"
    "- **Tabellen** worden door Streamlit op een canvas getekend. Schermlezers lezen ze beperkt voor en de link "
    "'Openen' in een tabel werkt niet met Enter (WCAG 1.3.1, 2.1.1). Onder de tabel van alle gemeenten staat "
    "dezelfde inhoud als gewone tabel met links.\n"
    "- **Grafieken** hebben een korte beschrijving voor schermlezers, maar niet overal een volledige tekstuele "
    "samenvatting van het verloop (WCAG 1.1.1). De cijfers achter de meeste grafieken zijn te downloaden.\n"
    "- **De Engelse teksten van Streamlit** worden na het laden vervangen; heel even kan de Engelse tekst te zien "
    "zijn, en een nieuwe Streamlit-versie kan nieuwe Engelse teksten brengen (WCAG 3.1.2).\n"
    "- **De briefing (pdf)** is geen getagde pdf (PDF/UA): een schermlezer leest de tekst, maar niet de structuur "
    "van koppen en tabellen (WCAG 1.3.1). Dezelfde inhoud staat op het Overzicht.\n"
    "- **Axe vindt ongeveer een derde van alle mogelijke problemen.** Een test met mensen die een schermlezer of "
    "vergroting gebruiken is nog niet gedaan."
)
st.header("Contact")
st.markdown("Loopt u ergens tegenaan? Meld het bij het datateam van de Herstelmonitor; we antwoorden binnen vijf "
            "werkdagen.")
st.caption("Deze verklaring is opgesteld op 30 november 2026. " + SOURCES)
