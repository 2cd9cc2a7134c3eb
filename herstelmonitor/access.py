"""Roles: who sees which figures exactly, who may upload. Decided on the server, per signed-in user.

The mapping from users to roles is config/rollen.toml (or $HERSTELMONITOR_ROLLEN). Pages never decide
this themselves: they pass the Access (via the page context) to herstelmonitor.privacy.protect().
"""
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from herstelmonitor.paths import ROOT

ROLE_LABELS = {
    "landelijk": "Landelijk (staatssecretaris, BAK)",
    "coordinator": "Coördinator (VNG-programmateam)",
    "gemeente": "Gemeente",
    "beheer": "Beheer (datateam)",
}
EXACT_ROLES = {"coordinator", "beheer"}
DEMO_ROLES = ("landelijk", "coordinator", "gemeente")  # without sign-in: viewing roles only, never beheer
GEMEENTECODE = re.compile(r"GM\d{4}")


@dataclass(frozen=True)
class Access:
    role: str
    user: str  # e-mail or 'demo'; shown in the upload log, never parent data
    gemeente: str | None = None
    demo: bool = False  # chosen in demo mode, not signed in: may look, never change anything

    def exact_for(self, gemeentecode: str | None) -> bool:
        """May this viewer see this gemeente's small counts exactly? None asks about an aggregate."""
        if self.role in EXACT_ROLES:
            return True
        return self.role == "gemeente" and gemeentecode is not None and gemeentecode == self.gemeente

    @property
    def may_upload(self) -> bool:
        """Only a signed-in user with the role beheer: an upload replaces what every visitor sees."""
        return self.role == "beheer" and not self.demo

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]


def roles_file() -> Path:
    return Path(os.environ.get("HERSTELMONITOR_ROLLEN", ROOT / "config" / "rollen.toml"))


def load_roles(path: Path | None = None) -> dict:
    with open(path or roles_file(), "rb") as f:
        config = tomllib.load(f)
    for section in ("gebruikers", "groepen"):
        for who, entry in config.get(section, {}).items():
            check_entry(f"{section}.{who}", entry)
    return config


def check_entry(where: str, entry: dict) -> None:
    """A misconfigured role must fail loudly at start, not grant something by accident."""
    if entry.get("rol") not in ROLE_LABELS:
        raise ValueError(f"rollen: {where} heeft een onbekende rol {entry.get('rol')!r}")
    if entry["rol"] == "gemeente" and not GEMEENTECODE.fullmatch(str(entry.get("gemeente", ""))):
        raise ValueError(f"rollen: {where} heeft rol gemeente maar geen geldige gemeentecode")


def access_for(email: str | None, groups: list[str] | None, roles: dict) -> Access | None:
    """The role of a signed-in user, or None when they have none."""
    email = (email or "").strip().lower()
    entry = roles.get("gebruikers", {}).get(email)
    if entry is None:
        entry = next((roles["groepen"][g] for g in groups or [] if g in roles.get("groepen", {})), None)
    if entry is None:
        return None
    return Access(entry["rol"], email or "onbekend", entry.get("gemeente"))
