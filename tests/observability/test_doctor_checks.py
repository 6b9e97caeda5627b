"""`chefmentor doctor` reports jobs, Sentry, PostHog, metrics and RecipeDB/FlavorDB states."""

from __future__ import annotations

from pydantic import SecretStr

from chefmentor.doctor import check_analytics, check_error_tracking, check_production, check_recipe_data
from tests.fakes.foodoscope import VALID_KEY, serve_foodoscope


def _with(settings, section: str, **values):
    return settings.model_copy(update={section: getattr(settings, section).model_copy(update=values)})


async def test_everything_off_by_default(app_ctx) -> None:
    results = {r.name: r for r in await check_production(app_ctx)}
    assert results["jobs"].status == "ok" and "in-process" in results["jobs"].detail
    assert results["sentry"].status == "off" and results["posthog"].status == "off"
    assert results["recipedb"].status == "off" and "FOODOSCOPE_API_KEY" in results["recipedb"].detail


def test_sentry_and_posthog_states(settings) -> None:
    good = _with(settings, "observability", sentry_dsn=SecretStr("https://key@o1.ingest.example/42"))
    assert check_error_tracking(good).status == "ok"
    bad = _with(settings, "observability", sentry_dsn=SecretStr("not a dsn"))
    assert check_error_tracking(bad).status == "fail"
    keyed = _with(settings, "observability", posthog_api_key=SecretStr("phc_1"))
    assert check_analytics(keyed).status == "ok"


async def test_recipe_data_probe_reports_a_bad_key(make_ctx, settings) -> None:
    with serve_foodoscope() as fake:
        for key, expected in ((VALID_KEY, "ok"), ("wrong", "fail")):
            tuned = _with(settings, "recipe_data", base_url=fake.base_url, api_key=SecretStr(key), timeout_seconds=2)
            async with make_ctx(tuned) as ctx:
                result = await check_recipe_data(ctx)
            assert result.status == expected, result
        assert "FOODOSCOPE_API_KEY" in result.detail
