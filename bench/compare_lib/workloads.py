"""The measurements: start-up to first ack, produce, consume and end-to-end
latency runs with Kafka's tools, and one broker's whole sequence of them."""

import os
import re
import shutil
import subprocess
import time

from .brokers import BROKERS, CLUSTERS
from .procs import (KAFKA_HOME, PARTITIONS, TOOL_HEAP, BenchError, _live, java_cmd,
                    last_lines, read_line, run_tool, stop)



def start_and_time_first_ack(broker, timeout):
    """Starts the broker; returns seconds from its process start to the first
    acks=all produce acknowledged (FirstAck probe, warmed up before the start)."""
    probe_log = os.path.join(broker.run_dir, "first-ack.out")
    with open(probe_log, "wb") as err:
        probe = subprocess.Popen(
            java_cmd(["-Xmx128M"], "FirstAck", broker.bootstrap, "bench-first-ack",
                     str(int(timeout * 1000)), extra_cp=os.path.join(KAFKA_HOME, "classes")),
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    _live.append(probe)
    try:
        if read_line(probe.stdout, 60) != "ready":
            raise BenchError("start-up probe did not start (see first-ack.out)")
        t0 = time.time()
        broker.start()
        line = read_line(probe.stdout, timeout + 10)
        if not line.startswith("acked "):
            raise BenchError(f"no produce acknowledged within {timeout}s of start "
                             f"(probe said {line!r})")
        return int(line.split()[1]) / 1000.0 - t0
    finally:
        stop(probe, grace=5)


def create_topic(broker, topic, raw_dir):
    rc, out, err = run_tool("create-" + topic, java_cmd(
        TOOL_HEAP, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", broker.bootstrap,
        "--create", "--topic", topic, "--partitions", str(PARTITIONS),
        "--replication-factor", str(broker.replication_factor)), raw_dir, 120)
    if rc != 0:
        raise BenchError(f"creating {topic} failed (rc={rc}): {last_lines(err)}")


PRODUCE_RE = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th")


def tool_timeout(total_bytes, records):
    # Generous bounds: at least 1 MB/s and 2k records/s, plus JVM start-up.
    return 120 + max(total_bytes / 1e6, records / 2000)


def produce(broker, name, topic, records, size, compression, throughput, raw_dir, acks="all"):
    cpu0 = broker.cpu_seconds()
    sync0 = broker.sync_totals() if hasattr(broker, "sync_totals") else None
    usage = {}
    t0 = time.time()
    rc, out, err = run_tool(name, java_cmd(
        TOOL_HEAP, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
        "--num-records", str(records), "--record-size", str(size),
        "--throughput", str(throughput), "--producer-props",
        "bootstrap.servers=" + broker.bootstrap, "acks=" + acks, "compression.type=" + compression),
        raw_dir, tool_timeout(records * size, records), usage)
    wall = time.time() - t0
    cpu = broker.cpu_seconds() - cpu0
    sync1 = broker.sync_totals() if sync0 else None
    m = PRODUCE_RE.search(out.splitlines()[-1] if out.strip() else "")
    if rc != 0 or not m:
        raise BenchError(f"{name}: rc={rc}: {last_lines(err or out)}")
    sent = int(m.group(1))
    gb = sent * size / 1e9
    r = {"records_s": float(m.group(2)), "mb_s": float(m.group(3)),
         "lat_avg_ms": float(m.group(4)), "lat_max_ms": float(m.group(5)),
         "lat_p50_ms": int(m.group(6)), "lat_p95_ms": int(m.group(7)),
         "lat_p99_ms": int(m.group(8)), "lat_p999_ms": int(m.group(9)),
         "broker_cpu_s": cpu, "cpu_s_per_gb": cpu / gb if gb else None,
         "client_cpu_s": usage.get("cpu_s"), "tool_wall_s": wall}
    if sync0 and sync1:
        # Group-commit rounds in the run: how many, and how long each took on average.
        rounds, seconds = sync1[0] - sync0[0], sync1[1] - sync0[1]
        r["sync_rounds"] = rounds
        r["sync_ms_avg"] = seconds * 1000 / rounds if rounds else None
        r["sync_busy_s"] = seconds
    return r


def consume(broker, name, topic, records, raw_dir, size, group_protocol):
    config = os.path.join(raw_dir, name + ".properties")
    with open(config, "w") as f:
        f.write(f"group.protocol={group_protocol}\n")
    cpu0 = broker.cpu_seconds()
    usage = {}
    t0 = time.time()
    rc, out, err = run_tool(name, java_cmd(
        TOOL_HEAP, "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server",
        broker.bootstrap, "--topic", topic, "--messages", str(records), "--timeout", "30000",
        "--consumer.config", config),
        raw_dir, tool_timeout(records * size, records), usage)
    wall = time.time() - t0
    cpu = broker.cpu_seconds() - cpu0
    rows = [l for l in out.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", l)]
    if rc != 0 or not rows:
        raise BenchError(f"{name}: rc={rc}: {last_lines(err or out)}")
    f = [x.strip() for x in rows[-1].split(",")]
    consumed = int(f[4])
    if consumed < records:
        raise BenchError(f"{name}: consumed {consumed} of {records} records: {last_lines(err or out)}")
    # fetch.* excludes the consumer group join (rebalance.time.ms).
    # The fetching time (fetch.time.ms) next to the CPU each process used over
    # the whole tool run: shows which side bounds the consume rate.
    return {"mb_s_total": float(f[3]), "records_s_total": float(f[5]),
            "rebalance_ms": float(f[6]), "mb_s": float(f[8]), "records_s": float(f[9]),
            "broker_cpu_s": cpu, "client_cpu_s": usage.get("cpu_s"), "tool_wall_s": wall,
            "fetch_s": float(f[7]) / 1000 if len(f) > 7 else None}


E2E_RE = re.compile(r"Percentiles: 50th = (\d+), 99th = (\d+), 99.9th = (\d+)")


def end_to_end(broker, name, topic, messages, size, raw_dir):
    rc, out, err = run_tool(name, java_cmd(
        TOOL_HEAP, "org.apache.kafka.tools.EndToEndLatency", broker.bootstrap, topic,
        str(messages), "all", str(size)), raw_dir, 120 + messages * 0.5)
    m = E2E_RE.search(out)
    avg = re.search(r"Avg latency: ([\d.]+) ms", out)
    if not m:
        raise BenchError(f"{name}: rc={rc}: {last_lines(err or out)}")
    r = {"p50_ms": int(m.group(1)), "p99_ms": int(m.group(2)), "p999_ms": int(m.group(3)),
         "avg_ms": float(avg.group(1)) if avg else None}
    if rc != 0:  # percentiles printed, then e.g. the final offset commit failed
        r["warning"] = f"exit code {rc}: {last_lines(err)}"
    return r


FIXED_E2E_RE = re.compile(r"records (\d+) rate (\d+) p50 ([\d.]+) p99 ([\d.]+) p999 ([\d.]+) "
                          r"max ([\d.]+) avg ([\d.]+)")


def fixed_rate_end_to_end(broker, name, topic, rate, seconds, size, raw_dir):
    """Produce-to-consume latency while records flow at `rate` (FixedRateEndToEnd probe)."""
    rc, out, err = run_tool(name, java_cmd(
        TOOL_HEAP, "FixedRateEndToEnd", broker.bootstrap, topic, str(rate), str(seconds), str(size),
        extra_cp=os.path.join(KAFKA_HOME, "classes")), raw_dir, 180 + seconds * 2)
    m = FIXED_E2E_RE.search(out)
    if rc != 0 or not m:
        raise BenchError(f"{name}: rc={rc}: {last_lines(err or out)}")
    return {"records": int(m.group(1)), "p50_ms": float(m.group(3)), "p99_ms": float(m.group(4)),
            "p999_ms": float(m.group(5)), "max_ms": float(m.group(6)), "avg_ms": float(m.group(7))}


def run_broker(kind, rep, args, raw_root, rate_holder):
    """One fresh broker: start-up, then every workload. Returns (results, failures)."""
    run_dir = os.path.join(raw_root, f"rep{rep}-{kind}")
    os.makedirs(run_dir)
    broker = (CLUSTERS if args.cluster else BROKERS)[kind](run_dir)
    results, failures = {}, {}

    def attempt(key, fn):
        if not broker.alive():
            failures[key] = "broker process is not running"
            return None
        try:
            results[key] = fn()
            return results[key]
        except BenchError as e:
            failures[key] = str(e)
            return None

    try:
        broker.prepare()
        results["startup_s"] = start_and_time_first_ack(broker, args.startup_timeout)
        results["idle_rss_mib"] = broker.status_kib("VmRSS") / 1024
        for topic in ("bench-1k-none", "bench-1k-lz4", "bench-100b-none", "bench-1k-acks0",
                      "bench-fixed-rate", "bench-fixed-e2e", "bench-e2e"):
            create_topic(broker, topic, run_dir)
        r = attempt("produce_1k_none", lambda: produce(
            broker, "produce-1k-none", "bench-1k-none", args.records, 1024, "none", -1, run_dir))
        if kind == "kafka" and r and rate_holder.get("rate") is None:
            rate_holder["rate"] = max(1, int(r["records_s"] / 2))
        attempt("produce_1k_lz4", lambda: produce(
            broker, "produce-1k-lz4", "bench-1k-lz4", args.records, 1024, "lz4", -1, run_dir))
        attempt("produce_100b_none", lambda: produce(
            broker, "produce-100b-none", "bench-100b-none", args.records_small, 100, "none", -1,
            run_dir))
        # The producer tool's own ceiling: with acks=0 it never waits for the
        # broker, so its rate is what the client reaches on this machine with
        # the broker's CPU use beside it (read against the produce targets).
        attempt("produce_1k_acks0", lambda: produce(
            broker, "produce-1k-acks0", "bench-1k-acks0", args.records, 1024, "none", -1,
            run_dir, acks="0"))
        attempt("consume_1k", lambda: consume(
            broker, "consume-1k", "bench-1k-none", args.records, run_dir, 1024,
            args.group_protocol))
        rate = rate_holder.get("rate") or args.fallback_rate
        results["fixed_rate_target"] = rate
        attempt("fixed_rate_1k", lambda: produce(
            broker, "fixed-rate-1k", "bench-fixed-rate", max(1, rate * args.latency_seconds),
            1024, "none", rate, run_dir))
        attempt("fixed_rate_e2e_1k", lambda: fixed_rate_end_to_end(
            broker, "fixed-rate-e2e-1k", "bench-fixed-e2e", rate, args.latency_seconds, 1024, run_dir))
        attempt("e2e_1k", lambda: end_to_end(
            broker, "e2e-1k", "bench-e2e", args.e2e_messages, 1024, run_dir))
        if broker.alive():
            results["peak_rss_mib"] = broker.status_kib("VmHWM") / 1024
            results["total_cpu_s"] = broker.cpu_seconds()
    except BenchError as e:
        failures["run"] = str(e)
    finally:
        if broker.procs():
            exited_early = broker.stop()
            if exited_early is not None:
                failures["broker"] = f"exited early with code {exited_early}"
        if not args.keep_data:
            broker.remove_data()
    if failures:
        results["broker_log_tail"] = broker.log_tail()
    return results, failures
