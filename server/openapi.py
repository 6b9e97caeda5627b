"""The OpenAPI document as the mobile app's contract: what FastAPI generates, finished for client generators.

FastAPI writes the document from the routes (operationIds, models, security from the bearer dependency,
route-declared error codes, upload encodings). `finish_document` then does what only the whole document can:
- error responses per operation from the one error table (server.openapi_errors);
- multipart bodies as generators read them: files as `format: binary` (OpenAPI 3.1 `contentMediaType` alone
  makes them strings), optional fields as plain optional properties (a multipart part cannot be null), the
  body schema named after its operation, and an `encoding` for every file part;
- binary responses (media, audio) typed as `format: binary` instead of an empty schema;
- `links` from create/list operations to the operations that use their ids (server.openapi_links);
- examples for the main responses whose models carry none (server.openapi_examples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI

from server.openapi_errors import finish_error_responses
from server.openapi_examples import add_examples
from server.openapi_links import add_links

MULTIPART = "multipart/form-data"
BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
SCHEMA_PREFIX = "#/components/schemas/"
MAX_OPERATION_ID = 40
COMPONENT_KEY = "x-component"


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            yield path, method, operation


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_") if part)


def upload_encoding(**accepted: Iterable[str]) -> dict[str, Any]:
    """`openapi_extra` declaring the media types each file part of a multipart body accepts."""
    encoding = {field: {"contentType": ", ".join(types)} for field, types in accepted.items()}
    return {"requestBody": {"content": {MULTIPART: {"encoding": encoding}}}}


def binary_response(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a 200 answered with a file (media, audio): typed as binary for client generators."""
    return {200: {"description": description, "content": {media: {"schema": dict(BINARY)} for media in media_types}}}


def _is_file(schema: dict[str, Any]) -> bool:
    return "contentMediaType" in schema or schema.get("format") == "binary"


def _form_property(schema: dict[str, Any]) -> dict[str, Any]:
    """One multipart part: a file as binary; `X | null` as X (omitting the part is how a client sends null)."""
    options = schema.get("anyOf")
    plain = dict(schema)
    if options:
        kept = [option for option in options if option.get("type") != "null"]
        if len(kept) == 1:
            plain = {**{k: v for k, v in schema.items() if k not in ("anyOf", "default")}, **kept[0]}
        if plain.get("default", "") is None:
            plain.pop("default")
    if _is_file(plain):
        plain = {**BINARY, **{k: v for k, v in plain.items() if k == "description"}}
    plain.pop("title", None)
    return plain


def finish_multipart(document: dict[str, Any]) -> None:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    for _path, _method, operation in operations(document):
        media = operation.get("requestBody", {}).get("content", {}).get(MULTIPART)
        if media is None or "$ref" not in media.get("schema", {}):
            continue
        old_name = media["schema"]["$ref"].removeprefix(SCHEMA_PREFIX)
        body = schemas.pop(old_name, None)
        if body is None:
            continue
        name = f"{pascal(operation.get('operationId', old_name))}Form"
        properties = {key: _form_property(value) for key, value in body.get("properties", {}).items()}
        body = {**body, "title": name, "properties": properties}
        schemas[name] = body
        media["schema"] = {"$ref": SCHEMA_PREFIX + name}
        encoding = media.setdefault("encoding", {})
        for key, value in properties.items():
            if value.get("format") == "binary":
                encoding.setdefault(key, {"contentType": "application/octet-stream"})


def finish_binary_responses(document: dict[str, Any]) -> None:
    for _path, _method, operation in operations(document):
        for response in operation.get("responses", {}).values():
            content: dict[str, Any] = response.get("content", {})
            binary = [media for media in content if not media.endswith("json")]
            if not binary:
                continue
            if content.get("application/json", {}).get("schema") in (None, {}):
                content.pop("application/json", None)
            for media in binary:
                if not content[media].get("schema"):
                    content[media]["schema"] = dict(BINARY)


def _hoist(schema: Any, schemas: dict[str, Any]) -> Any:
    """A schema written inline that names its component (`x-component`, e.g. StepEventData) becomes a $ref."""
    if isinstance(schema, list):
        return [_hoist(item, schemas) for item in schema]
    if not isinstance(schema, dict):
        return schema
    name = schema.get(COMPONENT_KEY)
    if isinstance(name, str):
        if name not in schemas:
            body = {key: _hoist(value, schemas) for key, value in schema.items() if key != COMPONENT_KEY}
            schemas[name] = {**body, "title": name}
        return {"$ref": SCHEMA_PREFIX + name}
    return {key: _hoist(value, schemas) for key, value in schema.items()}


def hoist_inline_objects(document: dict[str, Any]) -> None:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    for name in list(schemas):
        component = schemas[name]
        component["properties"] = _hoist(component.get("properties", {}), schemas)


def finish_document(document: dict[str, Any]) -> dict[str, Any]:
    hoist_inline_objects(document)
    finish_error_responses(document)
    finish_multipart(document)
    finish_binary_responses(document)
    add_links(document)
    add_examples(document)
    return document


def install(app: FastAPI, *steps: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Serve the finished document at app.openapi_url (built once, on first request)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for step in steps:
                document = step(document)
            app.openapi_schema = finish_document(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
