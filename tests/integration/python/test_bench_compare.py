"""bench/compare end to end at a small size (issue #5's harness): Apache Kafka
4.1.1 from Maven artifacts and build/strata in turn, driven by Kafka's own perf
tools. Only that it runs and reports, not how fast: every figure of both
brokers is measured (none missing, no workload failed), and the report holds
the comparison and the targets table. Timings here mean nothing: the sizes are
tiny and the tests beside it share the machine."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

# Every figure the issue asks for, per broker, as results.json names them.
FIGURES = [
    "produce_1k_none.mb_s", "produce_1k_none.records_s", "produce_1k_lz4.mb_s",
    "produce_100b_none.mb_s", "produce_1k_acks0.mb_s", "consume_1k.mb_s",
    "fixed_rate_e2e_1k.p50_ms", "fixed_rate_e2e_1k.p99_ms", "fixed_rate_e2e_1k.p999_ms",
    "fixed_rate_1k.lat_p99_ms", "peak_rss_mib", "produce_1k_none.cpu_s_per_gb", "startup_s",
]


def run_compare(out, *args):
    """bench/compare at a tiny size with `args`; its results.json once every
    figure of both kinds was measured and no workload failed."""
    subprocess.run(["bash", os.path.join(ROOT, "bench", "fetch_kafka_server.sh")], check=True,
                   timeout=900)
    run = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "compare"), *args, "--repeats", "1",
         "--latency-seconds", "3", "--label", "ci smoke",
         "--strata-bin", os.environ["STRATA_BINARY"], "--out", str(out)],
        capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    assert results["failures"] == {"kafka": [], "strata": []}
    for kind in ("kafka", "strata"):
        medians = results["medians"][kind]
        missing = [f for f in FIGURES if medians.get(f) is None]
        assert not missing, f"{kind}: no {missing}"
        assert medians["produce_1k_none.records_s"] > 0
    return results


# Its own bound, not the suite's 120 s: on a fresh clone it first fetches
# Kafka's server from Maven (about a minute), and then starts two brokers and
# a dozen JVMs in turn. It took over 120 s on a loaded machine (issue 19).
@pytest.mark.timeout(900)
def test_compare_measures_every_figure_of_both_brokers(tmp_path):
    out = tmp_path / "results"
    results = run_compare(out, "--records", "20000", "--records-small", "50000", "--e2e-messages", "200")
    for broker in ("kafka", "strata"):
        medians = results["medians"][broker]
        assert medians["consume_1k.mb_s"] > 0
    # Strata's start-up and footprint are real readings of its process.
    assert 0 < results["medians"]["strata"]["startup_s"] < 60
    assert results["medians"]["strata"]["peak_rss_mib"] > 1

    report = (out / "report.md").read_text()
    assert "| produce 1 KiB, none (MB/s) |" in report
    assert "| consume 1 KiB (MB/s) |" in report
    assert "## Targets" in report
    for target in ("produce throughput, 1 KiB, none", "consume throughput",
                   "end-to-end p99 latency at the fixed rate", "peak RSS",
                   "start to first acknowledged produce"):
        row = next(line for line in report.splitlines() if line.startswith(f"| {target} |"))
        assert "n/a" not in row, row
