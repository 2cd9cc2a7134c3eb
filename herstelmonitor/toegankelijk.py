"""Accessibility and Dutch for every page: the CSS and the small script that herstelmonitor.ui.setup() adds.

Streamlit serves its own index.html (`lang="en"`) and draws some English strings of its own. What Streamlit
allows through options is set in .streamlit/config.toml; the rest is done here, once per browser tab:
- `lang="nl"` on the document;
- Streamlit's and plotly's built-in English labels replaced by Dutch ones (text, aria-label, title);
- a visible focus style, distinct from the mark of the current page in the menu;
- captions and notes in a colour with at least 4.5:1 contrast;
- on a phone: the menu closed after choosing a page, chart toolbars out of the way of titles;
- print: no sidebar, widgets, banner or toolbars, tiles not at the edge.
Every page inherits all of it by calling setup(); new pages need nothing of their own.
"""
import json
import textwrap

import streamlit as st

# Colours, in one place (checked for contrast in tests/test_toegankelijk.py).
WIT = "#ffffff"
ZIJBALK = "#f0f2f6"      # sidebar background (Streamlit's secondaryBackgroundColor)
TEKST = "#1f1f1f"
GEDEMPT = "#545454"      # captions, notes: 7.5:1 on white, 6.8:1 on the sidebar
FOCUS = "#b3261e"        # focus ring: a dark red, 6.5:1 on white, never used for the current page
HUIDIG = "#154273"       # mark of the current page in the menu: rijksblauw bar and bold text

# Streamlit's and plotly's own English strings, and their Dutch replacement. Matched on the whole
# (trimmed) text of a text node or of an aria-label / title / placeholder / data-title attribute.
VERTALING = {
    "Skip to main content": "Naar de inhoud",
    "Select all": "Alles kiezen",
    "No results": "Geen resultaten",
    "No options to select": "Geen keuzes",
    "No options to select.": "Geen keuzes.",
    "Choose an option": "Maak een keuze",
    "Choose options": "Maak een keuze",
    "Clear all": "Alles wissen",
    "Clear value": "Keuze wissen",
    "Open": "Openen",
    "Close": "Sluiten",
    "Upload": "Uploaden",
    "Browse files": "Bestanden kiezen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Limit 200MB per file • CSV, PARQUET": "Maximaal 200 MB per bestand • CSV, PARQUET",
    "Download as CSV": "Downloaden als CSV",
    "Download": "Downloaden",
    "Search": "Zoeken",
    "Fullscreen": "Volledig scherm",
    "View fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Exit fullscreen": "Volledig scherm sluiten",
    "Print": "Afdrukken",
    "Running...": "Bezig...",
    "Show password text": "Wachtwoord tonen",
    "Collapse sidebar": "Menu sluiten",
    "Expand sidebar": "Menu openen",
    "Show help": "Uitleg",
    "Copy to clipboard": "Kopiëren",
    "Download plot as a PNG": "Grafiek downloaden als afbeelding (PNG)",
    "Download plot as a png": "Grafiek downloaden als afbeelding (PNG)",
    "Download plot": "Grafiek downloaden",
    "Reset axes": "Assen herstellen",
    "Autoscale": "Automatisch schalen",
    "Zoom": "Zoomen",
    "Pan": "Verschuiven",
    "Zoom in": "Inzoomen",
    "Zoom out": "Uitzoomen",
    "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
    "Main menu": "Hoofdmenu",
    "Link to heading": "Link naar deze kop",
    "Sidebar": "Menu",
    "Vega visualization": "Grafiek",
}
# Labels that start with an English phrase followed by a Dutch name ("Help for Peildatum").
VOORVOEGSELS = {"Help for ": "Uitleg bij "}

# Plotly's toolbar: only the image download (with source and peildatum in the figure), in Dutch.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "herstelmonitor-grafiek"},
}

