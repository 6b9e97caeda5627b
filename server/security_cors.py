"""CORS preflights refused with a code from the error table (issue 17 #7), not Starlette's plain-text 400.

A refused preflight is a function denial for that origin, method or header: 403 FORBIDDEN in the envelope.
The browser enforces CORS either way; this only keeps every answer of the server in one documented shape.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from server.errors import error_response

REFUSED_PREFLIGHT = "This origin, method or header is not allowed by the server's CORS policy"


class EnvelopeCORSMiddleware(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = error_response(403, "FORBIDDEN", REFUSED_PREFLIGHT)
        for name, value in response.headers.items():
            if name.lower().startswith(("access-control-", "vary")):
                refused.headers[name] = value
        return refused
