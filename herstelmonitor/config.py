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


def reach_weeks() -> int:
    return int(settings()["bereik"]["weken"])


def text_values() -> dict:
    """The settings a Dutch text may name in braces (catalogue labels and definitions): weeks as a word up
    to twelve, as Dutch house style writes small numbers, counts as digits."""
    from herstelmonitor.format import telwoord

    return {"bereik_weken": telwoord(reach_weeks()), "kleine_aantallen": small_count_threshold(),
            "ervaring_weken": survey_days() // 7, "min_antwoorden": survey_min_answers(), **achtervang_defaults()}