CSS = f"""
<style>
[data-testid="stMain"] h2 {{ font-size: 1.6rem; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{ color: {GEDEMPT} !important; }}
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] * {{ color: {GEDEMPT} !important; }}
[data-testid="stMetricDeltaDescription"] {{ opacity: 1 !important; }}
/* A long value ("03-03-2024 – later dan ...") wraps instead of ending in an ellipsis. */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere; }}
/* Focus: a thick dark-red ring, never the same as the mark of the current page. */
a:focus-visible, button:focus-visible, [role="button"]:focus-visible, [role="tab"]:focus-visible,
[role="option"]:focus-visible, [role="radio"]:focus-visible, [role="checkbox"]:focus-visible,
[tabindex]:focus-visible, summary:focus-visible, input:focus-visible, textarea:focus-visible,
[data-baseweb="select"]:focus-within, [data-baseweb="input"]:focus-within {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px !important; box-shadow: none !important; }}
[data-testid="stSidebarNav"] a[aria-current="page"], [data-testid="stPageLink"] a[aria-current="page"],
[data-testid="stPageLink-NavLink"][aria-current="page"] {{
  border-left: 4px solid {HUIDIG}; font-weight: 700; background: transparent !important; }}
[data-testid="stPageLink-NavLink"][aria-current="page"] * {{ font-weight: 700; color: {HUIDIG} !important; }}
/* Plotly: only the image download; its toolbar below the title instead of over it. */
.modebar-container {{ top: auto !important; bottom: 0 !important; }}
.modebar-btn--logo {{ display: none !important; }}
@media (max-width: 640px) {{
  [data-testid="stElementToolbar"] {{ display: none !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem !important; padding-right: 0.75rem !important; }}
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
  [data-testid="stMetricValue"] {{ font-size: 1.9rem; }}
  /* Static tables wrap instead of scrolling sideways (a region a keyboard cannot scroll, and half hidden). */
  [data-testid="stTableStyledTable"] {{ font-size: 0.78rem; }}
  [data-testid="stTableStyledTable"] th, [data-testid="stTableStyledTable"] td {{
    white-space: normal !important; overflow-wrap: anywhere; padding: 0.25rem 0.2rem !important; }}
}}
@media print {{
  @page {{ size: A4; margin: 15mm; }}
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stElementToolbar"], .modebar-container,
  [data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"] svg,
  .stSelectbox, .stMultiSelect, .stRadio, .stTextInput, .stButton, .stDownloadButton, .stPills,
  .stFileUploader, .stSlider, .stNumberInput, .stCheckbox, .stToggle, .stSegmentedControl, .stForm,
  .st-key-demo_banner, .st-key-hm_extra, .st-key-geen_afdruk {{ display: none !important; }}
  [data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"] {{
    margin: 0 !important; padding: 0 !important; max-width: 100% !important; overflow: visible !important; }}
  [data-testid="stMetric"] {{ break-inside: avoid; padding: 0.4rem !important; }}
  .stPlotlyChart, [data-testid="stDataFrame"] {{ break-inside: avoid; }}
}}
</style>
"""

