"""makemessages without fuzzy matching: a guessed translation from a similar string is worse than none
(tests/core/test_i18n.py then names the string that still needs one)."""
from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
