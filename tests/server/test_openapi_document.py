"""The OpenAPI document as the mobile app's contract: what client generators need to produce working clients."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from chefmentor.config import Settings
from server.app import create_app
from server.errors import STATUS_BY_CODE
from server.openapi import MAX_OPERATION_ID
from server.openapi_links import LINKS

API_PREFIX = "/api/"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.conftest import make_settings

    home = tmp_path_factory.mktemp("openapi")
    settings: Settings = make_settings(home, f"sqlite+aiosqlite:///{home / 'unused.db'}")
    schema: dict[str, Any] = create_app(settings).openapi()
    return schema


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return resolved


def test_operation_ids_are_short_unique_and_snake_case(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in _operations(document)]
    duplicates = [name for name, count in Counter(ids).items() if count > 1]
    assert not duplicates
    assert all(len(name) <= MAX_OPERATION_ID for name in ids), max(ids, key=len)
    assert all(name.replace("_", "").isalnum() and name == name.lower() for name in ids)
    assert {"cooking_start", "cooking_step_event", "failure_analyze", "demo_start", "profile_get"} <= set(ids)


def test_error_responses_are_per_operation_and_come_from_the_error_table(document: dict[str, Any]) -> None:
    enum = document["components"]["schemas"]["ErrorCode"]["enum"]
    assert set(enum) == set(STATUS_BY_CODE)
    detail = document["components"]["schemas"]["ErrorDetail"]["properties"]["code"]
    assert detail["$ref"] == "#/components/schemas/ErrorCode"
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if status[0] not in "45" or "x-error-codes" not in response:
                continue
            codes = response["x-error-codes"]
            assert codes and all(STATUS_BY_CODE[code] == int(status) for code in codes), (path, method, status)
            media = response["content"]["application/json"]
            assert media["schema"] == {"$ref": "#/components/schemas/ErrorEnvelope"}
            assert set(media["examples"]) == set(codes)
    health = document["paths"]["/health"]["get"]["responses"]
    assert set(health) == {"200", "503"}, "no blanket list on routes that cannot give those errors"
    listing = document["paths"]["/api/cooking/sessions"]["get"]["responses"]
    assert "404" not in listing and "409" not in listing and "413" not in listing
    cooking = document["paths"]["/api/cooking/sessions/{session_id}/complete"]["post"]["responses"]
    assert cooking["404"]["x-error-codes"] == ["NOT_FOUND"] and cooking["409"]["x-error-codes"] == ["CONFLICT"]
    assert document["paths"]["/api/profile"]["put"]["responses"]["403"]["x-error-codes"] == ["DEMO_RESTRICTED"]
    assert "403" not in document["paths"]["/api/profile"]["get"]["responses"]


def test_multipart_uploads_are_binary_with_encoding_and_omittable_optional_parts(document: dict[str, Any]) -> None:
    uploads = 0
    for path, _method, op in _operations(document):
        media = op.get("requestBody", {}).get("content", {}).get("multipart/form-data")
        if media is None:
            continue
        uploads += 1
        form = _resolve(document, media["schema"])
        assert form["title"].endswith("Form") and not form["title"].startswith("Body_")
        for name, prop in form["properties"].items():
            assert "anyOf" not in prop and "contentMediaType" not in prop, (path, name)
            if prop.get("format") == "binary":
                assert prop["type"] == "string" and name in media["encoding"], (path, name)
        optional = set(form["properties"]) - set(form.get("required", []))
        assert all("null" not in str(form["properties"][name]) for name in optional)
    analyze = document["paths"]["/api/failure/analyze"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert analyze["encoding"]["file"]["contentType"] == "image/jpeg, image/png, video/mp4"
    assert uploads == 3


def test_media_and_audio_responses_are_typed_binary(document: dict[str, Any]) -> None:
    expected = {
        ("/media/{name}", "get"): {"image/jpeg", "image/png", "video/mp4"},
        ("/api/voice/speak", "post"): {"audio/wav"},
        ("/api/voice/audio/{audio_id}", "get"): {"audio/wav"},
    }
    for (path, method), media_types in expected.items():
        content = document["paths"][path][method]["responses"]["200"]["content"]
        assert set(content) == media_types, path
        assert all(entry["schema"] == {"type": "string", "format": "binary"} for entry in content.values())
    assert "stream" in document["paths"]["/api/voice/speak"]["post"]["responses"]["200"]["description"].lower()


def _response_schemas(document: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for _, _, op in _operations(document):
        for status, response in op["responses"].items():
            if status.startswith("2"):
                for media in response.get("content", {}).values():
                    ref = media.get("schema", {}).get("$ref") or media.get("schema", {}).get("items", {}).get("$ref")
                    if ref:
                        names.add(ref.rsplit("/", 1)[1])
    return names


def test_always_sent_response_fields_are_required(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    todo = list(_response_schemas(document))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        schema = schemas[name]
        if name == "VoiceSlots" or "properties" not in schema or name == "StepEventData":
            continue
        assert set(schema.get("required", [])) == set(schema["properties"]), name
        todo += [ref.rsplit("/", 1)[1] for ref in _refs(schema)]
    assert {"RecipeRead", "CookingSessionRead", "AnalysisRead", "ProfileRead"} <= seen


def _refs(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["$ref"]] if "$ref" in schema else []
        return own + [ref for value in schema.values() for ref in _refs(value)]
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    return []


def test_closed_sets_are_enums_named_once(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("DiagnosisCategory", "AnalysisStatus", "VoiceIntent", "ErrorCode", "Heat", "StepEventKind"):
        assert "enum" in schemas[name], name
    analysis = schemas["AnalysisRead"]["properties"]
    assert _refs(analysis["status"]) == ["#/components/schemas/AnalysisStatus"]
    assert _refs(analysis["category"]) == ["#/components/schemas/DiagnosisCategory"]
    assert _refs(schemas["VoiceCommandRead"]["properties"]["intent"]) == ["#/components/schemas/VoiceIntent"]
    assert _refs(schemas["VoiceCommandRead"]["properties"]["slots"]) == ["#/components/schemas/VoiceSlots"]
    data = schemas["StepEventCreate"]["properties"]["data"]
    assert "#/components/schemas/StepEventData" in _refs(data)
    assert {"heat", "text"} <= set(schemas["StepEventData"]["properties"])
    # One definition per enum: no component repeats another's values inline.
    enums = [tuple(s["enum"]) for s in schemas.values() if "enum" in s]
    assert len(enums) == len(set(enums))
    assert not [name for name in schemas if "Type0" in name or name.startswith("Body_")]


def test_every_request_body_and_main_response_has_an_example(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        media = op.get("requestBody", {}).get("content", {}).get("application/json")
        if media is not None:
            assert _resolve(document, media["schema"]).get("examples"), (path, method)
    schemas = document["components"]["schemas"]
    for name in ("RecipeRead", "CookingSessionRead", "AnalysisRead", "ProfileRead", "DemoStartResponse"):
        assert schemas[name].get("examples"), name


def test_links_lead_from_creates_to_reads_with_existing_operations(document: dict[str, Any]) -> None:
    ids = {op["operationId"] for _, _, op in _operations(document)}
    assert set(LINKS) <= ids
    linked = 0
    for _, _, op in _operations(document):
        for response in op["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in ids
                linked += 1
    start = document["paths"]["/api/cooking/start"]["post"]["responses"]["201"]["links"]
    assert start["RecordStepEvent"]["requestBody"]["sessionId"] == "$response.body#/id"
    analyze = document["paths"]["/api/failure/analyze"]["post"]["responses"]["201"]["links"]
    assert analyze["GetAnalysis"]["parameters"] == {"analysis_id": "$response.body#/id"}
    assert linked >= 30


async def test_docs_pages_load_every_asset_from_this_server(app: FastAPI, client: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        html = (await client.get(page)).text
        assert "cdn.jsdelivr" not in html and "fonts.googleapis" not in html and "https://" not in html
        assets = [part.split('"', 1)[0] for part in html.split('src="')[1:]]
        assets += [part.split('"', 1)[0] for part in html.split('href="')[1:]]
        assert assets
        for asset in assets:
            answer = await client.get(asset)
            assert answer.status_code == 200 and len(answer.content) > 1000, asset
    assert (await client.get("/docs/assets/../../etc/passwd")).status_code == 404
    assert (await client.get("/docs/assets/unknown.js")).status_code == 404
