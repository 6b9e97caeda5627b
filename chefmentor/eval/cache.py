"""Record/replay cache for evaluation answers: reruns cost nothing and can run offline.

Key = provider + model + prompt version + case content hash. One JSON file per answer, written
atomically as soon as a case finishes, so an interrupted run resumes where it stopped. Failed
calls are never recorded: a rerun retries them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_key(*, provider: str, model: str, prompt_version: str, content_hash: str) -> str:
    raw = json.dumps([provider, model, prompt_version, content_hash])
    return hashlib.sha256(raw.encode()).hexdigest()


class EvalCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, record: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
