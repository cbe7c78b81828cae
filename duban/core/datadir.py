"""Settings helpers: reading ``DUBAN_*`` variables, the data directory (``DUBAN_DATA_DIR``, default ``var/``)
and the secret key kept in it.

Importing the settings creates nothing: settings only *read* what is here. The folder and the key file are made
by :func:`ensure_data_dir`, which the ``duban`` command runs before Django starts (and ``duban serve`` before it
starts the web and worker processes), or, failing that, by :func:`ensure_secret_key` the first time the settings'
``SECRET_KEY`` is used. Plain Python and the standard library only: this runs before Django is configured.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_KEY_FILE = "secret_key"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    """Where the database (SQLite), uploaded and generated files and the secret key live."""
    return Path(os.environ.get("DUBAN_DATA_DIR", BASE_DIR / "var")).resolve()


def read_secret_key(folder: Path) -> str | None:
    """The key kept in ``folder``, or None when there is none yet (nothing is created)."""
    try:
        key = (folder / SECRET_KEY_FILE).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure_secret_key(folder: Path) -> str:
    """The key kept in ``folder``, generated once (mode 0600) if there is none; creates ``folder`` if needed.

    Safe when several processes start at once (gunicorn workers, the worker): the key is written to a temporary
    file that is then linked into place, and only the first link succeeds, so every process ends up with the
    same, complete key."""
    if key := read_secret_key(folder):
        return key
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".secret_key-", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, folder / SECRET_KEY_FILE)
        except FileExistsError:
            pass  # another process was first: use its key
        except OSError:  # a file system without hard links: exclusive creation instead
            _create_exclusive(folder / SECRET_KEY_FILE, Path(tmp).read_text(encoding="ascii"))
    finally:
        os.unlink(tmp)
    key = read_secret_key(folder)
    if key is None:
        raise RuntimeError(f"the secret key file {folder / SECRET_KEY_FILE} is empty")
    return key


def _create_exclusive(path: Path, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text)


def ensure_data_dir(folder: Path | None = None) -> Path:
    """Create the data directory, its ``static`` folder and (unless ``DUBAN_SECRET_KEY`` is set) the secret key
    file, as far as they do not exist yet; the data directory. Safe to run again."""
    folder = data_dir() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)  # STATIC_ROOT: WhiteNoise warns about a missing one
    if not os.environ.get("DUBAN_SECRET_KEY"):
        ensure_secret_key(folder)
    return folder
