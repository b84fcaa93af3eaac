"""Fixtures for the Python integration tests: the real build/strata binary.

Each test gets its own broker (fresh data dir, free 127.0.0.1 ports). At
teardown the broker is stopped with SIGTERM and must exit with status 0, and
its log must hold no sanitizer report (from any of its runs, kill -9'd ones
too): under an ASan or TSan build (STRATA_BINARY) the exit-time leak check
and any report in the middle of a run fail the test.
"""

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


def binary_path():
    return os.environ.get("STRATA_BINARY", str(REPO / "build" / "strata"))


def free_ports(n):
    """n distinct free ports: every socket stays bound until all are chosen,
    since a port closed at once can be handed out again."""
    held = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def free_port():
    return free_ports(1)[0]


# What each sanitizer prints first; UBSan's line is "file:line:col: runtime error: ...".
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "WARNING: ThreadSanitizer")


def sanitizer_report(log_path, lines=80):
    """The first sanitizer report in the log with the lines after it, or "" when there is none."""
    try:
        text = pathlib.Path(log_path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    for i, line in enumerate(text):
        if any(m in line for m in SANITIZER_MARKERS):
            return "\n".join(text[i:i + lines])
    return ""


def accepts_connections(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Broker:
    """One strata process on 127.0.0.1; restartable on the same data dir and ports."""

    def __init__(self, root, overrides=()):
        self.root = pathlib.Path(root)
        self.data_dir = self.root / "data"
        self.log_path = self.root / "broker.log"
        self.port, self.metrics_port, self.registry_port = free_ports(3)
        self.overrides = list(overrides)
        self.env = {}  # extra environment variables for the next start()
        self.proc = None
        self.starts = 0

    @property
    def registry_url(self):
        return f"http://127.0.0.1:{self.registry_port}"

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def start(self, timeout=60.0):
        assert self.proc is None, "broker already running"
        args = [
            binary_path(),
            "--override", f"log.dirs={self.data_dir}",
            "--override", f"listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "--override", f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "--override", f"admin.listeners=http://127.0.0.1:{self.metrics_port}",
            "--override", f"schema.registry.listeners=http://127.0.0.1:{self.registry_port}",
        ]
        for o in self.overrides:
            args += ["--override", o]
        self.starts += 1
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        log.write(f"\n===== start #{self.starts}: {' '.join(args)}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env={**os.environ, **self.env})
        log.close()
        # The Kafka port listens first; the broker logs that it started once
        # the metrics and registry ports listen too.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.logged_since(log_start, b" started (cluster ") and accepts_connections(self.port):
                return
            rc = self.proc.poll()
            if rc is not None:
                self.proc = None
                raise RuntimeError(f"strata exited at start-up with {rc}:\n{self.log_tail()}")
            time.sleep(0.05)
        self.kill9()
        raise RuntimeError(f"strata did not listen within {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout=120.0):
        """SIGTERM and wait; returns the exit code (negative: killed by that signal)."""
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise AssertionError(f"strata did not exit within {timeout}s of SIGTERM:\n{self.log_tail()}")
        self.proc = None
        return rc

    def wait_exit(self, timeout=60.0):
        """Waits for the broker to exit on its own; returns its exit code."""
        assert self.proc is not None, "broker not running"
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"strata still running after {timeout}s:\n{self.log_tail()}")
        self.proc = None
        return rc

    def kill9(self):
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def restart(self):
        rc = self.stop()
        assert rc == 0, f"strata exited with {rc} on SIGTERM:\n{self.log_tail()}"
        self.start()

    def metrics(self):
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode()

    def logged_since(self, offset, needle):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return needle in f.read()

    def sanitizer_report(self):
        return sanitizer_report(self.log_path)

    def check_stopped_cleanly(self):
        """Stops the broker if it runs; a list of what was wrong (non-zero exit, sanitizer report)."""
        failures = []
        if self.proc is not None:
            rc = self.stop()
            if rc != 0:
                failures.append(f"strata exited with {rc} on SIGTERM; log tail:\n{self.log_tail()}")
        report = self.sanitizer_report()
        if report:
            failures.append(f"sanitizer report in {self.log_path}:\n{report}")
        return failures

    def log_tail(self, lines=60):
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:])


@pytest.fixture
def broker_factory(request):
    """Starts brokers with extra --override settings (and environment); all are stopped at teardown."""
    made = []

    def make(overrides=(), env=None):
        root = tempfile.mkdtemp(prefix="strata-pyit-")
        b = Broker(root, overrides)
        b.env = dict(env or {})
        made.append(b)
        b.start()
        return b

    yield make

    failures = []
    for b in made:
        failures += b.check_stopped_cleanly()
    failed = getattr(request.node, "rep_call", None)
    for b in made:
        if failures or (failed is not None and failed.failed):
            # Keep the log next to the test report for diagnosis.
            print(f"\n--- broker log {b.log_path} ---\n{b.log_tail(200)}")
        else:
            shutil.rmtree(b.root, ignore_errors=True)
    assert not failures, "\n".join(failures)


@pytest.fixture
def broker(broker_factory):
    return broker_factory()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, "rep_" + rep.when, rep)
    return rep
