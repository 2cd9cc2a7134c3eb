"""The shared setup every page starts with: page config, access, menu, peildatum chooser, sources.

Streamlit runs a page file directly when its URL is the first one visited, so each page (and
dashboard.py) calls `setup()` itself; nothing may rely on the entry file having run first.
"""
from dataclasses import dataclass
from datetime import date

import duckdb
import streamlit as st

from herstelmonitor import cache, metrics, paths, queries, toegankelijk, warm
from herstelmonitor.access import DEMO_ROLES, ROLE_LABELS, Access, access_for, load_roles
from herstelmonitor.format import datum
from herstelmonitor.paths import ROOT
from herstelmonitor.veilig import tekst

# (file, Dutch label, icon): the menu, in briefing order. A page appears once its file exists.
PAGES = (
    ("dashboard.py", "Overzicht", ":material/dashboard:"),
    ("pages/tempo.py", "Tempo compensatie", ":material/speed:"),
    ("pages/deelname.py", "Deelname gemeenten", ":material/groups:"),
    ("pages/gemeente.py", "Gemeente", ":material/location_city:"),
    ("pages/regio.py", "Regio's en centrumgemeenten", ":material/map:"),
    ("pages/achtervang.py", "Achtervang", ":material/emergency:"),
    ("pages/buiten_de_boot.py", "Buiten de boot", ":material/person_search:"),
    ("pages/ervaring.py", "Ervaring van ouders", ":material/sentiment_satisfied:"),
    ("pages/samenhang.py", "Samenhang compensatie en ondersteuning", ":material/link:"),
    ("pages/upload.py", "Extracten laden", ":material/upload_file:"),
    ("pages/over_de_cijfers.py", "Over de cijfers", ":material/info:"),
    ("pages/toegankelijkheid.py", "Toegankelijkheid", ":material/accessibility:"),
)
SOURCES = ("Bron cijfers: extracten van UHT (aanmeldingen) en VNG (ondersteuning, deelname). "
           "Bron kaarten en bevolking: CBS, PDOK (CC BY 4.0).")


@dataclass
class Context:
    """What a page needs after setup: a database cursor (read it with queries.run and the domain modules),
    the chosen peildatum, and the viewer's rights (see herstelmonitor.privacy: pass the context as the
    viewer to protect())."""
    con: duckdb.DuckDBPyConnection
    peildatum: date
    peildata: list[date]
    access: Access

    def exact_for(self, gemeentecode: str | None) -> bool:
        return self.access.exact_for(gemeentecode)

    @property
    def previous(self) -> date | None:
        i = self.peildata.index(self.peildatum)
        return self.peildata[i - 1] if i > 0 else None


def cursor() -> duckdb.DuckDBPyConnection | None:
    """A cursor on the current database file (the versioned file behind the link, see herstelmonitor.ingest),
    or None when no data has been loaded yet."""
    return cache.current(paths.database())


def refuse_stale(con: duckdb.DuckDBPyConnection, upload: bool) -> None:
    """Stop the page when the database was derived with other definitions than the code has now (a metric
    added or changed, a setting such as [bereik] weken changed): its figures would be wrong or missing."""
    stale = queries.stale(con)
    if not stale:
        return
    message = ("De database is gemaakt met andere definities van de cijfers dan dit dashboard gebruikt "
               f"(opnieuw af te leiden: {', '.join(stale)}). Laad de extracten opnieuw, dan worden alle "
               "peildata opnieuw berekend: `make ingest`, of `python -m herstelmonitor ingest <map met "
               "extracten> --db <database>`.")
    if upload:
        st.warning(message + " Of laad hieronder een extract: ook dat berekent alles opnieuw.")
        return
    st.error(message)
    st.stop()


def setup(title: str, upload: bool = False) -> Context:
    """Start a page: config, sign-in and role, menu, peildatum. `upload`: the page is for the data team."""
    # No page_icon: a Material icon as favicon is fetched from a font server, which a closed network blocks.
    st.set_page_config(page_title=f"{title} · Herstelmonitor", layout="wide")
    toegankelijk.install()  # lang="nl", Dutch built-in strings, focus, contrast, phone and print styles
    # Sidebar order: menu, peildatum, account; filled in the order the decisions are made.
    nav, period, account = st.sidebar.container(), st.sidebar.container(), st.sidebar.container()
    warm.start()  # once per process: warms the shared caches after every new load (herstelmonitor.warm)
    con = cursor()
    access = sign_in(con, account)
    if upload and not access.may_upload:
        menu(nav, access)
        st.error("Deze pagina is alleen voor het datateam: ingelogd met de rol beheer."
                 + (" In de demo (zonder inloggen) kan niemand extracten laden." if access.demo else ""))
        st.stop()
    if con is not None:
        refuse_stale(con, upload)
    available = metrics.peildata(con) if con is not None else []
    if not available and not upload:
        menu(nav, access)
        st.error("Er zijn nog geen gegevens geladen. Laad extracten met `python -m herstelmonitor ingest` "
                 "(of start het dashboard met `make run`, dat de voorbeeldgegevens klaarzet).")
        st.stop()
    peildatum = choose_peildatum(available, period) if available else None
    menu(nav, access)
    st.sidebar.caption(SOURCES)
    return Context(con, peildatum, available, access)


