"""Media stores: the local folder and Cloudinary (real SDK against the loopback fake)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chefmentor.errors import InvalidMediaError, NotFoundError
from chefmentor.media.store import (
    CloudinaryMediaStore,
    LocalMediaStore,
    MediaStoreUnavailableError,
    build_media_store,
    parse_cloudinary_url,
)
from tests.conftest import make_settings
from tests.fakes.providers import FakeProviders, serve_fake_providers
from tests.media.builders import jpeg, mp4


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeProviders]:
    with serve_fake_providers() as fake:
        fake.timeout_sleep = 5.0
        yield fake


@pytest.fixture
def fake(_server: FakeProviders) -> FakeProviders:
    _server.reset()
    return _server


def cloud_url(fake: FakeProviders, secret: str = "fake-cloudinary-secret") -> str:  # noqa: S107
    return f"cloudinary://123456789012345:{secret}@fake-cloud?upload_prefix={fake.base_url}"


async def test_local_store_uses_random_names_and_round_trips(tmp_path: Path) -> None:
    store = LocalMediaStore(tmp_path / "media")
    data = jpeg()
    first = await store.save(data, "image", "jpg")
    second = await store.save(data, "image", "jpg")
    assert first.url.startswith("/media/") and first.url.endswith(".jpg")
    assert first.url != second.url
    assert await store.load(first.url) == data
    assert store.path_for(first.key) == tmp_path / "media" / first.key
    await store.delete(first.url)
    with pytest.raises(NotFoundError):
        await store.load(first.url)


@pytest.mark.parametrize(
    "name", ["../secret.jpg", "..%2fsecret.jpg", "/etc/passwd", "a.jpg", "x" * 24 + ".exe", "x" * 24 + ".jpg/.."]
)
def test_local_store_resolves_generated_names_only(tmp_path: Path, name: str) -> None:
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    assert LocalMediaStore(tmp_path / "media").path_for(name) is None


async def test_local_store_refuses_other_extensions(tmp_path: Path) -> None:
    with pytest.raises(InvalidMediaError):
        await LocalMediaStore(tmp_path).save(b"x", "image", "php")


def test_cloudinary_url_parsing() -> None:
    options = parse_cloudinary_url("cloudinary://key:s%40cret@my-cloud?upload_prefix=http://127.0.0.1:9&secure=true")
    assert options == {
        "cloud_name": "my-cloud",
        "api_key": "key",
        "api_secret": "s@cret",
        "upload_prefix": "http://127.0.0.1:9",
        "secure": "true",
    }
    with pytest.raises(ValueError, match="cloudinary://"):
        parse_cloudinary_url("https://example.com")


async def test_cloudinary_signed_upload_and_download(tmp_path: Path, fake: FakeProviders) -> None:
    media = {"cloudinary_url": cloud_url(fake), "cloudinary_folder": "dishes"}
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/x.db", media=media)
    store = build_media_store(settings)
    assert isinstance(store, CloudinaryMediaStore)
    data = jpeg()
    stored = await store.save(data, "image", "jpg")
    assert stored.store == "cloudinary" and stored.key.startswith("dishes/")
    assert stored.url.startswith(fake.base_url + "/res/fake-cloud/image/upload/")
    [call] = fake.calls("cloudinary")
    assert call.path == "/v1_1/fake-cloud/image/upload"
    assert call.body["fields"]["folder"] == "dishes"
    assert call.body["files"]["file"] == data  # the fake verified the signature too
    assert await store.load(stored.url) == data
    await store.delete(stored.url)
    assert fake.calls("cloudinary")[-1].path == "/v1_1/fake-cloud/image/destroy"


async def test_cloudinary_video_goes_to_the_video_endpoint(tmp_path: Path, fake: FakeProviders) -> None:
    store = CloudinaryMediaStore.from_url(cloud_url(fake), folder="dishes")
    stored = await store.save(mp4(), "video", "mp4")
    assert "/video/upload/" in stored.url
    assert fake.calls("cloudinary")[0].path == "/v1_1/fake-cloud/video/upload"


@pytest.mark.parametrize("mode", ["500", "503", "420", "429", "badbody"])
async def test_cloudinary_failures_are_unavailable(fake: FakeProviders, mode: str) -> None:
    fake.script("cloudinary", mode)
    store = CloudinaryMediaStore.from_url(cloud_url(fake), folder="dishes")
    with pytest.raises(MediaStoreUnavailableError, match="Cloudinary"):
        await store.save(jpeg(), "image", "jpg")


async def test_cloudinary_bad_signature_is_unavailable(fake: FakeProviders) -> None:
    store = CloudinaryMediaStore.from_url(cloud_url(fake, secret="wrong"), folder="dishes")
    with pytest.raises(MediaStoreUnavailableError, match="Invalid Signature"):
        await store.save(jpeg(), "image", "jpg")


async def test_cloudinary_timeout_is_per_call(fake: FakeProviders) -> None:
    fake.script("cloudinary", "timeout")
    store = CloudinaryMediaStore(parse_cloudinary_url(cloud_url(fake)), folder="dishes", timeout=0.5)
    with pytest.raises(MediaStoreUnavailableError):
        await store.save(jpeg(), "image", "jpg")


async def test_cloudinary_never_fetches_foreign_urls(fake: FakeProviders) -> None:
    store = CloudinaryMediaStore.from_url(cloud_url(fake), folder="dishes")
    with pytest.raises(NotFoundError):
        await store.load("http://169.254.169.254/latest/meta-data")


def test_default_store_is_the_local_folder(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/x.db")
    store = build_media_store(settings)
    assert isinstance(store, LocalMediaStore) and store.root == settings.media_dir
