from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _settings(env: dict[str, str], expr: str) -> str:
    code = f"import duban.settings as s; print({expr})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    env = {"DUBAN_DATA_DIR": str(tmp_path)}
    first = _settings(env, "s.SECRET_KEY")
    assert len(first) >= 50 and (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert _settings(env, "s.SECRET_KEY") == first
    assert _settings({**env, "DUBAN_SECRET_KEY": "from-env"}, "s.SECRET_KEY") == "from-env"


def test_defaults_are_safe_and_chinese(tmp_path: Path) -> None:
    env = {"DUBAN_DATA_DIR": str(tmp_path)}
    assert _settings(env, "s.DEBUG") == "False"
    assert _settings(env, "s.LANGUAGE_CODE, s.TIME_ZONE") == "zh-hans Asia/Shanghai"
    assert _settings(env, "s.DATABASES['default']['NAME']") == str(tmp_path / "duban.sqlite3")
    url = "postgres://u:p@db.internal:5433/duban"
    assert _settings({**env, "DATABASE_URL": url}, "s.DATABASES['default']['HOST'], s.DATABASES['default']['PORT']") \
        == "db.internal 5433"
    assert _settings({**env, "DUBAN_ALLOWED_HOSTS": "a.gov.cn, b.gov.cn"}, "s.ALLOWED_HOSTS") == "['a.gov.cn', 'b.gov.cn']"
