"""Router modules mounted by server.app.create_app, in this order.

Each module exposes `router` (an APIRouter carrying its own prefix). Optional module attributes:
- `RATE_LIMIT`: the per-request policy applied to every route ("default" when absent, None = no limit);
- `RATE_LIMIT_KEY`: "actor" (default: the caller's actor, anonymous callers by IP) or "ip";
- `UPLOAD_PATHS`: paths whose request bodies may reach settings.media.max_bytes (the rest get max_json_bytes).
Add one line here to mount a new router.

FastAPI tries the included routers in this order, route by route, for every request, so the busiest come
first: the recipe reads (two routes), then cooking, whose step-event route is near its top. No two routers
here share a path, so the order changes no match. The
OpenAPI document lists its tags in DOC_TAG_ORDER whatever the mount order.
"""

ROUTER_MODULES: tuple[str, ...] = (
    "server.routers.recipes",
    "server.routers.cooking",
    "server.routers.pairings",
    "server.routers.failure",
    "server.routers.failure_analyze",
    "server.routers.voice",
    "server.routers.media",
    "server.routers.profile",
    "server.routers.demo",
    "server.routers.auth",
    "server.routers.health",
)
DOC_TAG_ORDER: tuple[str, ...] = (
    "health",
    "auth",
    "demo",
    "recipes",
    "cooking",
    "failure",
    "media",
    "profile",
    "voice",
)
