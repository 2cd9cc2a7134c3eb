"""The shared setup every page starts with: page config, access, menu, peildatum chooser, sources.

Streamlit runs a page file directly when its URL is the first one visited, so each page (and
dashboard.py) calls `setup()` itself; nothing may rely on the entry file having run first.
"""
from dataclasses import dataclass
from datetime import date

import duckdb
import streamlit as st

from herstelmonitor import db, metrics, paths
from herstelmonitor.format import datum
from herstelmonitor.paths import ROOT

# (file, Dutch label, icon): the menu, in briefing order. A page appears once its file exists.
PAGES = (
    ("dashboard.py", "Overzicht", ":material/dashboard:"),
    ("pages/tempo.py", "Tempo compensatie", ":material/speed:"),
    ("pages/deelname.py", "Deelname gemeenten", ":material/groups:"),
    ("pages/gemeente.py", "Gemeente", ":material/location_city:"),
    ("pages/regio.py", "Regio's en centrumgemeenten", ":material/map:"),
    ("pages/achtervang.py", "Achtervang", ":material/emergency:"),
    ("pages/upload.py", "Extracten laden", ":material/upload_file:"),
    ("pages/over_de_cijfers.py", "Over de cijfers", ":material/info:"),
)
SOURCES = ("Bron cijfers: extracten van UHT (aanmeldingen) en VNG (ondersteuning, deelname). "
           "Bron kaarten en bevolking: CBS, PDOK (CC BY 4.0).")


@dataclass
class Context:
    """What a page needs after setup: a database cursor, the chosen peildatum, and the viewer's rights
    (see herstelmonitor.privacy: pass the context as the viewer to protect())."""
    con: duckdb.DuckDBPyConnection
    peildatum: date
    peildata: list[date]
    exact_all: bool = False  # sees every gemeente's small counts exactly (programme team)

    def exact_for(self, gemeentecode: str | None) -> bool:
        return self.exact_all

    @property
    def previous(self) -> date | None:
        i = self.peildata.index(self.peildatum)
        return self.peildata[i - 1] if i > 0 else None


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(path: str, version: tuple) -> duckdb.DuckDBPyConnection:
    # version is part of the cache key: a newly ingested file (new inode) opens a new connection.
    return db.connect(path, read_only=True)


def cursor() -> duckdb.DuckDBPyConnection | None:
    """A cursor on the current database file, or None when no data has been loaded yet."""
    path = paths.database()
    version = db.version(path)
    return None if version is None else _open(str(path), version).cursor()


def setup(title: str) -> Context:
    st.set_page_config(page_title=f"{title} · Herstelmonitor", page_icon=":material/monitoring:", layout="wide")
    nav = st.sidebar.container()
    con = cursor()
    available = metrics.peildata(con) if con is not None else []
    if not available:
        menu(nav)
        st.error("Er zijn nog geen gegevens geladen. Laad extracten met `python -m herstelmonitor ingest` "
                 "(of start het dashboard met `make run`, dat de voorbeeldgegevens klaarzet).")
        st.stop()
    peildatum = choose_peildatum(available)
    menu(nav)
    st.sidebar.caption(SOURCES)
    return Context(con, peildatum, available)


def menu(nav) -> None:
    with nav:
        st.markdown("### Herstelmonitor")
        for file, label, icon in PAGES:
            if (ROOT / file).exists():
                st.page_link(file, label=label, icon=icon, query_params=carried_params())


def carried_params() -> dict:
    """Query parameters that follow the user from page to page."""
    chosen = st.session_state.get("peildatum")
    return {"peildatum": chosen} if chosen else {}


def choose_peildatum(available: list[date]) -> date:
    """Sidebar chooser, default the latest; kept in the URL (?peildatum=) and across pages."""
    options = list(reversed(available))
    wanted = st.query_params.get("peildatum") or st.session_state.get("peildatum")
    try:
        default = date.fromisoformat(wanted) if wanted else options[0]
    except ValueError:
        default = options[0]
    if default not in options:
        default = options[0]
    chosen = st.sidebar.selectbox("Peildatum", options, index=options.index(default), format_func=datum,
                                  help="De datum die de extracten beschrijven. Standaard de laatste.")
    st.session_state["peildatum"] = chosen.isoformat()
    st.query_params["peildatum"] = chosen.isoformat()
    return chosen
