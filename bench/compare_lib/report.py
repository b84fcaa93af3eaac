"""The figures compared (METRICS), their medians and ratios, and the Markdown
report plus results.json."""

import json
import os
import platform
import socket
import statistics
import subprocess

from .procs import KAFKA_VERSION, PARTITIONS, ROOT, SERVER_HEAP, read_kib



# (key path, label, unit, better): better is "higher" or "lower".
METRICS = [
    ("produce_1k_none.mb_s", "produce 1 KiB, none", "MB/s", "higher"),
    ("produce_1k_none.records_s", "produce 1 KiB, none", "rec/s", "higher"),
    ("produce_1k_lz4.mb_s", "produce 1 KiB, lz4", "MB/s", "higher"),
    ("produce_1k_lz4.records_s", "produce 1 KiB, lz4", "rec/s", "higher"),
    ("produce_100b_none.mb_s", "produce 100 B, none", "MB/s", "higher"),
    ("produce_100b_none.records_s", "produce 100 B, none", "rec/s", "higher"),
    ("produce_1k_acks0.mb_s", "produce 1 KiB, none, acks=0 (client ceiling)", "MB/s", "higher"),
    ("consume_1k.mb_s", "consume 1 KiB", "MB/s", "higher"),
    ("consume_1k.records_s", "consume 1 KiB", "rec/s", "higher"),
    ("fixed_rate_1k.lat_p50_ms", "fixed rate, produce latency p50", "ms", "lower"),
    ("fixed_rate_1k.lat_p99_ms", "fixed rate, produce latency p99", "ms", "lower"),
    ("fixed_rate_1k.lat_p999_ms", "fixed rate, produce latency p99.9", "ms", "lower"),
    ("fixed_rate_1k.records_s", "fixed rate, achieved records/s", "rec/s", "higher"),
    ("fixed_rate_e2e_1k.p50_ms", "fixed rate, end-to-end latency p50", "ms", "lower"),
    ("fixed_rate_e2e_1k.p99_ms", "fixed rate, end-to-end latency p99", "ms", "lower"),
    ("fixed_rate_e2e_1k.p999_ms", "fixed rate, end-to-end latency p99.9", "ms", "lower"),
    ("e2e_1k.avg_ms", "end-to-end latency (serial) average", "ms", "lower"),
    ("e2e_1k.p50_ms", "end-to-end latency (serial) p50", "ms", "lower"),
    ("e2e_1k.p99_ms", "end-to-end latency (serial) p99", "ms", "lower"),
    ("e2e_1k.p999_ms", "end-to-end latency (serial) p99.9", "ms", "lower"),
    ("peak_rss_mib", "broker peak RSS", "MiB", "lower"),
    ("idle_rss_mib", "broker RSS after start-up", "MiB", "lower"),
    ("produce_1k_none.cpu_s_per_gb", "broker CPU per GB produced (1 KiB, none)", "CPU-s/GB", "lower"),
    ("produce_1k_lz4.cpu_s_per_gb", "broker CPU per GB produced (1 KiB, lz4)", "CPU-s/GB", "lower"),
    ("produce_100b_none.cpu_s_per_gb", "broker CPU per GB produced (100 B, none)", "CPU-s/GB", "lower"),
    ("startup_s", "start to first acknowledged produce", "s", "lower"),
]

# Issue #5's targets: (key path, what, "min" or "max" Strata/Kafka ratio, bound).
TARGETS = [
    ("produce_1k_none.mb_s", "produce throughput, 1 KiB, none", "min", 2.0),
    ("produce_1k_lz4.mb_s", "produce throughput, 1 KiB, lz4", "min", 2.0),
    ("produce_100b_none.mb_s", "produce throughput, 100 B, none", "min", 2.0),
    ("consume_1k.mb_s", "consume throughput", "min", 1.5),
    ("fixed_rate_e2e_1k.p99_ms", "end-to-end p99 latency at the fixed rate", "max", 0.2),
    ("peak_rss_mib", "peak RSS", "max", 0.1),
    ("startup_s", "start to first acknowledged produce", "max", 0.1),
]


# Workloads whose CPU split the report shows.
CPU_SPLIT = [("produce_1k_none", "produce 1 KiB, none"), ("produce_1k_lz4", "produce 1 KiB, lz4"),
             ("produce_100b_none", "produce 100 B, none"),
             ("produce_1k_acks0", "produce 1 KiB, none, acks=0"), ("consume_1k", "consume 1 KiB")]


def cpu_split(runs, kind):
    """Per workload, medians over the repeats of: the client's and the broker's
    cores (CPU seconds over the tool's wall time, JVM start included) and, where
    the broker reports them, its group-commit rounds, their mean duration and the
    share of the tool's time the flusher spent syncing."""
    rows = {}
    for key, _ in CPU_SPLIT:
        cols = {"client": [], "broker": [], "rounds": [], "sync_ms": [], "busy": []}
        for r in runs.get(kind, []):
            w = r.get(key) or {}
            wall = w.get("tool_wall_s")
            if not wall or w.get("client_cpu_s") is None:
                continue
            cols["client"].append(w["client_cpu_s"] / wall)
            cols["broker"].append(w["broker_cpu_s"] / wall)
            if w.get("sync_rounds"):
                cols["rounds"].append(w["sync_rounds"])
                cols["sync_ms"].append(w["sync_ms_avg"])
                cols["busy"].append(w["sync_busy_s"] / wall)
        rows[key] = {k: (statistics.median(v) if v else None) for k, v in cols.items()}
    return rows


