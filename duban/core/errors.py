"""The one exception services raise for an action that is not possible now; its message is for the user."""
from __future__ import annotations


class ActionRefused(Exception):
    pass
