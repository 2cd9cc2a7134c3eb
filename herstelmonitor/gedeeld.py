"""Work shared by every session: derived frames computed once per data version and arguments.

Query results are already cached by the one key (herstelmonitor.queries.key: the database version plus the
fingerprint of the definitions). What pages derive from them
without looking at the viewer (joined tables, national series) is the same for every session too: wrap
such a function with `per_version` and it runs once per key and arguments in a process, and
every later session gets a copy. A function that applies suppression takes the viewer as an argument and is
shared per role class (landelijk, coordinator, beheer, or gemeente with its code), never per person.
"""
import functools

import streamlit as st

from herstelmonitor import queries
from herstelmonitor.access import Access


def role_class(viewer) -> Access:
    """What of a viewer decides suppression: the role, and for a gemeente user the gemeente. Sessions of the
    same role class share results; the person (e-mail) is left out."""
    access = getattr(viewer, "access", viewer)
    return Access(access.role, "gedeeld", access.gemeente)


@st.cache_data(max_entries=500, show_spinner=False)
def _shared(key: tuple, name: str, args: tuple, _fn, _con):
    return _fn(_con, *args)


def per_version(fn):
    """fn(con, *args), computed once per data version and args for all sessions (each gets a copy). A
    viewer among the args (anything with exact_for) counts by its role class only."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(con, *args):
        key = queries.key(con) if st.runtime.exists() else None
        if key is None:
            return fn(con, *args)
        args = tuple(role_class(a) if hasattr(a, "exact_for") else a for a in args)
        return _shared(key, name, args, _fn=fn, _con=con)

    return wrapper
