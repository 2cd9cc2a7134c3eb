"""Extracten laden: the data team delivers extracts without shell access (role beheer only)."""
import streamlit as st

from herstelmonitor import paths, upload
from herstelmonitor.ingest import ACCEPTED, REFUSED
from herstelmonitor.ui import setup
from herstelmonitor.veilig import tekst

ctx = setup("Extracten laden", upload=True)
st.title("Extracten laden")
st.markdown(
    "Lever extracten aan als `aanmeldingen_JJJJ-MM-DD.csv`, `ondersteuning_JJJJ-MM-DD.csv` of "
    "`deelname_JJJJ-MM-DD.csv` (of `.parquet`). Elk bestand wordt precies zo gecontroleerd als bij "
    "`python -m herstelmonitor ingest`. Een bestand met een fout wordt in zijn geheel geweigerd en verandert "
    "niets: de eerder geladen gegevens blijven zoals ze waren. Een nieuwe versie van een al geladen bestand "
    "vervangt de oude."
)
with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("Extractbestanden", type=["csv", "parquet"], accept_multiple_files=True)
    kleiner = st.checkbox("Kleiner bestand is bedoeld", help="Een bestand met minder dan de helft van de rijen van "
                          "het bestand dat het vervangt (of van de vorige peildatum) wordt anders geweigerd.")
    submitted = st.form_submit_button("Controleren en laden", icon=":material/upload:")
if submitted and files:
    results = upload.receive([(f.name, f.getvalue()) for f in files], paths.database(), ctx.access.user,
                             vervang_kleiner=kleiner)
    # File names and messages come from the uploaded files: shown as text, never as Markdown.
    for r in results:
        name, lines = tekst(upload.short(r.name)), "\n".join(f"- {tekst(m)}" for m in r.messages)
        if r.outcome == REFUSED:
            st.error(f"**{name}**: geweigerd\n\n{lines}")
        elif r.outcome == ACCEPTED:
            st.success(f"**{name}**: geladen, {r.rows} rijen{' (vervangt de vorige versie)' if r.replaced else ''}"
                       + (f"\n\n{lines}" if lines else ""))
        else:
            st.info(f"**{name}**: dit bestand was al geladen; er is niets veranderd.")

st.subheader("Uploadlogboek")
st.dataframe(upload.read_log(paths.database()), hide_index=True, width="stretch")
