"""The bearer scheme is declared in OpenAPI on exactly the operations that require an actor."""

from __future__ import annotations

from chefmentor.config import Settings
from server.app import create_app


def test_protected_operations_declare_bearer_and_public_ones_do_not(settings: Settings) -> None:
    schema = create_app(settings).openapi()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Access token from POST /api/auth/google, or a demo token from POST /api/demo/start",
    }
    paths = schema["paths"]
    protected = [("/api/cooking/step-event", "post"), ("/api/profile", "put"), ("/api/failure/analyses", "get")]
    public = [("/api/recipes", "get"), ("/api/demo/start", "post"), ("/health", "get"), ("/api/auth/google", "post")]
    for path, method in protected:
        assert paths[path][method]["security"] == [{"bearer": []}], path
    for path, method in public:
        assert "security" not in paths[path][method], path
    declared = {(p, m) for p, ops in paths.items() for m, op in ops.items() if "security" in op}
    assert len(declared) >= 25, "every cooking, failure, profile and voice operation needs an actor"
