"""The gemeente user's view under AppTest, signed in with the role gemeente (Groningen, GM0014), on
tests/fixtures/boot at 2022-06-30 (see tests/test_buiten_de_boot.py):

Groningen: 6 registered and shared on 1 January 2022, only G6 contacted: reach 1 of 6 (16,7%), so 'laag bereik'
fires, already at the first peildatum. Rotterdam: reach 3 of 6 (50%: R1, R2, R7 of R1, R2, R6, R7, R8 and the
moved M1's Rotterdam row), 3 in contact; Almere: 2 registered, reach built on 1 parent.
"""
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_access import AUTH
from tests.test_buiten_de_boot import boot_db  # noqa: F401 (fixture)

ROLES = """
[gebruikers."team@groningen.example.nl"]
rol = "gemeente"
gemeente = "GM0014"

[gebruikers."staf@example.nl"]
rol = "landelijk"
"""


@pytest.fixture
def signed_in_app(boot_db, tmp_path, monkeypatch):  # noqa: F811
    roles = tmp_path / "rollen.toml"
    roles.write_text(ROLES)
    monkeypatch.setenv("HERSTELMONITOR_ROLLEN", str(roles))
    monkeypatch.setenv("HERSTELMONITOR_DB", str(boot_db))


def gemeente_page(email: str, **params) -> AppTest:
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/gemeente.py").run()
    assert not at.exception, at.exception
    return at


def test_a_gemeente_user_opens_on_their_own_gemeente_with_its_signals_in_sentences(signed_in_app):
    at = gemeente_page("team@groningen.example.nl")
    assert at.title[0].value == "Groningen" and at.main.selectbox[0].value == "GM0014"
    signals = "\n".join(w.value for w in at.warning)
    assert "**Laag bereik** (al sinds de eerste peildatum in de gegevens (31 maart 2022)): 1 van de 6 ouders is na " \
           "acht weken bereikt (16,7%); de grens is 50%." in signals
    # The same user may still open another gemeente by link; a national user gets the chooser.
    assert gemeente_page("team@groningen.example.nl", gemeente="GM0599").title[0].value == "Rotterdam"
    assert "Kies hierboven een gemeente" in gemeente_page("staf@example.nl").info[0].value


def test_own_figures_beside_each_gemeente_of_a_shared_comparison_group(signed_in_app):
    at = gemeente_page("team@groningen.example.nl", vergelijk="GM0599,GM0034,GM9999")
    assert at.radio(key="gemeente_groep_soort").value == "eigen"
    assert at.multiselect(key="gemeente_groep::GM0014").value == ["GM0599", "GM0034"]  # the unknown code dropped
    tabel = at.dataframe[-1].value.set_index("Gemeente")
    assert list(tabel.index) == ["Groningen (deze gemeente)", "Rotterdam", "Almere"]  # best reach first
    assert list(tabel["Plaats"]) == ["1", "-", "-"]
    # Rotterdam's reach (50%) rests on at most 3 parents reached, shown as "<5": no share (rounding); Almere's
    # on 1 parent.
    assert list(tabel["Bereik na acht weken"]) == ["16,7%", "-", "-"]
    # Compensation as well as support; other gemeenten's counts rounded to 5 (Rotterdam's 9 as 10, small ones
    # as "<5"), the own ones exact.
    assert list(tabel["Aangemeld"]) == ["6", "10", "<5"]
    assert list(tabel["In contact"]) == ["1", "<5", "<5"]  # Rotterdam R1, R2, R7; Almere L1
    text = "\n".join(m.value for m in at.markdown)
    assert "Plaats **1** van 1 op bereik na acht weken. Groep: eigen vergelijkingsgroep (3 gemeenten, deze meegeteld)." in text
    assert "`gemeente?gemeente=GM0014&peildatum=2022-06-30&vergelijk=GM0599,GM0034`" in text


def test_the_default_group_is_the_same_provincie_and_size_class(signed_in_app):
    at = gemeente_page("team@groningen.example.nl")
    tabel = at.dataframe[-1].value
    # Groningen is the only gemeente of 100.000 inhabitants or more in its provincie.
    assert list(tabel["Gemeente"]) == ["Groningen (deze gemeente)"] and list(tabel["Plaats"]) == ["1"]
    at.selectbox(key="gemeente_rang_maat").select("doorlooptijd_contact_mediaan").run()
    text = "\n".join(m.value for m in at.markdown)  # the own figures are exact for this user, even on 1 parent
    assert "Plaats **1** van 1 op tijd tot eerste contact (mediaan)." in text
