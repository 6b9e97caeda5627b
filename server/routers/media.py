"""GET /media/{name}: files of the local media store (the default when Cloudinary is not configured).

Only names the store generated resolve (a fixed random-token pattern), so no path can leave the folder;
the names are unguessable capability URLs, which lets <img>/<video> tags load them without a token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from chefmentor.errors import NotFoundError
from chefmentor.media.store import LocalMediaStore
from server.deps import CtxDep
from server.openapi import binary_response
from server.openapi_errors import errors

router = APIRouter(tags=["media"])

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4"}
MEDIA_RESPONSES = {**binary_response("The stored file", *MEDIA_TYPES.values()), **errors("NOT_FOUND")}


@router.get("/media/{name}", operation_id="media_get", response_class=FileResponse, responses=MEDIA_RESPONSES)
async def get_media(name: Annotated[str, Path(max_length=64)], ctx: CtxDep) -> FileResponse:
    """A stored upload (EXIF-free copy) by its generated name."""
    store = ctx.media_store
    path = store.path_for(name) if isinstance(store, LocalMediaStore) else None
    if path is None:
        raise NotFoundError("Media not found")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix.lstrip(".")],
        # Content never changes under a name: let clients cache it, but only privately.
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
