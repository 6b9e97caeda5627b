"""Loopback stand-ins for Gemini generateContent, Groq chat completions and the Cloudinary upload API.

One ThreadingHTTPServer on 127.0.0.1 speaks all three wire formats. Each provider follows a script of
modes (`fake.script("gemini", "429", "ok")`); the last mode repeats. Modes: ok, 429, 500, 503, timeout,
malformed, fenced, think, blocked, blocked_output, truncated, decommissioned, badbody, badcategory, auth,
for Groq `no_json_schema` (the model refuses response_format json_schema with a 400), for Cloudinary `reject`
(400 "Invalid image file").
Groq with `response_format` json_schema answers strictly FROM THE SCHEMA IT IS SENT, as constrained decoding
does: only the schema's properties, each of the schema's type (enum values from the schema); a value from
`fake.answer` is used only where it fits the property's schema. In JSON mode it answers `fake.answer`.
Every request is recorded (path, headers, parsed body) so tests can assert what the real SDK sent.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import QuietHandler, serving

GEMINI_PATH = re.compile(r"^/(v1|v1beta|v1alpha)/models/(?P<model>[^:/]+):generateContent$")
GROQ_PATH = "/openai/v1/chat/completions"
CLOUDINARY_PATH = re.compile(r"^/v1_1/(?P<cloud>[^/]+)/(?P<kind>image|video|raw|auto)/(?P<action>upload|destroy)$")
RES_PATH = re.compile(r"^/res/(?P<key>.+)$")

DEFAULT_ANSWER: dict[str, Any] = {
    "category": "heat_too_high",
    "root_cause": "The pan was too hot, so the outside burnt before the inside cooked.",
    "explanation": "Charred edges are visible and the session shows high heat where medium was expected.",
    "evidence": ["black edges in the photo", "step 2 on high heat, recipe says medium"],
    "suspected_step": 2,
    "fix_now": "Trim the burnt parts and finish in a low oven.",
    "next_time": ["Use medium heat", "Preheat the pan for 2 minutes only"],
    "confidence": 0.82,
    "safety": [],
}


@dataclass
class Recorded:
    provider: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeProviders:
    base_url: str = ""
    answer: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_ANSWER))
    cloudinary_secret: str = "fake-cloudinary-secret"
    timeout_sleep: float = 30.0
    requests: list[Recorded] = field(default_factory=list)
    scripts: dict[str, list[str]] = field(default_factory=dict)
    stored: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def script(self, provider: str, *modes: str) -> None:
        with self._lock:
            self.scripts[provider] = list(modes) or ["ok"]

    def reset(self) -> None:
        with self._lock:
            self.scripts.clear()
            self.requests.clear()
            self.answer = dict(DEFAULT_ANSWER)

    def next_mode(self, provider: str) -> str:
        with self._lock:
            modes = self.scripts.get(provider) or ["ok"]
            return modes.pop(0) if len(modes) > 1 else modes[0]

    def calls(self, provider: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.provider == provider]

    def record(self, item: Recorded) -> None:
        with self._lock:
            self.requests.append(item)

    def wait_or_stop(self, seconds: float) -> None:
        self._stop.wait(seconds)


def _answer_text(fake: FakeProviders, mode: str) -> str:
    text = json.dumps(fake.answer)
    if mode == "malformed":
        return '{"category": "heat_too_high", "root_cause": "oops'
    if mode == "fenced":
        return f"```json\n{text}\n```"
    if mode == "think":
        return f"<think>The user wants JSON. Let me think about the pan.</think>\n{text}"
    if mode == "badcategory":
        return json.dumps({**fake.answer, "category": "aliens_ate_it"})
    if mode == "truncated":
        return text[: len(text) // 2]
    return text


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    allowed = kinds if isinstance(kinds, list) else [kinds]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "array": lambda v: isinstance(v, list) and all(_fits(item, schema.get("items") or {}) for item in v),
        "object": lambda v: isinstance(v, dict),
    }
    if "enum" in schema and value not in schema["enum"]:
        return False
    return any(checks.get(str(kind), lambda _v: False)(value) for kind in allowed)


_MISSING = object()


def answer_from_schema(schema: dict[str, Any], preferred: Any = _MISSING) -> Any:
    """A value generated from `schema` alone (preferring `preferred` where it fits), like constrained decoding."""
    if preferred is not _MISSING and schema.get("type") != "object" and _fits(preferred, schema):
        return preferred
    if "enum" in schema:
        return schema["enum"][0]
    kinds = schema.get("type")
    kind = next((k for k in kinds if k != "null"), "null") if isinstance(kinds, list) else kinds
    if kind == "object":
        given = preferred if isinstance(preferred, dict) else {}
        properties = schema.get("properties") or {}
        return {name: answer_from_schema(sub, given.get(name, _MISSING)) for name, sub in properties.items()}
    if kind == "array":
        return [answer_from_schema(schema.get("items") or {})]
    generated: dict[str, Any] = {"string": "schema value", "integer": 1, "number": 0.5, "boolean": False, "null": None}
    return generated.get(str(kind))


class _Handler(QuietHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
        if raw is None:
            self.send_json(status, body, headers=headers)
        else:
            self.send_bytes(status, raw, content_type="text/html", headers=headers)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        match = RES_PATH.match(self.path)
        fake = self.server.fake
        if match and match["key"] in fake.stored:
            data = fake.stored[match["key"]]
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        raw = self._body()
        fake = self.server.fake
        headers = {k.lower(): v for k, v in self.headers.items()}
        if match := GEMINI_PATH.match(self.path.split("?")[0]):
            body = json.loads(raw or b"{}")
            fake.record(Recorded("gemini", "POST", self.path, headers, body))
            self._gemini(fake, match["model"], headers)
        elif self.path.split("?")[0] == GROQ_PATH:
            body = json.loads(raw or b"{}")
            fake.record(Recorded("groq", "POST", self.path, headers, body))
            self._groq(fake, body, headers)
        elif match := CLOUDINARY_PATH.match(self.path):
            fields, files = _parse_multipart(headers.get("content-type", ""), raw)
            fake.record(Recorded("cloudinary", "POST", self.path, headers, {"fields": fields, "files": files}))
            self._cloudinary(fake, match["cloud"], match["kind"], match["action"], fields, files)
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def _gemini(self, fake: FakeProviders, model: str, headers: dict[str, str]) -> None:
        mode = fake.next_mode("gemini")
        if not headers.get("x-goog-api-key"):
            self._send(403, {"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "no key"}})
            return
        errors = {
            "429": (429, "RESOURCE_EXHAUSTED", "You exceeded your current quota. Please retry in 1.5s."),
            "429long": (429, "RESOURCE_EXHAUSTED", "You exceeded your current quota. Please retry in 47.17s."),
            "500": (500, "INTERNAL", "An internal error has occurred."),
            "503": (503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
            "auth": (400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."),
            "decommissioned": (404, "NOT_FOUND", f"models/{model} is not found for API version v1beta"),
        }
        if mode in errors:
            status, state, message = errors[mode]
            details: list[dict[str, Any]] = []
            if status == 429:
                delay = "47s" if mode == "429long" else "1.5s"
                details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay})
            if mode == "auth":
                details.append({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"})
            self._send(status, {"error": {"code": status, "status": state, "message": message, "details": details}})
            return
        if mode == "timeout":
            fake.wait_or_stop(fake.timeout_sleep)
            self._send(200, {"candidates": []})
            return
        if mode == "badbody":
            self._send(200, None, raw=b"<html>gateway</html>")
            return
        usage = {"promptTokenCount": 300, "candidatesTokenCount": 80, "totalTokenCount": 400}
        if mode == "blocked":
            self._send(200, {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": usage})
            return
        if mode == "blocked_output":
            self._send(200, {"candidates": [{"finishReason": "SAFETY", "index": 0}], "usageMetadata": usage})
            return
        finish = "MAX_TOKENS" if mode == "truncated" else "STOP"
        candidate = {
            "content": {"parts": [{"text": _answer_text(fake, mode)}], "role": "model"},
            "finishReason": finish,
            "index": 0,
        }
        self._send(200, {"candidates": [candidate], "usageMetadata": usage, "modelVersion": model})

    def _groq(self, fake: FakeProviders, body: dict[str, Any], headers: dict[str, str]) -> None:
        mode = fake.next_mode("groq")
        model = str(body.get("model", ""))
        if not headers.get("authorization", "").startswith("Bearer "):
            self._send(401, {"error": {"message": "Invalid API Key", "type": "invalid_request_error"}})
            return
        if mode == "429":
            message = "Rate limit reached for model on tokens per minute (TPM). Please try again in 1.2s."
            error = {"message": message, "type": "tokens", "code": "rate_limit_exceeded"}
            self._send(429, {"error": error}, {"retry-after": "1"})
            return
        if mode in ("500", "503"):
            self._send(int(mode), {"error": {"message": "over capacity", "type": "internal_server_error"}})
            return
        if mode == "auth":
            self._send(401, {"error": {"message": "Invalid API Key", "type": "invalid_request_error"}})
            return
        if mode == "decommissioned":
            message = f"The model `{model}` has been decommissioned and is no longer supported."
            error = {"message": message, "type": "invalid_request_error", "code": "model_decommissioned"}
            self._send(400, {"error": error})
            return
        if mode == "timeout":
            fake.wait_or_stop(fake.timeout_sleep)
            self._send(500, {"error": {"message": "late"}})
            return
        if mode == "badbody":
            self._send(200, None, raw=b"<html>gateway</html>")
            return
        response_format = body.get("response_format") or {}
        schema_format = response_format.get("json_schema") if response_format.get("type") == "json_schema" else None
        if mode == "no_json_schema" and schema_format is not None:
            message = "This model does not support response format `json_schema`. See supported models."
            self._send(400, {"error": {"message": message, "type": "invalid_request_error"}})
            return
        finish = {"truncated": "length", "blocked": "content_filter"}.get(mode, "stop")
        if isinstance(schema_format, dict) and mode in ("ok", "no_json_schema"):
            content = json.dumps(answer_from_schema(schema_format.get("schema") or {}, fake.answer))
        else:
            content = _answer_text(fake, mode)
        message = {"role": "assistant", "content": content}
        completion = {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "usage": {"prompt_tokens": 900, "completion_tokens": 120, "total_tokens": 1020},
        }
        self._send(200, completion, {"x-request-id": "req_fake"})

    def _cloudinary(
        self,
        fake: FakeProviders,
        cloud: str,
        kind: str,
        action: str,
        fields: dict[str, str],
        files: dict[str, bytes],
    ) -> None:
        mode = fake.next_mode("cloudinary")
        if mode == "timeout":
            fake.wait_or_stop(fake.timeout_sleep)
        if mode in ("500", "503"):
            self._send(int(mode), {"error": {"message": "General Error"}})
            return
        if mode in ("420", "429"):
            self._send(int(mode), {"error": {"message": "Rate Limit Exceeded"}}, {"Retry-After": "2"})
            return
        if mode == "badbody":
            self._send(502, None, raw=b"<html>Bad Gateway</html>")
            return
        if mode == "reject":
            self._send(400, {"error": {"message": "Invalid image file (asset dishes/secret-folder rejected)"}})
            return
        signed = {k: v for k, v in fields.items() if k not in ("file", "api_key", "signature", "resource_type")}
        to_sign = "&".join(f"{k}={v.replace('&', '%26')}" for k, v in sorted(signed.items()))
        expected = hashlib.sha1((to_sign + fake.cloudinary_secret).encode()).hexdigest()  # noqa: S324
        if fields.get("signature") != expected:
            self._send(401, {"error": {"message": f"Invalid Signature {fields.get('signature')}"}})
            return
        if action == "destroy":
            self._send(200, {"result": "ok"})
            return
        data = files.get("file", b"")
        if not data:
            self._send(400, {"error": {"message": "Missing required parameter - file"}})
            return
        fmt = {"image": "jpg", "video": "mp4"}.get(kind, "bin")
        folder = fields.get("folder", "")
        public_id = f"{folder}/{uuid.uuid4().hex[:20]}" if folder else uuid.uuid4().hex[:20]
        version = int(time.time())
        key = f"{cloud}/{kind}/upload/v{version}/{public_id}.{fmt}"
        fake.stored[key] = data
        self._send(
            200,
            {
                "public_id": public_id,
                "version": version,
                "resource_type": kind,
                "format": fmt,
                "bytes": len(data),
                "type": "upload",
                "secure_url": f"{fake.base_url}/res/{key}",
                "url": f"{fake.base_url}/res/{key}",
            },
            {"X-Request-Id": "cld-fake"},
        )


def _parse_multipart(content_type: str, raw: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    if "multipart/form-data" not in content_type:
        return {}, {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[str(name)] = payload
        else:
            fields[str(name)] = payload.decode()
    return fields, files


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeProviders) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@contextmanager
def serve_fake_providers() -> Iterator[FakeProviders]:
    fake = FakeProviders()
    with serving(_Server(fake), name="fake-providers") as fake.base_url:
        try:
            yield fake
        finally:
            fake._stop.set()  # before the shutdown: releases handlers stalled in a "timeout" mode
