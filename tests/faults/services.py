"""Private PostgreSQL and Redis servers the fault suite may stop, crash and stall (never the shared ones).

PostgreSQL: a cluster made by the machine's `initdb` in a temporary folder, on a free loopback port, with
fsync and synchronous_commit at their defaults (on), so a crash loses exactly what PostgreSQL itself would
lose. As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
Redis: `redis-server` on a free port with persistence off; SIGSTOP stalls it, SIGCONT wakes it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_VERSION_PREFERRED = "15"
START_TIMEOUT_SECONDS = 30


class MissingBinaryError(RuntimeError):
    """A server binary the suite needs is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(
    port: int, *, timeout: float = START_TIMEOUT_SECONDS, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def pg_bindir() -> Path:
    """The PostgreSQL binaries: CHEFMENTOR_PG_BINDIR if set, else /usr/lib/postgresql/<15 or newest>/bin, else PATH."""
    override = os.environ.get("CHEFMENTOR_PG_BINDIR")
    if override:
        candidates = [override]
    else:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
        candidates = [p for p in found if Path(p).parent.name == PG_VERSION_PREFERRED] + found[::-1]
        on_path = shutil.which("pg_ctl")
        if on_path:
            candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    searched = candidates or ["any PostgreSQL folder"]
    raise MissingBinaryError(f"initdb/pg_ctl not found in {searched} (install postgresql-15)")


class PrivatePostgres:
    """One throwaway cluster: start, stop (-m fast), crash (-m immediate), restart; trust auth for `postgres`."""

    def __init__(self, root: Path | None = None) -> None:
        self.bindir = pg_bindir()
        self.root = root or Path(tempfile.mkdtemp(prefix="cmx-faults-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"{args[0]} {args[1:]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        os.chmod(self.root, 0o700)
        # --no-sync concerns initdb's own files only; the running server keeps fsync=on.
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "max_connections": "200",
            "shared_buffers": "32MB",
            "fsync": "on",
            "synchronous_commit": "on",
            "full_page_writes": "on",
            "log_min_messages": "warning",
        }
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# cmx fault suite\n" + "".join(f"{key} = {value}\n" for key, value in settings.items()))

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_TIMEOUT_SECONDS), "start")

    def stop(self, mode: str = "fast") -> None:
        """mode fast: clean shutdown (sessions ended, checkpoint); immediate: a crash, recovery at next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(START_TIMEOUT_SECONDS), "stop")

    def crash(self) -> None:
        self.stop("immediate")

    def restart(self, mode: str = "fast") -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-m",
            mode,
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "restart",
        )

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def destroy(self) -> None:
        if self.data.exists() and self.running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def redis_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").is_file() else None
    )
    if not found:
        raise MissingBinaryError("redis-server not found (install redis-server)")
    return found


class PrivateRedis:
    """A redis-server without persistence on a free port; stop/start keep the port, stall/resume use signals."""

    def __init__(self, root: Path | None = None) -> None:
        self.binary = redis_binary()
        self.root = root or Path(tempfile.mkdtemp(prefix="cmx-faults-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.stalled = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.root), "--logfile", str(self.root / "redis.log"), "--protected-mode", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.stalled:
            self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def stall(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.stalled = True

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)
        self.stalled = False

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
