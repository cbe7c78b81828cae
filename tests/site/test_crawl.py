"""Walk every page a supervisor can reach from the home page by following links, as a clerk clicking around
would: none answers with a server error, and none links into /admin/ (the Django admin is for superusers;
the office's work is all in Duban's own pages)."""
from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest

HREF = re.compile(r'href="([^"]+)"')
PER_KIND = 3  # pages per URL shape (/tasks/N/ is one shape), so the walk covers every page without every task
SKIP = ("/logout/", "/static/", "/i18n/", "/api/")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + ",".join(sorted(re.findall(r"(\w+)=", parts.query)))
                                              if parts.query else "")


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_no_page_links_into_the_admin_or_fails(login, username: str) -> None:  # noqa: ANN001
    c = login(username)
    c.user = username
    seen, shapes = {"/"}, Counter()
    queue = deque(["/"])
    admin_links: list[tuple[str, str]] = []
    visited = 0
    while queue:
        url = queue.popleft()
        response = c.get(url)
        visited += 1
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith("/admin"):
                admin_links.append((url, href))
            if not href.startswith("/") or href.startswith("//") or href.startswith(SKIP) or href in seen:
                continue
            if href.startswith("/admin"):
                continue
            shape = _shape(href)
            if shapes[shape] >= PER_KIND:
                continue
            shapes[shape] += 1
            seen.add(href)
            queue.append(href)
    assert visited > 40, f"the walk reached only {visited} pages"
    if username == "supervisor":
        assert not admin_links, admin_links[:5]