def menu(nav, access: Access) -> None:
    with nav:
        st.markdown("**Herstelmonitor**")  # not a heading: each page starts with its own h1
        for file, label, icon in PAGES:
            if (ROOT / file).exists() and (file != "pages/upload.py" or access.may_upload):
                st.page_link(file, label=label, icon=icon, query_params=carried_params())


def auth_configured() -> bool:
    """Sign-in is on when .streamlit/secrets.toml has an [auth] section (OpenID Connect)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in(con: duckdb.DuckDBPyConnection | None, where) -> Access:
    """The viewer's role, decided on the server. Stops the page when there is none."""
    if auth_configured():
        return signed_in_user(where)
    if con is not None and not only_sample_data(con):
        st.error("Het dashboard start niet. De database bevat extracten die geen voorbeeldgegevens zijn, "
                 "en inloggen is niet ingesteld. Echte gegevens over ouders zijn alleen te zien na inloggen: "
                 "stel de sectie [auth] in in `.streamlit/secrets.toml` (zie de README).")
        st.stop()
    return demo_user(where)


def only_sample_data(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(queries.run(con, "voorbeeld").iloc[0, 0])


def signed_in_user(where) -> Access:
    if not st.user.is_logged_in:
        st.title("Herstelmonitor")
        st.info("Log in met uw organisatieaccount om de cijfers te zien.")
        st.button("Inloggen", on_click=st.login, icon=":material/login:")
        st.stop()
    roles = load_roles()
    groups = st.user.get(roles.get("groepen_claim", "groups")) or []
    access = access_for(st.user.get("email"), list(groups) if isinstance(groups, (list, tuple)) else [groups], roles)
    if access is None:
        st.error(f"U bent ingelogd als {tekst(st.user.get('email') or 'onbekend')}, maar heeft geen rol in de "
                 "Herstelmonitor. Vraag toegang aan bij het datateam.")
        st.button("Uitloggen", on_click=st.logout)
        st.stop()
    where.caption(f"Ingelogd als {tekst(access.user)} · {access.label}" + (f" · {access.gemeente}" if access.gemeente else ""))
    where.button("Uitloggen", on_click=st.logout, icon=":material/logout:")
    return access


DEMO_GEMEENTE = "GM0599"


def demo_user(where) -> Access:
    """Without sign-in, on sample data only: a visible demo banner and a choice of role to view as."""
    with st.container(key="demo_banner"):  # left out when printing
        st.warning("**Demo**: voorbeeldgegevens, geen echte ouders. Inloggen is niet ingesteld.",
                   icon=":material/science:")
    roles = list(DEMO_ROLES)  # no beheer: uploading would replace the data every visitor sees
    current = st.session_state.get("demo_rol") or st.query_params.get("rol")
    current = current if current in roles else "landelijk"
    role = where.selectbox("Bekijk als (demo)", roles, index=roles.index(current),
                                format_func=lambda r: ROLE_LABELS[r] + (" Rotterdam" if r == "gemeente" else ""))
    st.session_state["demo_rol"] = role
    if role != "landelijk":
        st.query_params["rol"] = role  # a demo link shows the same view (?rol=coordinator)
    else:
        st.query_params.pop("rol", None)
    return Access(role, "demo", DEMO_GEMEENTE if role == "gemeente" else None, demo=True)


def carried_params() -> dict:
    """Query parameters that follow the user from page to page."""
    chosen = st.session_state.get("peildatum")
    carried = {"peildatum": chosen} if chosen else {}
    if not auth_configured() and st.session_state.get("demo_rol", "landelijk") != "landelijk":
        carried["rol"] = st.session_state["demo_rol"]
    return carried


def choose_peildatum(available: list[date], where) -> date:
    """Sidebar chooser, default the latest; kept in the URL (?peildatum=) and across pages."""
    options = list(reversed(available))
    wanted = st.query_params.get("peildatum") or st.session_state.get("peildatum")
    try:
        default = date.fromisoformat(wanted) if wanted else options[0]
    except ValueError:
        default = options[0]
    if default not in options:
        default = options[0]
    chosen = where.selectbox("Peildatum", options, index=options.index(default), format_func=datum,
                                  help="De datum die de extracten beschrijven. Standaard de laatste.")
    st.session_state["peildatum"] = chosen.isoformat()
    st.query_params["peildatum"] = chosen.isoformat()
    return chosen
