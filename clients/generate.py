"""Generate the TypeScript and Python clients from the server's OpenAPI document, with tools nobody here wrote.

    python clients/generate.py [--url http://127.0.0.1:8000 | --file openapi.json] [ts|python|all]

Without --url or --file the document comes from the app itself (server.app.create_app, nothing started).
- ts: `npm ci` in clients/ts when its lock file changed, openapi-typescript → clients/ts/src/schema.d.ts,
  then `tsc --strict` compiles the example flow (clients/ts/src/flow.ts) into clients/ts/dist/.
- python: openapi-python-client (pinned in clients/python/generator-requirements.txt, in its own venv at
  clients/python/.generator-venv because it needs an older typer than the project) → clients/python/build/.
Run the flows with `node clients/ts/dist/flow.js URL PHOTO` and
`PYTHONPATH=clients/python/build clients/python/.generator-venv/bin/python clients/python/flow.py URL PHOTO`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

CLIENTS = Path(__file__).resolve().parent
TS = CLIENTS / "ts"
PY = CLIENTS / "python"
DOCUMENT = CLIENTS / "openapi.json"
GENERATOR_VENV = PY / ".generator-venv"
PYTHON_BUILD = PY / "build"
REQUIREMENTS = PY / "generator-requirements.txt"


def run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True)  # noqa: S603 - fixed tools, no shell


def export_document(*, url: str | None = None, source: Path | None = None, target: Path = DOCUMENT) -> Path:
    if url:
        with urllib.request.urlopen(f"{url.rstrip('/')}/openapi.json", timeout=30) as answer:  # noqa: S310
            document = json.load(answer)
    elif source:
        document = json.loads(source.read_text())
    else:
        sys.path.insert(0, str(CLIENTS.parent))
        from server.app import create_app

        document = create_app().openapi()
    target.write_text(json.dumps(document, indent=1))
    return target


def _stamp(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_node_modules() -> None:
    """`npm ci` (the committed lock file, nothing resolved anew) unless node_modules already matches it."""
    marker = TS / "node_modules" / ".chefmentor-lock"
    lock = TS / "package-lock.json"
    if marker.is_file() and marker.read_text() == _stamp(lock):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Node.js 20 with npm is needed for the TypeScript client)")
    run([npm, "ci", "--no-audit", "--no-fund"], TS)
    marker.write_text(_stamp(lock))


def typescript(document: Path = DOCUMENT) -> Path:
    ensure_node_modules()
    node = shutil.which("node") or "node"
    run([node, "generate.mjs", str(document)], TS)
    run([node, str(TS / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "tsconfig.json"], TS)
    return TS / "dist" / "flow.js"


def generator_python() -> Path:
    """The venv with openapi-python-client, (re)built when its pinned requirements change."""
    python = GENERATOR_VENV / "bin" / "python"
    marker = GENERATOR_VENV / ".chefmentor-requirements"
    if not (python.is_file() and marker.is_file() and marker.read_text() == _stamp(REQUIREMENTS)):
        run([sys.executable, "-m", "venv", "--clear", str(GENERATOR_VENV)], PY)
        run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], PY)
        marker.write_text(_stamp(REQUIREMENTS))
    return python


def python_client(document: Path = DOCUMENT) -> Path:
    python = generator_python()
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(python.parent / "openapi-python-client"), "generate", "--path", str(document)]
    command += ["--config", "config.yml", "--output-path", str(PYTHON_BUILD / "chefmentor_client")]
    command += ["--meta", "none", "--overwrite"]
    subprocess.run(command, cwd=PY, check=True, env=env)  # noqa: S603
    return PYTHON_BUILD


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="?", choices=["ts", "python", "all"], default="all")
    parser.add_argument("--url", help="a running server to read /openapi.json from")
    parser.add_argument("--file", type=Path, help="an OpenAPI document on disk")
    args = parser.parse_args()
    document = export_document(url=args.url, source=args.file)
    if args.which in ("ts", "all"):
        print(f"TypeScript flow compiled: {typescript(document)}")  # noqa: T201
    if args.which in ("python", "all"):
        print(f"Python client generated in {python_client(document)}")  # noqa: T201


if __name__ == "__main__":
    main()
