"""POST /api/auth/google, /api/auth/refresh, /api/auth/logout.

Token responses carry `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from chefmentor.auth import service
from chefmentor.auth.google import GoogleIdTokenVerifier
from chefmentor.auth.schemas import GoogleLoginRequest, LogoutRequest, RefreshRequest, TokenResponse
from server.deps import CtxDep, DbDep, RequestIdDep
from server.openapi_errors import errors
from server.ratelimit import rate_limit

router = APIRouter(prefix="/api/auth", tags=["auth"])
RATE_LIMIT_KEY = "ip"

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _no_store(response: Response) -> None:
    response.headers.update(NO_STORE)


def google_verifier(request: Request) -> GoogleIdTokenVerifier:
    """One verifier per app (it caches Google's certs), created on first use."""
    verifier: GoogleIdTokenVerifier | None = getattr(request.app.state, "google_verifier", None)
    if verifier is None:
        verifier = GoogleIdTokenVerifier(request.app.state.ctx.settings)
        request.app.state.google_verifier = verifier
    return verifier


@router.post(
    "/google",
    response_model=TokenResponse,
    operation_id="auth_google",
    responses=errors("INVALID_GOOGLE_TOKEN", "CONFLICT", "RATE_LIMITED", "AUTH_PROVIDER_UNAVAILABLE"),
    dependencies=[Depends(rate_limit("auth", per="ip"))],
)
async def login_with_google(
    body: GoogleLoginRequest,
    request: Request,
    response: Response,
    db: DbDep,
    ctx: CtxDep,
    request_id: RequestIdDep,
) -> TokenResponse:
    """Exchange a Google ID token (verified email only) for an access token and a rotating refresh token."""
    _no_store(response)
    return await service.login_with_google(
        db,
        settings=ctx.settings,
        clock=ctx.clock,
        verifier=google_verifier(request),
        id_token=body.id_token,
        request_id=request_id,
    )


@router.post(
    "/refresh", operation_id="auth_refresh", response_model=TokenResponse, responses=errors("INVALID_REFRESH_TOKEN")
)
async def refresh_tokens(
    body: RefreshRequest, response: Response, db: DbDep, ctx: CtxDep, request_id: RequestIdDep
) -> TokenResponse:
    """Spend a refresh token for a new pair; a token presented twice revokes its whole family."""
    _no_store(response)
    return await service.refresh_tokens(
        db, settings=ctx.settings, clock=ctx.clock, refresh_token=body.refresh_token, request_id=request_id
    )


@router.post("/logout", operation_id="auth_logout", status_code=204, response_class=Response)
async def logout(body: LogoutRequest, db: DbDep, ctx: CtxDep, request_id: RequestIdDep) -> Response:
    """Revoke every refresh token of this sign-in; always 204, so tokens cannot be probed."""
    await service.logout(db, clock=ctx.clock, refresh_token=body.refresh_token, request_id=request_id)
    return Response(status_code=204, headers=NO_STORE)
