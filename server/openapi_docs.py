"""/docs (Swagger UI) and /redoc with their assets served by this server: the demo runs offline.

FastAPI's default pages load their JavaScript and CSS from a CDN (a blank page without network). The same
Swagger UI and ReDoc bundles ship in the `fastapi-offline` wheel; only its static files are used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI
from fastapi import Path as PathParam
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from chefmentor.errors import NotFoundError

ASSETS_PATH = "/docs/assets"
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}


def assets_dir() -> Path:
    return Path(str(resources.files("fastapi_offline") / "static"))


def docs_router(app: FastAPI) -> APIRouter:
    """The docs pages for `app`; mount with `app.include_router` after creating the app with docs_url=None."""
    router = APIRouter(include_in_schema=False)
    title = app.title
    openapi_url = app.openapi_url or "/openapi.json"
    folder = assets_dir()

    @router.get("/docs", response_class=HTMLResponse)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} - Swagger UI",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
            # The validator badge calls validator.swagger.io; nothing on these pages leaves the server.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )

    @router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc", response_class=HTMLResponse)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} - ReDoc",
            redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )

    @router.get(ASSETS_PATH + "/{name}")
    async def docs_asset(name: Annotated[str, PathParam(max_length=40)]) -> FileResponse:
        media_type = ASSET_TYPES.get(name)
        if media_type is None:
            raise NotFoundError("No such docs asset")
        return FileResponse(folder / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})

    return router
