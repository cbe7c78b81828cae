"""The API object: /api/v1/, JSON with readable Chinese, personal tokens or the session, rate limits, and one
router per domain app. Every route applies the same permission rules as the pages."""
from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from duban.api import errors
from duban.api.auth import AUTH
from duban.api.routers import letters, notifications, tasks, units
from duban.api.throttling import AnonThrottle, UserThrottle


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # readable Chinese, and a third smaller


api = NinjaAPI(
    title="Duban API", version="1", urls_namespace="api", auth=AUTH, renderer=ChineseJSONRenderer(),
    throttle=[AnonThrottle(), UserThrottle()],
    openapi_url="/openapi.json", docs_url=None,  # the interactive docs would load assets from a CDN
)
errors.install(api)
api.add_router("/units", units.router)
api.add_router("", tasks.router)
api.add_router("/letters", letters.router)
api.add_router("/notifications", notifications.router)
