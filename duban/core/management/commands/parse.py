from __future__ import annotations

from django.core.management.base import BaseCommand

from duban.ingest.cli import main as parse_main


class Command(BaseCommand):
    help = "Parse a document (txt, html, docx, pdf, xlsx) and print its proposed task tree."

    def run_from_argv(self, argv: list[str]) -> None:
        # The parser has its own argparse front end (shared with `python -m duban.ingest`); pass arguments through.
        raise SystemExit(parse_main(argv[2:]))
