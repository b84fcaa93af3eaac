"""PNG bar charts of the Strata/Kafka ratios (matplotlib; skipped with a
warning when it is not installed)."""

import os
import sys

from .report import METRICS, ratio



def plot(out_dir, med, label):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        print("compare: matplotlib is not installed; no plots (pip install -r bench/requirements.txt)",
              file=sys.stderr)
        return []
    files = []
    for better, name, title in (("higher", "ratios-throughput.png", "throughput (higher is better)"),
                                ("lower", "ratios-cost.png", "latency, memory, CPU, start-up (lower is better)")):
        # records/s of a fixed record size has the same ratio as its MB/s: drawn once.
        rows = [(f"{lab} ({unit})", ratio(med["strata"][p], med["kafka"][p]))
                for p, lab, unit, b in METRICS
                if b == better and not (unit == "rec/s" and p.startswith(("produce", "consume")))]
        rows = [(lab, r) for lab, r in rows if r is not None and r > 0]
        if not rows:
            continue
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2), dpi=80)
        labels = [lab for lab, _ in rows][::-1]
        vals = [r for _, r in rows][::-1]
        # Green: Strata better by more than 2%; red: worse by more than 2%; grey: even.
        gain = [v if better == "higher" else 1 / v for v in vals]
        ax.barh(labels, vals, color=["#2a9d4b" if g > 1.02 else "#c0392b" if g < 0.98
                                     else "#999999" for g in gain])
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xscale("log")
        lo, hi = min(vals + [1.0]) / 1.6, max(vals + [1.0]) * 1.6
        ax.set_xlim(lo, hi)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:g}"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:.2f}", va="center", fontsize=8)
        ax.set_xlabel("Strata / Kafka (log scale; green: Strata better, red: worse)")
        ax.set_title("Strata / Kafka" + (f", {label} run" if label else "") + f"\n{title}", fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, name))
        plt.close(fig)
        files.append(name)
    return files
