"""Where the project's files live. The database path can be overridden for tests and deployments."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
CONFIG_FILE = ROOT / "config" / "herstelmonitor.toml"
REFERENCE = ROOT / "data" / "reference"
GEMEENTEN_CSV = REFERENCE / "gemeenten_2023.csv"
DEFAULT_EXTRACTS = ROOT / "data" / "extracts"
DEFAULT_DB = ROOT / "data" / "herstelmonitor.duckdb"


def database() -> Path:
    """The database the dashboard reads: $HERSTELMONITOR_DB, else data/herstelmonitor.duckdb."""
    return Path(os.environ.get("HERSTELMONITOR_DB", DEFAULT_DB))
