"""bench/compare --cluster end to end at a small size (issue 13): a 3-node
Apache Kafka 4.1.1 KRaft cluster, then etcd with three build/strata brokers,
topics of replication factor 3 with min.insync.replicas=2, driven by Kafka's
own perf tools. Only that it runs and reports for both clusters, not how
fast: the sizes are tiny and the tests beside it share the machine."""

import pytest

from test_bench_compare import run_compare


# On its own ctest entry, beside the single-broker run: each takes minutes.
@pytest.mark.timeout(900)
def test_cluster_mode_measures_every_figure_of_both_clusters(tmp_path):
    out = tmp_path / "results"
    results = run_compare(out, "--cluster", "--records", "10000", "--records-small", "20000",
                          "--e2e-messages", "100")
    # The footprint is the whole cluster's: three JVMs of a 1 GiB heap each.
    assert results["medians"]["kafka"]["peak_rss_mib"] > 3 * 100
    report = (out / "report.md").read_text()
    assert "3-broker clusters" in report
    assert "replication factor 3" in report
    assert "| produce 1 KiB, none (MB/s) |" in report