SCRIPT = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__herstelmonitorA11y) return;
  win.__herstelmonitorA11y = true;
  const NL = __VERTALING__;
  const PREFIX = __VOORVOEGSELS__;
  const ATTRS = ["aria-label", "title", "placeholder", "data-title", "aria-placeholder"];
  // Write only what changes: writing a node's own value again is a mutation too, and the observer below
  // would answer it for ever (the uploader's "200MB per file" froze every page with an uploader).
  const fixText = (n) => {
    const t = n.nodeValue.trim();
    if (!t || t.length > 60) return;
    const nl = Object.hasOwn(NL, t) ? n.nodeValue.replace(t, NL[t])
      : n.nodeValue.replace(/(?:Limit )?(\\d+)MB per file/, "Maximaal $1 MB per bestand");
    if (nl !== n.nodeValue) n.nodeValue = nl;
  };
  const fixAttrs = (el) => {
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      let nl = Object.hasOwn(NL, v.trim()) ? NL[v.trim()] : v;
      for (const [en, nlPrefix] of Object.entries(PREFIX)) if (nl.startsWith(en)) nl = nlPrefix + nl.slice(en.length);
      if (nl !== v) el.setAttribute(a, nl);
    }
  };
  const fixTree = (root) => {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    fixAttrs(root);
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixText(n);
    for (const el of root.querySelectorAll("[" + ATTRS.join("],[") + "]")) fixAttrs(el);
  };
  const SKIP = ".js-plotly-plot .main-svg, [data-testid='stDeckGlJsonChart'], canvas";
  const observer = new MutationObserver((records) => {
    if (doc.documentElement.lang !== "nl") doc.documentElement.lang = "nl";
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && el.closest(SKIP)) continue;  // chart internals change all the time
      if (r.type === "childList") r.addedNodes.forEach(fixTree);
      else if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes" && r.attributeName !== "lang") fixAttrs(r.target);
    }
  });
  doc.documentElement.lang = "nl";
  fixTree(doc.body);
  observer.observe(doc.documentElement, {subtree: true, childList: true, characterData: true,
                                          attributes: true, attributeFilter: ATTRS.concat(["lang"])});
  // On a phone the menu covers the page: close it once a page has been chosen.
  doc.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest('[data-testid="stSidebar"] a');
    if (!link || win.innerWidth > 768) return;
    win.setTimeout(() => {
      const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebar"] [data-testid="baseButton-headerNoPadding"]');
      const open = doc.querySelector('[data-testid="stSidebar"][data-collapsed="false"], '
        + '[data-testid="stSidebar"][aria-expanded="true"]');  // Streamlit 1.67 marks it with data-collapsed
      if (close && open) close.click();
    }, 150);
  }, true);
})();
</script>
"""


def install() -> None:
    """Add the shared CSS and script to the page (the script guards itself: one observer per tab)."""
    st.html(CSS)
    with st.container(key="hm_extra", height=1, border=False):
        st.html(SCRIPT.replace("__VERTALING__", json.dumps(VERTALING, ensure_ascii=False))
                .replace("__VOORVOEGSELS__", json.dumps(VOORVOEGSELS)), unsafe_allow_javascript=True)


def contrast(voor: str, achter: str) -> float:
    """WCAG 2.1 contrast ratio of two '#rrggbb' colours."""
    def lum(hexkleur: str) -> float:
        rgb = [int(hexkleur.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(voor), lum(achter)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- list views: what a map or a canvas table shows, as a real HTML table with a link per gemeente ----------

def getal_van(text) -> float:
    """A shown value as a number for sorting: '1.234' -> 1234, '57,1%' -> 57.1, '<5' -> 4.5, '-' -> -1."""
    s = str(text).strip().replace("%", "").replace("€", "").split(" ")[0]
    if s.startswith("<"):
        return float(s[1:].replace(".", "").replace(",", ".") or 0) - 0.5
    try:
        return float(s.replace(".", "").replace(",", "."))
    except ValueError:
        return -1.0


def gesorteerd(frame, kolom: str, aflopend: bool):
    """Rows sorted on a shown column: numerically when its values are numbers as shown, else A-Z."""
    numeriek = frame[kolom].map(lambda v: getal_van(v) != -1.0 or str(v).strip() in {"-", ""}).all()
    key = (lambda s: s.map(getal_van)) if numeriek else (lambda s: s.astype(str).str.lower())
    return frame.sort_values(kolom, key=key, ascending=not aflopend, kind="stable")


def gemeente_href(code: str, peildatum=None) -> str:
    params = {"gemeente": code, **({"peildatum": peildatum.isoformat()} if peildatum else {})}
    rol = st.session_state.get("demo_rol")
    if rol and rol != "landelijk":
        params["rol"] = rol
    return "gemeente?" + "&".join(f"{k}={v}" for k, v in params.items())


def html_tabel(frame, bijschrift: str, peildatum=None) -> str:
    """An accessible table: caption, column headers with scope, the gemeente's name a link to its page."""
    import html as h
    kop = "".join(f'<th scope="col">{h.escape(str(c))}</th>' for c in frame.columns if c != "gemeentecode")
    rijen = []
    for _, r in frame.iterrows():
        cellen = []
        for c in frame.columns:
            if c == "gemeentecode":
                continue
            tekst, label = h.escape(str(r[c])), h.escape(str(c))
            if c == "Gemeente" and "gemeentecode" in frame.columns:
                cellen.append(f'<th scope="row" data-label="{label}"><a href="'
                              f'{h.escape(gemeente_href(r["gemeentecode"], peildatum))}" target="_self">{tekst}</a></th>')
            else:
                cellen.append(f'<td data-label="{label}">{tekst}</td>')
        rijen.append("<tr>" + "".join(cellen) + "</tr>")
    return (f'<table class="hm-lijst"><caption>{h.escape(bijschrift)}</caption><thead><tr>{kop}</tr></thead>'
            f'<tbody>{"".join(rijen)}</tbody></table>')


LIJST_CSS = """<style>
.hm-lijst { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.hm-lijst caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
.hm-lijst th, .hm-lijst td { border-bottom: 1px solid #d0d4dc; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; font-weight: normal; }
.hm-lijst thead th { font-weight: 700; background: #f0f2f6; }
.hm-lijst a { color: #154273; text-decoration: underline; }
/* On a phone: one card per gemeente, its name first, every value under its column name. */
@media (max-width: 640px) {
  .hm-lijst thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .hm-lijst tr { display: block; border-bottom: 1px solid #d0d4dc; padding: 0.4rem 0; }
  .hm-lijst th, .hm-lijst td { display: flex; gap: 0.5rem; border: none; padding: 0.1rem 0.25rem; }
  .hm-lijst tbody th a { font-weight: 700; }
  .hm-lijst td::before { content: attr(data-label); flex: 0 0 45%; color: #545454; }
}
</style>"""


