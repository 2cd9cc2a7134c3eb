"""No page, export or log ever shows an ouder_id: every page, for every role, scanned with all downloads."""
import pytest
import streamlit
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from herstelmonitor.access import ROLE_LABELS
from herstelmonitor.bench import page_files
from herstelmonitor.ingest import extract_files
from tests.conftest import ERVARING

# The klein set plus its parent survey (tests/fixtures/ervaring): every id of the registrations and of the
# survey answers (which also holds parents not in the registrations).
IDS = sorted({line.split(b",")[0] for f in extract_files(ERVARING)
              if f.name.startswith(("aanmeldingen_2021-06", "ervaring_2021-06"))
              for line in f.read_bytes().splitlines()[1:]})
PAGE_PARAMS = {"pages/gemeente.py": [{"gemeente": "GM0599"}, {"gemeente": "GM0034"}]}


def protos(node):
    if getattr(node, "proto", None) is not None:
        yield node.proto
    for child in getattr(node, "children", {}).values():
        yield from protos(child)


@pytest.fixture
def downloads(monkeypatch):
    """Everything handed to st.download_button, also when the data is produced on click."""
    captured = []
    method = DeltaGenerator.download_button

    def capture(self, label, data, *args, **kwargs):
        captured.append(data() if callable(data) else data)
        return method(self, label, data, *args, **kwargs)

    # st.download_button is bound to the main area at import; columns and containers use the class.
    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: capture(streamlit._main, *a, **k))
    return captured


@pytest.mark.parametrize("role", list(ROLE_LABELS))
def test_no_page_or_download_contains_a_parent_id(ervaring_db, downloads, role):
    assert len(IDS) == 26 and IDS[0] == b"OU01" and b"OU26" in IDS
    seen = 0
    for page in page_files() + ["pages/upload.py"]:
        for params in PAGE_PARAMS.get(page, [{}]):
            at = AppTest.from_file("../dashboard.py", default_timeout=60)
            at.session_state["demo_rol"] = role
            at.run()
            for key, value in params.items():
                at.query_params[key] = value
            if page != "dashboard.py":
                at.switch_page(page).run()
            assert not at.exception, (page, role, at.exception[0].value)
            blobs = [p.SerializeToString() for p in protos(at._tree)]
            blobs += [d if isinstance(d, bytes) else str(d).encode() for d in downloads]
            leaks = {i for i in IDS for b in blobs if i in b}
            assert not leaks, (page, role, params, leaks)
            seen += len(blobs)
    assert seen >= 10 * len(page_files())  # the scan looked at the pages' content, not at nothing
    assert len(downloads) >= 3  # and at their downloads


def test_the_scan_finds_an_id_when_one_is_shown(downloads):
    at = AppTest.from_string(
        "import streamlit as st\nst.dataframe({'x': ['OU03']})\nst.columns(2)[1].download_button('d', 'a,OU07')").run()
    blobs = [p.SerializeToString() for p in protos(at._tree)] + [str(d).encode() for d in downloads]
    assert any(b"OU03" in b for b in blobs) and any(b"OU07" in b for b in blobs)
