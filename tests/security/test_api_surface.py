"""Every route, from the OpenAPI document: object-level authorization, mass assignment, bounded inputs, pagination.

The structural checks walk the whole document, so a route added later is held to the same rules.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.media.builders import jpeg
from tests.security.conftest import error_of, start_demo

UNBOUNDED_FORMATS = frozenset({"uuid", "date-time", "date", "binary"})
PAGE_PARAMS = frozenset({"limit", "pageSize", "perPage"})


class SchemaWalker:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.components = spec.get("components", {}).get("schemas", {})
        self.problems: list[str] = []

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def walk(
        self, schema: dict[str, Any], where: str, *, closed_objects: bool, seen: frozenset[str] = frozenset()
    ) -> None:
        ref = schema.get("$ref", "")
        if ref in seen:
            return
        seen = seen | {ref}
        resolved = self.resolve(schema)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in resolved.get(key, []):
                self.walk(sub, where, closed_objects=closed_objects, seen=seen)
        kind = resolved.get("type")
        if "enum" in resolved or "const" in resolved:
            return
        if kind == "object" or resolved.get("properties"):
            extra = resolved.get("additionalProperties", True)
            if closed_objects and extra is True:
                self.problems.append(f"{where}: accepts unknown fields")
            if isinstance(extra, dict):  # an open bag must bound what it holds
                self.walk(extra, f"{where}.*", closed_objects=closed_objects, seen=seen)
            for name, sub in resolved.get("properties", {}).items():
                self.walk(sub, f"{where}.{name}", closed_objects=closed_objects, seen=seen)
        if kind == "string" and "maxLength" not in resolved and resolved.get("format") not in UNBOUNDED_FORMATS:
            self.problems.append(f"{where}: string without maxLength")
        if kind == "array":
            if "maxItems" not in resolved:
                self.problems.append(f"{where}: array without maxItems")
            self.walk(resolved.get("items", {}), f"{where}[]", closed_objects=closed_objects, seen=seen)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


async def test_request_bodies_refuse_unknown_fields_and_bound_every_string_and_list(
    sec_client: httpx.AsyncClient,
) -> None:
    """API3:2023 Broken Object Property Level Authorization (mass assignment) and API4:2023 (size limits)."""
    spec = (await sec_client.get("/openapi.json")).json()
    walker = SchemaWalker(spec)
    for method, path, op in _operations(spec):
        for media_type, content in op.get("requestBody", {}).get("content", {}).items():
            # Form bodies bind named fields only, so unknown parts cannot be assigned; sizes still count.
            walker.walk(
                content["schema"], f"{method} {path} ({media_type})", closed_objects=media_type == "application/json"
            )
        for param in op.get("parameters", []):
            walker.walk(param.get("schema", {}), f"{method} {path} ?{param['name']}", closed_objects=True)
    assert walker.problems == []


async def test_pagination_is_bounded_on_every_list(sec_client: httpx.AsyncClient) -> None:
    """API4:2023 Unrestricted Resource Consumption: "Number of records per page"."""
    spec = (await sec_client.get("/openapi.json")).json()
    walker = SchemaWalker(spec)
    paged = [
        (path, walker.resolve(param.get("schema", {})))
        for method, path, op in _operations(spec)
        for param in op.get("parameters", [])
        if param["name"] in PAGE_PARAMS and param.get("in") == "query"
    ]
    assert paged, "the API has list routes"
    unbounded = [path for path, schema in paged if "maximum" not in schema]
    assert unbounded == []
    _, headers = await start_demo(sec_client)
    response = await sec_client.get("/api/failure/analyses", params={"limit": 10**6}, headers=headers)
    assert error_of(response)[:2] == (422, "VALIDATION_ERROR")


async def test_extra_fields_are_refused_not_ignored(sec_client: httpx.AsyncClient) -> None:
    """API3:2023 Broken Object Property Level Authorization: a client cannot set fields it does not own."""
    _, headers = await start_demo(sec_client)
    analysis = await sec_client.post(
        "/api/failure/analyze", files={"file": ("d.jpg", jpeg(), "image/jpeg")}, headers=headers
    )
    assert analysis.status_code == 201, analysis.text
    notes = f"/api/failure/analyses/{analysis.json()['id']}/notes"
    attempt = {"text": "mine", "rootCause": "overwritten", "userId": "00000000-0000-0000-0000-000000000000"}
    assert error_of(await sec_client.post(notes, json=attempt, headers=headers))[:2] == (422, "VALIDATION_ERROR")
    refresh = {"refreshToken": "x" * 40, "role": "admin"}
    assert error_of(await sec_client.post("/api/auth/refresh", json=refresh))[:2] == (422, "VALIDATION_ERROR")
    # The AI diagnosis stayed as it was.
    after = (await sec_client.get(notes.rsplit("/", 1)[0], headers=headers)).json()
    assert after["rootCause"] == analysis.json()["rootCause"]


async def test_other_actors_objects_are_404(sec_client: httpx.AsyncClient) -> None:
    """API1:2023 Broken Object Level Authorization: another actor's analysis, notes and retry answer 404."""
    _, owner = await start_demo(sec_client)
    _, intruder = await start_demo(sec_client)
    created = await sec_client.post(
        "/api/failure/analyze", files={"file": ("d.jpg", jpeg(), "image/jpeg")}, headers=owner
    )
    analysis_id = created.json()["id"]
    note = await sec_client.post(f"/api/failure/analyses/{analysis_id}/notes", json={"text": "salt"}, headers=owner)
    assert note.status_code == 201, note.text
    note_id = note.json()["id"]
    probes = [
        sec_client.get(f"/api/failure/analyses/{analysis_id}", headers=intruder),
        sec_client.post(f"/api/failure/analyses/{analysis_id}/notes", json={"text": "x"}, headers=intruder),
        sec_client.patch(f"/api/failure/analyses/{analysis_id}/notes/{note_id}", json={"text": "x"}, headers=intruder),
        sec_client.delete(f"/api/failure/analyses/{analysis_id}/notes/{note_id}", headers=intruder),
        sec_client.post(f"/api/failure/analyses/{analysis_id}/retry", headers=intruder),
    ]
    for probe in probes:
        assert error_of(await probe)[:2] == (404, "NOT_FOUND")
    listed = (await sec_client.get("/api/failure/analyses", headers=intruder)).json()
    assert analysis_id not in str(listed)
    # The owner's note is untouched.
    owned = (await sec_client.get(f"/api/failure/analyses/{analysis_id}", headers=owner)).json()
    assert [n["text"] for n in owned["notes"]] == ["salt"]


def test_the_walker_reports_what_it_should() -> None:
    """API3/API4:2023: the structural check itself notices open objects and unbounded strings and lists."""
    spec = {"components": {"schemas": {"Open": {"type": "object", "properties": {"s": {"type": "string"}}}}}}
    walker = SchemaWalker(spec)
    walker.walk({"$ref": "#/components/schemas/Open"}, "body", closed_objects=True)
    walker.walk({"type": "array", "items": {"type": "string", "maxLength": 3}}, "list", closed_objects=True)
    assert walker.problems == [
        "body: accepts unknown fields",
        "body.s: string without maxLength",
        "list: array without maxItems",
    ]
