"""Helpers for tests that run Duban in other processes (a server, workers) on a database of their own."""
from __future__ import annotations

import os

import dj_database_url


def postgres_config() -> dict | None:
    url = os.environ.get("DATABASE_URL", "")
    return dj_database_url.parse(url) if url.startswith(("postgres", "pgsql")) else None


def _admin_connection():  # noqa: ANN202
    import psycopg

    config = postgres_config()
    return psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                           password=config["PASSWORD"], dbname="postgres", autocommit=True)


def fresh_database(suffix: str, template: str | None = None) -> str | None:
    """On PostgreSQL, a new empty database (or a copy of ``template``) next to the configured one; its URL.
    None on SQLite, where the caller uses a file in its own data directory."""
    config = postgres_config()
    if config is None:
        return None
    name = f"{config['NAME']}_{suffix}"
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{config["NAME"]}_{template}"' if template else ""))
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
