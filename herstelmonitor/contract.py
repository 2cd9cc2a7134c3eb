"""The data contract of the extracts (spec section 2): file names, columns and their kinds."""
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The three kinds every peildatum needs, then the optional ones (spec 2.5: a peildatum without them is complete).
REQUIRED_KINDS = ("aanmeldingen", "ondersteuning", "deelname")
OPTIONAL_KINDS = ("ervaring",)
KINDS = REQUIRED_KINDS + OPTIONAL_KINDS
FILE_NAME = re.compile(r"^(aanmeldingen|ondersteuning|deelname|ervaring)_(\d{4}-\d{2}-\d{2})\.(csv|parquet)$")

STATUSES = (
    "nog_geen_contact", "in_gesprek", "plan_van_aanpak", "ondersteuning_loopt",
    "afgerond", "hulp_afgewezen", "niet_bereikbaar",
)
UITKOMSTEN = ("gedupeerd", "niet_gedupeerd")
LEEFGEBIEDEN = ("lg_financien", "lg_wonen", "lg_werk", "lg_zorg", "lg_gezin")
# The parent survey (spec 2.5).
GEHOLPEN = ("ja", "deels", "nee")
SNELLER = ("ja", "nee", "weet_niet")

# Column kinds: id (pseudonymous parent key), tekst, code (GM + 4 digits), datum, bedrag, bool,
# cijfer (a whole number, here a mark 1-10).
COLUMNS: dict[str, dict[str, str]] = {
    "aanmeldingen": {
        "ouder_id": "id",
        "aanmelddatum": "datum",
        "gemeentecode": "code",
        "gegevens_gedeeld_datum": "datum",
        "eerste_toets_datum": "datum",
        "eerste_toets_uitkomst": "tekst",
        "forfait_betaald_datum": "datum",
        "integrale_beoordeling_datum": "datum",
        "compensatie_bedrag": "bedrag",
    },
    "ondersteuning": {
        "ouder_id": "id",
        "gemeentecode": "code",
        "status": "tekst",
        "eerste_contact_datum": "datum",
        "plan_datum": "datum",
        "afgerond_datum": "datum",
        **{lg: "bool" for lg in LEEFGEBIEDEN},
    },
    "deelname": {
        "gemeentecode": "code",
        "aangesloten_datum": "datum",
        "centrumgemeente": "code",
    },
    "ervaring": {
        "ouder_id": "id",
        "gemeentecode": "code",
        "antwoord_datum": "datum",
        "voelt_zich_geholpen": "tekst",
        "rapportcijfer": "cijfer",
        "hulp_sneller_na_compensatie": "tekst",
    },
}


@dataclass(frozen=True)
class ExtractFile:
    path: Path
    kind: str
    peildatum: date
    fmt: str

    @property
    def name(self) -> str:
        return self.path.name


def parse_file_name(path: Path) -> ExtractFile | None:
    """The kind, peildatum and format a file name declares, or None when it does not follow the contract."""
    m = FILE_NAME.match(path.name)
    if not m:
        return None
    try:
        peildatum = date.fromisoformat(m.group(2))
    except ValueError:
        return None
    return ExtractFile(path, m.group(1), peildatum, m.group(3))
