"""POST /api/failure/analyze, the retry route and /media over HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from chefmentor.context import AppContext
from chefmentor.failure.models import AnalysisStatus, FailureAnalysis
from server.app import create_app
from tests.media.builders import (
    jpeg,
    jpeg_with_gps_and_orientation,
    mp4_with_bad_box,
    mp4_with_bad_ftyp,
    png_bomb,
    windows_exe,
)
from tests.server.conftest import client_for, envelope_code, with_overrides
from tests.server.test_cooking_api import demo_headers, user_headers
from tests.services.analysis_helpers import ScriptedDiagnoser, chain, cooked_rice

MB = 1024 * 1024


def _files(data: bytes, name: str = "dish.jpg", content_type: str = "image/jpeg") -> dict[str, Any]:
    return {"file": (name, data, content_type)}


@pytest.fixture
def diag(ctx: AppContext) -> ScriptedDiagnoser:
    local = ScriptedDiagnoser()
    ctx.diagnoser = chain(local)
    return local


async def _rows(ctx: AppContext) -> list[FailureAnalysis]:
    async with ctx.session() as session:
        return list((await session.execute(select(FailureAnalysis))).scalars())


async def test_demo_upload_is_diagnosed_and_served_without_exif(
    client: httpx.AsyncClient, ctx: AppContext, diag: ScriptedDiagnoser
) -> None:
    headers = await demo_headers(client)
    response = await client.post(
        "/api/failure/analyze",
        files=_files(jpeg_with_gps_and_orientation()),
        data={"dish": "Seared chicken", "notes": "smoky and black outside"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "completed" and body["category"] == "cooked_too_short"
    assert body["rootCause"] and body["fixNow"] and body["nextTime"] and body["suspectedStep"] == 2
    assert body["attempts"][0]["provider"] == "local" and "latencyMs" in body["attempts"][0]
    assert body["dish"] == "Seared chicken" and body["mediaKind"] == "image"
    assert diag.requests[0].notes == "smoky and black outside"

    media = await client.get(body["mediaUrl"])
    assert media.status_code == 200 and media.headers["content-type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(media.content)).getexif()
    again = await client.get(f"/api/failure/analyses/{body['id']}", headers=headers)
    assert again.status_code == 200 and again.json()["category"] == "cooked_too_short"


async def test_session_telemetry_is_linked_and_ownership_enforced(
    client: httpx.AsyncClient, ctx: AppContext, diag: ScriptedDiagnoser
) -> None:
    from tests.services.owners import make_user

    owner = await make_user(ctx, "Owner")
    cook_id = await cooked_rice(ctx, owner)
    from datetime import UTC, datetime

    from chefmentor.auth.tokens import issue_access_token

    token = issue_access_token(ctx.settings, owner.id, now=datetime.now(UTC)).token  # type: ignore[arg-type]
    mine = {"Authorization": f"Bearer {token}"}
    ok = await client.post(
        "/api/failure/analyze", files=_files(jpeg()), data={"cookingSessionId": str(cook_id)}, headers=mine
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["cookingSessionId"] == str(cook_id)
    assert any(step.actual_minutes == 6.0 for step in diag.requests[0].steps)

    other = await user_headers(ctx, "Mallory")
    denied = await client.post(
        "/api/failure/analyze", files=_files(jpeg()), data={"cookingSessionId": str(cook_id)}, headers=other
    )
    assert denied.status_code == 404 and envelope_code(denied) == "NOT_FOUND"


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (windows_exe(), "dish.jpg", 415, "UNSUPPORTED_MEDIA"),
        (b"GIF89a" + b"\x00" * 100, "dish.png", 415, "UNSUPPORTED_MEDIA"),
        (jpeg(300, 200)[:500], "dish.jpg", 422, "INVALID_MEDIA"),
        (mp4_with_bad_box(), "clip.mp4", 422, "INVALID_MEDIA"),
        (mp4_with_bad_ftyp(), "clip.mp4", 422, "INVALID_MEDIA"),
        (png_bomb(20000), "dish.png", 422, "INVALID_MEDIA"),
    ],
)
async def test_bad_files_get_the_envelope_and_store_nothing(
    client: httpx.AsyncClient, ctx: AppContext, diag: ScriptedDiagnoser, data: bytes, name: str, status: int, code: str
) -> None:
    headers = await demo_headers(client)
    response = await client.post("/api/failure/analyze", files=_files(data, name), headers=headers)
    assert response.status_code == status and envelope_code(response) == code
    assert await _rows(ctx) == [] and diag.requests == []


async def test_25_mb_is_refused_with_the_envelope(
    client: httpx.AsyncClient, ctx: AppContext, diag: ScriptedDiagnoser
) -> None:
    headers = await demo_headers(client)
    big = jpeg() + b"\x00" * (25 * MB)
    response = await client.post("/api/failure/analyze", files=_files(big), headers=headers)
    assert response.status_code == 413 and envelope_code(response) == "PAYLOAD_TOO_LARGE"
    # Just over 20 MB of file inside a body that fits the route's framing allowance: the service refuses it.
    slightly = jpeg() + b"\x00" * (20 * MB + 10 * 1024)
    response = await client.post("/api/failure/analyze", files=_files(slightly), headers=headers)
    assert response.status_code == 413 and envelope_code(response) == "PAYLOAD_TOO_LARGE"
    assert await _rows(ctx) == []


async def test_an_anonymous_upload_needs_a_demo_or_login(client: httpx.AsyncClient, diag: ScriptedDiagnoser) -> None:
    response = await client.post("/api/failure/analyze", files=_files(jpeg()))
    assert response.status_code == 401 and envelope_code(response) == "UNAUTHORIZED"


async def test_pending_then_retry(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ctx.diagnoser = chain(ScriptedDiagnoser("gemini", fail=True), ScriptedDiagnoser("local", fail=True))
    headers = await demo_headers(client)
    response = await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)
    assert response.status_code == 201, response.text
    pending = response.json()
    assert pending["status"] == "pending" and pending["category"] is None
    assert [a["error"] for a in pending["attempts"]] == ["server_error", "server_error"]

    ctx.diagnoser = chain(ScriptedDiagnoser())
    other = await demo_headers(client)
    assert (await client.post(f"/api/failure/analyses/{pending['id']}/retry", headers=other)).status_code == 404
    done = await client.post(f"/api/failure/analyses/{pending['id']}/retry", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert len(done.json()["attempts"]) == 3
    conflict = await client.post(f"/api/failure/analyses/{pending['id']}/retry", headers=headers)
    assert conflict.status_code == 409 and envelope_code(conflict) == "CONFLICT"


async def test_503_only_when_no_local_engine(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ctx.diagnoser = chain(ScriptedDiagnoser("gemini", fail=True))
    headers = await demo_headers(client)
    response = await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)
    assert response.status_code == 503 and envelope_code(response) == "PROVIDER_UNAVAILABLE"
    [row] = await _rows(ctx)
    assert row.status == AnalysisStatus.PENDING  # the upload is still kept


@pytest.mark.parametrize(
    "path", ["/media/..%2F..%2Fchefmentor.db", "/media/chefmentor.db", "/media/" + "A" * 24 + ".jpg", "/media/%2e%2e"]
)
async def test_media_route_serves_generated_names_only(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404 and envelope_code(response) == "NOT_FOUND"


async def test_analyze_has_its_own_rate_limit(server_settings: Any) -> None:
    settings = with_overrides(server_settings, server={"rate_limit_analyze": "2/minute"})
    app = create_app(settings)
    async with client_for(app) as client:
        app.state.ctx.diagnoser = chain(ScriptedDiagnoser())
        headers = await demo_headers(client)
        statuses = [
            (await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)).status_code
            for _ in range(3)
        ]
        assert statuses == [201, 201, 429]


def test_openapi_documents_the_upload(app: Any) -> None:
    schema = app.openapi()
    operation = schema["paths"]["/api/failure/analyze"]["post"]
    assert {"201", "413", "415", "422", "503"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert {"file", "dish", "notes", "cookingSessionId"} <= set(schema["components"]["schemas"][ref]["properties"])
    assert "/api/failure/analyses/{analysis_id}/retry" in schema["paths"]


async def test_a_chunked_25_mb_body_is_cut_off_early(client: httpx.AsyncClient, diag: ScriptedDiagnoser) -> None:
    headers = await demo_headers(client)
    boundary = "cmxboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="dish.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + jpeg()
    sent: list[int] = []

    async def body() -> Any:
        yield head
        for _ in range(25 * 4):  # 25 MB in 256 KB pieces, no Content-Length
            sent.append(1)
            yield b"\x00" * (256 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await client.post(
        "/api/failure/analyze",
        content=body(),
        headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413 and envelope_code(response) == "PAYLOAD_TOO_LARGE"
    assert len(sent) < 25 * 4  # refused before the client finished sending
    assert diag.requests == []


async def test_the_real_chain_falls_back_from_gemini_to_the_local_engine(server_settings: Any) -> None:
    from pydantic import SecretStr

    from tests.fakes.providers import serve_fake_providers

    with serve_fake_providers() as fake:
        ai = {
            "providers": ["gemini", "local"],
            "gemini_api_key": SecretStr("fake-gemini-key"),
            "gemini_base_url": fake.base_url,
            "max_attempts": 1,
        }
        app = create_app(with_overrides(server_settings, ai=ai))
        async with client_for(app) as client:
            headers = await demo_headers(client)
            served = await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)
            assert served.status_code == 201, served.text
            assert (served.json()["provider"], served.json()["model"]) == ("gemini", "gemini-2.5-flash")

            fake.script("gemini", "503")
            notes = {"notes": "burnt black outside, raw in the middle, the pan was smoking"}
            fallback = await client.post("/api/failure/analyze", files=_files(jpeg()), data=notes, headers=headers)
            assert fallback.status_code == 201, fallback.text
            body = fallback.json()
            assert body["provider"] == "local" and body["status"] == "completed"
            assert [(a["provider"], a["ok"], a["error"]) for a in body["attempts"]] == [
                ("gemini", False, "server_error"),
                ("local", True, None),
            ]
            assert len(fake.calls("gemini")) == 2


async def test_cloudinary_store_keeps_only_the_url_and_its_outage_is_503(server_settings: Any) -> None:
    from pydantic import SecretStr

    from tests.fakes.providers import serve_fake_providers

    with serve_fake_providers() as fake:
        url = f"cloudinary://123456789012345:fake-cloudinary-secret@fake-cloud?upload_prefix={fake.base_url}"
        app = create_app(with_overrides(server_settings, media={"cloudinary_url": SecretStr(url)}))
        async with client_for(app) as client:
            app.state.ctx.diagnoser = chain(ScriptedDiagnoser())
            headers = await demo_headers(client)
            photo = _files(jpeg_with_gps_and_orientation())
            stored = await client.post("/api/failure/analyze", files=photo, headers=headers)
            assert stored.status_code == 201, stored.text
            media_url = stored.json()["mediaUrl"]
            assert media_url.startswith(f"{fake.base_url}/res/fake-cloud/image/upload/")
            uploaded = fake.calls("cloudinary")[0].body["files"]["file"]
            assert b"SpyCam" not in uploaded and uploaded.startswith(b"\xff\xd8\xff")  # the EXIF-free copy

            fake.script("cloudinary", "503")
            down = await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)
            assert down.status_code == 503 and envelope_code(down) == "SERVICE_UNAVAILABLE"
            assert len(await _rows(app.state.ctx)) == 1


async def test_a_file_of_exactly_20_mb_is_accepted(
    client: httpx.AsyncClient, ctx: AppContext, diag: ScriptedDiagnoser
) -> None:
    headers = await demo_headers(client)
    photo = jpeg()
    exactly = photo + b"\x00" * (ctx.settings.media.max_bytes - len(photo))  # padding after the JPEG's end marker
    response = await client.post(
        "/api/failure/analyze", files=_files(exactly), data={"notes": "n" * 2000}, headers=headers
    )
    assert response.status_code == 201, response.text


async def test_configured_without_any_usable_provider_is_503_with_the_fix(
    server_settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(with_overrides(server_settings, ai={"providers": ["groq"], "groq_api_key": None}))
    async with client_for(app) as client:
        headers = await demo_headers(client)
        response = await client.post("/api/failure/analyze", files=_files(jpeg()), headers=headers)
        assert response.status_code == 503 and envelope_code(response) == "PROVIDER_UNAVAILABLE"
        # The operator's fix goes to the log with the request id; the client gets the fixed sentence.
        assert "GROQ_API_KEY" not in response.json()["error"]["message"]
        assert "GROQ_API_KEY" in caplog.text and response.headers["x-request-id"] in caplog.text
        [row] = await _rows(app.state.ctx)
        assert row.status == AnalysisStatus.PENDING
