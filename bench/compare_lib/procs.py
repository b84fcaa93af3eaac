"""Process, /proc and client-tool plumbing shared by the benchmark's modules:
constants, starting and stopping processes (every one is tracked so that it
can always be stopped), running Kafka's Java tools."""

import os
import resource
import select
import signal
import socket
import subprocess
import time


# bench/compare_lib/procs.py -> the repository root.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KAFKA_HOME = os.path.join(ROOT, ".tools", "kafka-server")
KAFKA_VERSION = "4.1.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# kafka-run-class.sh's default KAFKA_JVM_PERFORMANCE_OPTS.
JVM_PERF_OPTS = ["-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                 "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
                 "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true"]
# kafka-server-start.sh's default heap; the perf-test scripts use -Xmx512M.
SERVER_HEAP = ["-Xmx1G", "-Xms1G"]
TOOL_HEAP = ["-Xmx512M"]

PARTITIONS = 16

# Every process this script starts, so that it can always stop them.
_live = []


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------
# processes

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(cmd, log_path, **kw):
    """Starts cmd in a process group of its own, output to log_path."""
    log = open(log_path, "wb")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True, **kw)
    log.close()
    _live.append(p)
    return p


def stop(p, grace=30):
    """SIGTERM to the process group, SIGKILL after grace seconds."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)  # stragglers in the group, if any
    except ProcessLookupError:
        pass
    p.wait()
    if p in _live:
        _live.remove(p)


def stop_all():
    for p in list(_live):
        stop(p, grace=10)


def run_tool(name, cmd, raw_dir, timeout, usage=None):
    """Runs a client tool to completion (bounded); returns (rc, stdout, stderr).
    With `usage` (a dict), stores the tool's CPU seconds there as "cpu_s": it is
    the only child reaped meanwhile, so the RUSAGE_CHILDREN difference is its own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_path = os.path.join(raw_dir, name + ".out")
    err_path = os.path.join(raw_dir, name + ".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        _live.append(p)
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = None
        finally:
            stop(p, grace=5)
    if usage is not None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        usage["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    return rc, stdout, stderr


def java_cmd(heap, main, *args, log4j="tools-log4j2.properties", extra_cp=None):
    cp = os.path.join(KAFKA_HOME, "libs", "*")
    if extra_cp:
        cp += os.pathsep + extra_cp
    return (["java"] + heap + JVM_PERF_OPTS
            + ["-Dlog4j2.configurationFile=" + os.path.join(KAFKA_HOME, "config", log4j),
               "-cp", cp, main] + list(args))


# ---------------------------------------------------------------------------
# /proc

def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def read_kib(path, key):
    """A "Key:  N kB" line of /proc/PID/status or /proc/meminfo."""
    with open(path) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def proc_status_kib(pid, key):
    return read_kib(f"/proc/{pid}/status", key)


def read_line(pipe, timeout):
    """One line from a binary pipe, or "" at end of file or after timeout seconds."""
    fd, buf, deadline = pipe.fileno(), b"", time.time() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.time()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 1)
        if not chunk:
            break
        buf += chunk
    return buf.decode(errors="replace").strip()


def last_lines(text, n=3):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[-600:]
