"""Extracten laden: the data team delivers extracts without shell access (role beheer only)."""
import streamlit as st

from herstelmonitor import paths, upload
from herstelmonitor.ingest import ACCEPTED, REFUSED
from herstelmonitor.ui import setup

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
    submitted = st.form_submit_button("Controleren en laden", icon=":material/upload:")
if submitted and files:
    for r in upload.receive([(f.name, f.getvalue()) for f in files], paths.database(), ctx.access.user):
        if r.outcome == REFUSED:
            st.error(f"**{r.name}**: geweigerd\n\n" + "\n".join(f"- {m}" for m in r.messages))
        elif r.outcome == ACCEPTED:
            note = "\n\n" + "\n".join(f"- {m}" for m in r.messages) if r.messages else ""
            st.success(f"**{r.name}**: geladen, {r.rows} rijen{' (vervangt de vorige versie)' if r.replaced else ''}{note}")
        else:
            st.info(f"**{r.name}**: dit bestand was al geladen; er is niets veranderd.")

st.header("Uploadlogboek")
st.dataframe(upload.read_log(paths.database()), hide_index=True, width="stretch")
