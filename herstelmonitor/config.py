"""The settings of config/herstelmonitor.toml, read once."""
import tomllib
from functools import cache

from herstelmonitor.paths import CONFIG_FILE


@cache
def settings() -> dict:
    with open(CONFIG_FILE, "rb") as f:
        return tomllib.load(f)


def small_count_threshold() -> int:
    return int(settings()["privacy"]["kleine_aantallen"])


def reach_days() -> int:
    return 7 * int(settings()["bereik"]["weken"])


def achtervang_defaults() -> dict:
    """The achtervang thresholds as named in config, e.g. {'laag_bereik_max_pct': 50, ...}."""
    return dict(settings()["achtervang"])


def survey_days() -> int:
    """The survey answers of this many days up to the peildatum count in the experience figures."""
    return 7 * int(settings()["ervaring"]["weken"])


def survey_min_answers() -> int:
    """Fewer answers than this: "te weinig antwoorden", never a percentage or mark."""
    return int(settings()["ervaring"]["min_antwoorden"])