def lookup(results, path):
    v = results
    for part in path.split("."):
        if not isinstance(v, dict) or part not in v:
            return None
        v = v[part]
    return v


def medians(runs, kind):
    out = {}
    for path, *_ in METRICS:
        vals = [lookup(r, path) for r in runs.get(kind, [])]
        vals = [v for v in vals if isinstance(v, (int, float))]
        out[path] = statistics.median(vals) if vals else None
    return out


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if v else "0"


def ratio(s, k):
    if s is None or k is None or k == 0:
        return None
    return s / k


def machine_info():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kib = read_kib("/proc/meminfo", "MemTotal")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "include"],
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": model, "cores": os.cpu_count(), "mem_gib": round(mem_kib / 1048576, 1),
            "kernel": platform.release(), "host": socket.gethostname(),
            "java": java[0] if java else "unknown", "kafka": KAFKA_VERSION,
            "strata_commit": commit + (" (modified)" if dirty else "")}



def write_report(args, out_dir, raw_root, started, runs, failures, rate, info, plots):
    med = {k: medians(runs, k) for k in ("kafka", "strata")}
    rate_origin = "set by --rate" if args.rate else "half of Kafka's measured 1 KiB maximum"
    title = ("Strata vs Apache Kafka" + (" — 3-broker clusters" if args.cluster else "")
             + (f" — {args.label} run" if args.label else ""))
    L = [f"# {title}", ""]
    if args.cluster:
        L += ["**Cluster mode** (`--cluster`): three Apache Kafka nodes, each broker and controller "
              "of one KRaft quorum (static voters), against a single-member etcd and three Strata "
              "brokers, all on this machine. Every topic has replication factor 3 and "
              "`min.insync.replicas=2` (the brokers' defaults on both sides), produce uses acks=all, "
              "and the clients bootstrap from all three nodes. CPU and memory are summed over every "
              "process of a cluster (for Strata etcd included); start-up runs from starting the "
              "first process to the first acknowledged produce.", ""]
    if args.label == "smoke":
        L += ["**Smoke run**: a small configuration that proves the harness works end to end. "
              "The machine is shared and busy, so the absolute numbers and the ratios mean "
              "little; run `make bench` on a quiet machine for figures.", ""]
    L += [f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
          f"- Machine: {info['cpu']}, {info['cores']} cores, {info['mem_gib']} GiB memory, "
          f"Linux {info['kernel']} (host `{info['host']}`)",
          f"- Apache Kafka {info['kafka']} (Maven artifacts, KRaft combined mode, shipped "
          f"config/server.properties, {' '.join(SERVER_HEAP)}); {info['java']}",
          f"- Strata commit {info['strata_commit']}, release build (`build-bench/strata`)",
          f"- Repeats: {args.repeats} (each figure is the median; each ratio is Strata/Kafka "
          f"of the medians of this run); brokers started one at a time, Kafka first, fresh "
          f"data directory each time",
          f"- Workloads: 1 topic per workload x {PARTITIONS} partitions, acks=all, "
          f"ProducerPerformance `--throughput -1`: {args.records:,} records of 1 KiB "
          f"(compression none, then lz4), {args.records_small:,} records of 100 B; "
          f"ConsumerPerformance reads the 1 KiB/none topic back; fixed rate: "
          f"{rate:,} records/s of 1 KiB for {args.latency_seconds} s "
          f"({rate_origin}); "
          f"EndToEndLatency: {args.e2e_messages:,} messages of 1 KiB",
          f"- Raw outputs: `{os.path.relpath(raw_root, ROOT)}/` (not committed)", ""]
    L += ["| figure | Kafka | Strata | Strata/Kafka | better |", "| --- | ---: | ---: | ---: | --- |"]
    for path, label, unit, better in METRICS:
        k, s = med["kafka"][path], med["strata"][path]
        r = ratio(s, k)
        L.append(f"| {label} ({unit}) | {fmt(k)} | {fmt(s)} | "
                 f"{'n/a' if r is None else f'{r:.2f}'} | {better} |")
    L += ["", "## Targets", "", "| target | bound | Strata/Kafka | met |", "| --- | ---: | ---: | --- |"]
    for path, what, kind, bound in TARGETS:
        r = ratio(med["strata"][path], med["kafka"][path])
        met = "n/a" if r is None else ("yes" if (r >= bound if kind == "min" else r <= bound) else "**no**")
        sign = ">=" if kind == "min" else "<="
        L.append(f"| {what} | {sign} {bound:g} | {'n/a' if r is None else f'{r:.2f}'} | {met} |")
    s0, k0 = med["strata"]["produce_1k_acks0.mb_s"], med["kafka"]["produce_1k_acks0.mb_s"]
    k_all = med["kafka"]["produce_1k_none.mb_s"]
    if s0 and k_all:
        L += ["", f"Client ceiling: with acks=0 (no wait for any acknowledgement) "
              f"ProducerPerformance sends 1 KiB records at {fmt(s0)} MB/s to Strata and "
              f"{fmt(k0)} MB/s to Kafka. Against Strata that is {s0 / k_all:.2f} times "
              f"Kafka's acks=all rate: the most a produce ratio can reach with this client "
              f"on this machine, whatever the broker does."]
    L += ["", "## Where the time goes", "",
          "CPU used during each run, in cores (CPU seconds over the client tool's wall time, "
          "its JVM start included; the machine has "
          f"{info['cores']}), and Strata's group-commit rounds in it. The reading of these "
          "figures against the targets is in docs/performance.md.", "",
          "| run | Kafka: client | Kafka: broker | Strata: client | Strata: broker "
          "| Strata: sync rounds | mean round (ms) | flusher busy |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    split = {k: cpu_split(runs, k) for k in ("kafka", "strata")}
    for key, label in CPU_SPLIT:
        k, st = split["kafka"][key], split["strata"][key]
        busy, rounds = st["busy"], st["rounds"]
        L.append(f"| {label} | {fmt(k['client'])} | {fmt(k['broker'])} | {fmt(st['client'])} "
                 f"| {fmt(st['broker'])} | {'n/a' if rounds is None else f'{rounds:,.0f}'} | {fmt(st['sync_ms'])} "
                 f"| {'n/a' if busy is None else f'{busy:.0%}'} |")
    L += ["", "## How each figure is measured", "",
          "- Produce MB/s and records/s: ProducerPerformance's summary line (its MB is 2^20 "
          "bytes). Its `--record-size` payloads are random uppercase letters, so lz4 "
          "compresses them somewhat.",
          "- Consume: ConsumerPerformance's `fetch.MB.sec` / `fetch.nMsg.sec`, which exclude "
          "the consumer-group join; the totals including it are in the raw JSON. The "
          f"consumer uses `group.protocol={args.group_protocol}` against both brokers "
          "(`--group-protocol`, written to the tool's `--consumer.config`; the default is "
          "`classic`, the clients' own default; KIP-848's `consumer` protocol is GA in "
          "Kafka 4.0).",
          "- Fixed-rate latency: Kafka 4.1's EndToEndLatency sends one message at a time and "
          "has no rate option. Two runs at the fixed rate therefore: ProducerPerformance "
          "`--throughput R` gives the acknowledgement latency (send to acks=all response); "
          "`FixedRateEndToEnd` (bench/kafka-server, kafka-clients 4.1.1 with default "
          "settings) gives produce-to-consume latency: one acks=all producer sends R "
          "records/s on a fixed schedule, stamping each with its send time, and one consumer "
          "assigned every partition records the time to receive each (5 s warm-up not "
          "counted). EndToEndLatency is run as well and reported as \"serial\" end-to-end "
          "latency (one message in flight, ms resolution).",
          "- Peak RSS: the broker's `VmHWM` from /proc/PID/status at the end of its run, "
          "after every workload (for Kafka, the JVM: heap pages count once touched).",
          "- CPU per GB: the broker's utime+stime from /proc/PID/stat across the produce "
          "run, divided by the record payload produced (10^9 bytes).",
          "- Durability is not the same: Strata acknowledges acks=all once the data is "
          "fdatasync'd (group commit); Kafka's default configuration acknowledges once the "
          "data is in the page cache and leaves flushing to the OS (durability by replication).",
          "- Start-up: a warmed-up Java producer (acks=all, 5-20 ms reconnect back-off) "
          "polls from before the broker's process starts; the figure is the wall-clock time "
          "from the process start to its first acknowledged record (topic auto-created). "
          "Kafka's storage format step runs before and is not counted.", ""]
    if plots:
        L += ["## Plots", ""] + [f"![{os.path.splitext(p)[0]}]({p})" for p in plots] + [""]
    if any(failures.values()):
        L += ["## Failures", "",
              "Workloads that failed are n/a above. Symptoms as the tools printed them:", ""]
        for kind in ("kafka", "strata"):
            for rep, fails, res in failures.get(kind, []):
                for key, msg in fails.items():
                    L.append(f"- {kind}, repeat {rep}, {key}: `{msg}`")
                tail = [l.rstrip() for l in res.get("broker_log_tail", [])]
                if tail and fails:
                    L += ["", f"  Last lines of the {kind} broker log (repeat {rep}):", "",
                          "  ```"] + ["  " + l for l in tail[-8:]] + ["  ```", ""]
        L.append("")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(L))
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"info": info, "args": vars(args), "fixed_rate": rate, "medians": med,
                   "runs": runs,
                   "failures": {k: [{"repeat": r, "failures": fl} for r, fl, _ in v]
                                for k, v in failures.items()}}, f, indent=1, default=str)
    return med
