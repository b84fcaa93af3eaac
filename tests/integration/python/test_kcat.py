"""kcat (Debian's, librdkafka 2.0) produces 100,000 records per codec and reads them back."""

import shutil
import subprocess

import pytest

from kafka_helpers import create_topic, unique_topic, watermarks

COUNT = 100_000
PARTITIONS = 3
HEADERS = ["trace=abc-123", "empty=", "nullval", "trace=second"]
# kcat prints a header without '=' as name=NULL under -Z.
HEADERS_OUT = "trace=abc-123,empty=,nullval=NULL,trace=second"


def kcat():
    path = shutil.which("kcat")
    if path is None:
        pytest.fail("kcat is not installed; run scripts/setup.sh --test")
    return path


def make_input():
    """Lines of key<TAB>value. Empty keys and values are sent as NULL (-Z)."""
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "καλημέρα", "日本", "x=y", "a,b", "NULLish"]
    lines, expected = [], []
    for i in range(COUNT):
        key = "" if i % 1000 == 7 else f"key-{i % 5000}"
        if i % 100 == 3:
            value = ""
        else:
            value = f"val-{i:06d} " + " ".join(words[(i * 7 + j) % len(words)] for j in range(i % 13))
        lines.append(f"{key}\t{value}")
        expected.append((key or "NULL", value or "NULL"))
    return ("\n".join(lines) + "\n").encode(), expected


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_kcat_codec_round_trip(broker, codec):
    topic = create_topic(broker, unique_topic(f"kcat-{codec}"), partitions=PARTITIONS)
    data, expected = make_input()
    cmd = [kcat(), "-P", "-b", broker.bootstrap, "-t", topic, "-K", "\t", "-Z", "-z", codec,
           "-X", "linger.ms=20"]
    for h in HEADERS:
        cmd += ["-H", h]
    r = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]

    marks = watermarks(broker, topic, PARTITIONS)
    assert sum(h for _, h in marks.values()) == COUNT, marks

    r = subprocess.run([kcat(), "-C", "-b", broker.bootstrap, "-t", topic, "-o", "beginning", "-e", "-Z", "-q",
                        "-f", "%p\t%o\t%k\t%s\t%h\n"], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    rows = r.stdout.decode().split("\n")
    assert rows[-1] == ""
    rows = rows[:-1]
    assert len(rows) == COUNT

    # Each partition: dense offsets from 0, records in the order they were produced.
    by_part = {q: [] for q in range(PARTITIONS)}
    got = {}
    key_part = {}
    for row in rows:
        part, off, key, value, headers = row.split("\t")
        assert headers == HEADERS_OUT, row
        by_part[int(part)].append(int(off))
        got.setdefault(int(part), []).append((key, value))
        if key != "NULL":
            assert key_part.setdefault(key, int(part)) == int(part), f"key {key} in two partitions"
    for q, offs in by_part.items():
        assert offs == list(range(len(offs))), f"partition {q}: offsets not dense"
        assert len(offs) == marks[q][1]

    # The partitions are an order-preserving split of the input. Records with a NULL
    # value carry no sequence number, so match each partition as a subsequence.
    pos = {q: 0 for q in range(PARTITIONS)}
    for i, rec in enumerate(expected):
        for q in range(PARTITIONS):
            if pos[q] < len(got.get(q, [])) and got[q][pos[q]] == rec:
                # Keyed records must go where their key went; NULL keys to any partition.
                if rec[0] == "NULL" or key_part.get(rec[0]) == q:
                    pos[q] += 1
                    break
        else:
            pytest.fail(f"record {i} {rec!r} is not next in any partition")
    assert sum(pos.values()) == COUNT
