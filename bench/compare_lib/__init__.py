"""Modules of bench/compare, the side-by-side benchmark of Strata against Apache
Kafka: procs (process plumbing), brokers, workloads, report, plots."""