def lijstweergave(frame, titel: str, key: str, peildatum=None, open_: bool = False) -> None:
    """The list view beside a map or a canvas table: `frame` holds the shown texts, a 'Gemeente' column and
    'gemeentecode' (not shown; it makes the link). Sortable on every column with the keyboard.

    The list is made and sent only while its expander is open (opening it reruns the page): as one HTML table
    of all 342 gemeenten it was the largest part of a page view (about 190 KB on Regio's, 470 KB on Deelname),
    sent with every view although it is closed until someone asks for it. Whether it is open is kept in the
    session apart from the expander, so that it stays open when a filter changes the count in its label
    (Streamlit takes an expander with another label or another `expanded` for a new one). For one label the
    `expanded` it was first made with is kept: a new one would be drawn anew, and the keyboard focus on it lost."""
    open_key, onthouden, standaard = f"{key}_open", f"{key}_open_onthouden", f"{key}_open_standaard"

    def onthoud() -> None:
        st.session_state[onthouden] = bool(st.session_state.get(open_key))

    label = f"{titel}: als lijst ({len(frame)} gemeenten, met links)"
    eerst = st.session_state.setdefault(standaard, {})
    lijst = st.expander(label, expanded=eerst.setdefault(label, st.session_state.get(onthouden, open_)),
                        icon=":material/list:", key=open_key, on_change=onthoud)
    if not lijst.open:
        return
    with lijst:
        kolommen = [c for c in frame.columns if c != "gemeentecode"]
        c1, c2 = st.columns([3, 2])
        kolom = c1.selectbox("Sorteer op", kolommen, key=f"{key}_sorteer")
        aflopend = c2.toggle("Hoog naar laag / Z-A", key=f"{key}_aflopend")
        st.html(LIJST_CSS + html_tabel(gesorteerd(frame, kolom, aflopend), f"{titel}, gesorteerd op {kolom.lower()}"
                                       + (" (aflopend)" if aflopend else ""), peildatum))


def kaart_samenvatting(schaal, wat: str) -> str:
    """What a map shows, in words: how many gemeenten fall in each class."""
    delen = [f"{k.aantal} in '{k.label}'" for k in schaal.klassen if k.aantal]
    return f"De kaart kleurt de gemeenten naar {wat} ({schaal.titel.lower()}): " + "; ".join(delen) + "."


# --- charts: source and peildatum inside the figure, a text alternative, a Dutch toolbar -------------------

BRON_GRAFIEK = "Bron: UHT, VNG; Herstelmonitor"


def met_bron(fig, peildatum) -> object:
    """A copy of the figure with the source and peildatum written in it, so that a saved image or a screenshot
    carries them: as the subtitle under the chart's title, or (untitled chart) in the top right corner."""
    import copy

    return _bron_erin(copy.deepcopy(fig), peildatum)


def _bron_erin(out, peildatum):
    """met_bron() on the figure itself: for a figure made for one call (a deep copy of a plotly figure costs
    more than building it)."""
    from herstelmonitor.format import datum_kort
    tekst = BRON_GRAFIEK + (f" · peildatum {datum_kort(peildatum)}" if peildatum else "")
    if titel(out):
        # Plotly never wraps a title: a long one ran out of the chart on a phone (390 px). Broken over lines
        # of at most TITEL_TEKENS characters, with room for each extra line.
        regels = textwrap.wrap(titel(out), TITEL_TEKENS) if len(titel(out)) > TITEL_TEKENS else []
        if regels:
            out.update_layout(title_text="<br>".join(regels))
        top = (out.layout.margin.t if out.layout.margin and out.layout.margin.t is not None else 80) + 16
        top += TITELREGEL * max(len(regels) - 1, 0)
        out.update_layout(title_subtitle=dict(text=tekst, font=dict(size=10, color=GEDEMPT)), margin_t=top)
    else:
        out.add_annotation(text=tekst, xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom",
                           yshift=4, showarrow=False, font=dict(size=10, color=GEDEMPT))
    return out


TITEL_TEKENS = 40  # characters per title line: fits a chart on a 390 px phone screen at the title's 15 px
TITELREGEL = 20  # pixels of room per extra title line


def titel(fig) -> str:
    t = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    return str(t).replace("<br>", " ").replace("<b>", "").replace("</b>", "")


def toon_grafiek(waar, fig, alt: str | None = None, config: dict | None = None, **kwargs):
    """st.plotly_chart (on `waar`: st, a column or a container) with source and peildatum in the figure, a short
    description for screen readers (`alt`, else the chart's title) and only the Dutch image download.
    `fig` gets the source written in: pass a figure made for this call (every page does), not a shared one."""
    from datetime import date
    gekozen = st.session_state.get("peildatum")
    peildatum = date.fromisoformat(gekozen) if isinstance(gekozen, str) else gekozen
    beschrijving = alt or (f"Grafiek: {titel(fig)}" if titel(fig) else "Grafiek")
    kwargs.setdefault("width", "stretch")
    return waar.plotly_chart(_bron_erin(fig, peildatum), alt=beschrijving, config={**PLOTLY_CONFIG, **(config or {})},
                             **kwargs)
