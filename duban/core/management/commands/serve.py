from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from duban.core.datadir import ensure_data_dir, env_bool


class Command(BaseCommand):
    help = ("Serve Duban with gunicorn (production WSGI server, DEBUG off, static files by WhiteNoise), with the "
            "background worker alongside unless DUBAN_SERVE_WORKER=0 (run `duban worker` separately then).")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--port", type=int, default=int(os.environ.get("DUBAN_PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("DUBAN_HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("DUBAN_WORKERS", "2")))

    def handle(self, *args, port: int, host: str, workers: int, **options) -> None:  # noqa: ANN002, ANN003
        ensure_data_dir(Path(settings.DATA_DIR))  # before the web and worker processes read the secret key
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Duban: http://{host}:{port}/  (Ctrl+C 停止 to stop; data in {settings.DATA_DIR})")
        self.stdout.flush()
        env = {**os.environ, "DUBAN_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "duban.settings"}
        children = [subprocess.Popen([
            sys.executable, "-m", "gunicorn", "duban.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-", "--graceful-timeout", "10",
        ], env=env)]
        if env_bool("DUBAN_SERVE_WORKER", True):
            children.append(subprocess.Popen([sys.executable, "-m", "duban", "worker"], env=env))
        def stop(*_: object) -> None:
            for child in children:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            children[0].wait()
        finally:
            stop()
            for child in children:
                child.wait(timeout=15)
