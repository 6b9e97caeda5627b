"""Security in OpenAPI is declared by FastAPI from the bearer dependency: required, optional and public routes."""

from __future__ import annotations

from chefmentor.config import Settings
from server.app import create_app


def test_security_is_declared_by_the_bearer_dependency(settings: Settings) -> None:
    schema = create_app(settings).openapi()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Access token from POST /api/auth/google, or a demo token from POST /api/demo/start",
    }
    paths = schema["paths"]
    required = [("/api/cooking/step-event", "post"), ("/api/profile", "put"), ("/api/failure/analyses", "get")]
    optional = [
        ("/api/recipes", "get"),
        ("/api/recipes/{recipe_id}", "get"),
        ("/api/recipes/{recipe_id}/pairings", "get"),
    ]
    public = [("/api/demo/start", "post"), ("/health", "get"), ("/api/auth/google", "post"), ("/media/{name}", "get")]
    for path, method in required:
        assert paths[path][method]["security"] == [{"bearer": []}], path
        assert "UNAUTHORIZED" in paths[path][method]["responses"]["401"]["x-error-codes"], path
    for path, method in optional:
        assert paths[path][method]["security"] == [{"bearer": []}, {}], path
        assert paths[path][method]["responses"]["401"]["x-error-codes"] == ["INVALID_TOKEN", "TOKEN_EXPIRED"], path
    for path, method in public:
        assert "security" not in paths[path][method], path
    declared = {(p, m) for p, ops in paths.items() for m, op in ops.items() if "security" in op}
    assert len(declared) >= 30, "every cooking, failure, profile and voice operation needs an actor"
