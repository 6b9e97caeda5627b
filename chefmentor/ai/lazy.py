"""A provider built on first use, so wiring the chain never imports an SDK (fast CLI start)."""

from __future__ import annotations

import importlib

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.types import Diagnoser, Diagnosis, DiagnosisRequest
from chefmentor.config import Settings


def create_provider(name: str, settings: Settings) -> Diagnoser:
    if name == "gemini":
        from chefmentor.ai.gemini import GeminiDiagnoser

        return GeminiDiagnoser(settings)
    if name == "groq":
        from chefmentor.ai.groq import GroqDiagnoser

        return GroqDiagnoser(settings)
    if name == "local":
        local = importlib.import_module("chefmentor.ai.local")
        diagnoser: Diagnoser = local.LocalDiagnoser(settings)
        return diagnoser
    raise ValueError(f"unknown diagnosis provider {name!r}")


def _configured_model(name: str, settings: Settings) -> str:
    if name == "gemini":
        return settings.ai.gemini_model
    if name == "groq":
        return settings.ai.groq_model
    return name


class LazyProvider:
    accepts_images = True

    def __init__(self, name: str, settings: Settings) -> None:
        self.name = name
        self.model = _configured_model(name, settings)
        self._settings = settings
        self._instance: Diagnoser | None = None

    @property
    def instance(self) -> Diagnoser:
        if self._instance is None:
            try:
                self._instance = create_provider(self.name, self._settings)
            except (ImportError, AttributeError) as exc:
                message = f"the {self.name} provider is not installed: {exc}"
                raise ProviderError(ProviderErrorCode.UNAVAILABLE, message, provider=self.name) from exc
            self.model = self._instance.model
        return self._instance

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        return await self.instance.diagnose(request)
