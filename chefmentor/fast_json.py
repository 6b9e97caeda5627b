"""Pre-serialised JSON for models that never change once built, spliced into responses as is.

A step event answers with two recipe steps (the current and the next one) from the shared, parsed-once
recipe (recipes/service.get_recipe_shared). pydantic serialised both again on every event. Shared models
are serialised once here; `fragment()` returns that JSON for a shared model and serialises any other.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from pydantic import BaseModel

from chefmentor.cache import BoundedMemo

# Keyed by id(): each entry holds its model, so the id cannot be reused while the entry lives.
SHARED_SIZE = 4096
_shared: BoundedMemo[int, tuple[BaseModel, orjson.Fragment]] = BoundedMemo(SHARED_SIZE)


def share(models: Iterable[BaseModel]) -> None:
    """Serialise models that callers promise never to change again (shared, parsed-once documents)."""
    for model in models:
        if _shared_json(model) is None:
            _shared.put(id(model), (model, _serialise(model)))


def fragment(model: BaseModel) -> orjson.Fragment:
    """The model's camelCase JSON, as `model_dump_json(by_alias=True)` gives it."""
    shared = _shared_json(model)
    return _serialise(model) if shared is None else shared


def _shared_json(model: BaseModel) -> orjson.Fragment | None:
    held = _shared.peek(id(model))
    return held[1] if held is not None and held[0] is model else None


def _serialise(model: BaseModel) -> orjson.Fragment:
    return orjson.Fragment(model.model_dump_json(by_alias=True))
