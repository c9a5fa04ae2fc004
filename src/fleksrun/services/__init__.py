"""Services: one module per capability. They own transactions: one command, one transaction."""

from fleksrun.services.agenda_state import refresh_before_commit as _refresh_agenda_state
from fleksrun.store.tx import BEFORE_COMMIT as _BEFORE_COMMIT

if _refresh_agenda_state not in _BEFORE_COMMIT:  # every service's transaction keeps the agenda's summaries
    _BEFORE_COMMIT.append(_refresh_agenda_state)
