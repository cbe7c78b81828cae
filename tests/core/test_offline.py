"""No rendered page may load anything from another host (government intranets are cut off)."""
from __future__ import annotations

import re

import pytest

ASSET = re.compile(r"""(?:src|href|action|data-src)\s*=\s*["']\s*(?:https?:)?//""", re.I)
CSS_IMPORT = re.compile(r"""url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


@pytest.mark.parametrize("username", ["supervisor", "zhujian", "leader"])
def test_rendered_pages_reference_no_other_host(login, zhujian_task, username: str) -> None:
    c = login(username)
    for url in ("/", "/tasks/", f"/tasks/{zhujian_task.pk}/", "/units/", f"/tasks/{zhujian_task.pk}/edit/"):
        response = c.get(url)
        if response.status_code == 200:
            assert not ASSET.search(response.content.decode()), url


def test_login_page_references_no_other_host(client, db) -> None:  # noqa: ANN001
    assert not ASSET.search(client.get("/login/").content.decode())


def test_bundled_stylesheets_import_nothing_remote() -> None:
    from django.contrib.staticfiles import finders

    for name in ("vendor/bootstrap/css/bootstrap.min.css", "duban/duban.css"):
        path = finders.find(name)
        assert path, name
        assert not CSS_IMPORT.search(open(path, encoding="utf-8").read()), name
