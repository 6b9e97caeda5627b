"""The offline diagnosis engine: a knowledge base of cooking failures scored against notes, session and photo."""

from chefmentor.ai.local.engine import ENGINE_VERSION, LocalDiagnoser

__all__ = ["ENGINE_VERSION", "LocalDiagnoser"]
