"""The ``duban`` command: Django's management commands under one name (``duban demo``, ``duban serve`` …)."""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    # The data directory (DUBAN_DATA_DIR) and its secret key, before Django loads the settings, which only
    # read them: every `duban` command (migrate, demo, serve, backup, restore, …) finds them in place.
    from duban.core.datadir import ensure_data_dir

    ensure_data_dir()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["duban", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
