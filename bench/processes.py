"""The processes under test: gunicorn for the page scenarios, a Celery worker for the email ones.

Each starts in its own process group with the run's environment, logs to a temporary file (shown
when it fails to start) and is stopped on the way out, error or not.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from environment import BIN, ROOT
from pages import BARE_PATH, Client

# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[int]:
    """gunicorn serving config.wsgi on a free local port; stopped on the way out, error or not."""
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it also stops its workers
        )
        try:
            _wait_until_up(process, port, log)
            yield port
        finally:
            _stop(process, timeout=15)  # gunicorn stops its workers gracefully


def _wait_until_up(process: subprocess.Popen, port: int, log: IO[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if Client(port).get(BARE_PATH)[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    log.seek(0)
    sys.stderr.write(log.read()[-4000:])
    raise SystemExit("gunicorn did not answer on /health/ (its log is above).")


# --- The Celery worker -------------------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen
    log: IO[str]

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, found: Callable[[str], bool], what: str, timeout: float) -> str:
        """Wait until a line of the worker's log is `found`; returns it. Polled every 20 ms."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.output().splitlines():
                if found(line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        sys.stderr.write(self.output()[-4000:])
        raise SystemExit(f"The Celery worker did not log {what} (its log is above).")

    def wait_for_task_end(self, task: str, timeout: float) -> float:
        """Wait for the task named `task` to end; returns its run time as the worker logged it."""
        line = self.wait_for(
            lambda line: (
                f"{task}[" in line and any(end in line for end in (" succeeded in ", " raised ", " failed"))
            ),
            "the dispatch task's end",
            timeout,
        )
        if " succeeded in " not in line:
            sys.stderr.write(self.output()[-4000:])
            raise SystemExit("The dispatch task failed in the worker (its log is above).")
        return float(line.split(" succeeded in ")[1].split("s")[0])


@contextmanager
def celery_worker(env: dict[str, str], queue: str, *, processes: int = 0) -> Iterator[Worker]:
    """`celery -A config worker --pool=solo` on `queue`, ready; stopped on the way out.
    The solo pool runs the task in the worker process itself, whose memory is then measured.
    `processes`: the prefork pool with that many processes instead (worker_children lists them)."""
    pool = ["--pool=prefork", f"--concurrency={processes}"] if processes else ["--pool=solo"]
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                *pool,
                "-Q",
                queue,
                "-n",
                f"bench-{queue}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=dict(env, LOG_LEVEL="INFO"),  # the task's end is read from the log
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Worker(process, log)
        try:
            worker.wait_for(lambda line: line.endswith(" ready."), "ready", timeout=60)
            yield worker
        finally:
            _stop(process, timeout=30)  # warm shutdown


def worker_children(pid: int) -> list[int]:
    """The pool processes of a prefork worker (its children)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(child) for child in (task / "children").read_text().split()]
    return children


def proc_status_kib(pid: int, field: str) -> int:
    """A memory figure of a process from /proc/<pid>/status (VmRSS: now; VmHWM: its peak), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"No {field} in /proc/{pid}/status")


def _stop(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM to the process group (both servers then stop gracefully), SIGKILL after `timeout` s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
