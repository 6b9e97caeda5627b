"""Router modules mounted by server.app.create_app, in this order.

Each module exposes `router` (an APIRouter carrying its own prefix). Optional module attributes:
- `RATE_LIMIT`: the per-request policy applied to every route ("default" when absent, None = no limit);
- `RATE_LIMIT_KEY`: "actor" (default: the caller's actor, anonymous callers by IP) or "ip";
- `UPLOAD_PATHS`: paths whose request bodies may reach settings.media.max_bytes (the rest get max_json_bytes).
Add one line here to mount a new router.
"""

ROUTER_MODULES: tuple[str, ...] = (
    "server.routers.health",
    "server.routers.auth",
    "server.routers.demo",
    "server.routers.recipes",
    "server.routers.cooking",
    "server.routers.failure",
    "server.routers.failure_analyze",
    "server.routers.media",
    "server.routers.profile",
    "server.routers.voice",
    "server.routers.pairings",
)
