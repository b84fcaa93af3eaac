"""The two brokers under test: Apache Kafka (KRaft combined mode, its shipped
configuration) and Strata, each on free ports with a fresh data directory;
and, for --cluster, three of each: three Kafka nodes that are brokers and
controllers of one KRaft quorum, against etcd and three Strata brokers."""

import base64
import os
import re
import shutil
import socket
import time
import urllib.request
import uuid

from .procs import (SERVER_HEAP, TOOL_HEAP, BenchError, free_port, java_cmd, proc_cpu_seconds,
                    proc_status_kib, run_tool, spawn, stop)



class Broker:
    """One broker process; the workloads see a cluster through the same methods."""
    name = ""
    replication_factor = 1

    def __init__(self, run_dir):
        self.run_dir = run_dir
        self.data_dir = os.path.join(run_dir, "data")
        os.makedirs(self.data_dir)
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.log_path = os.path.join(run_dir, "broker.log")
        self.proc = None

    def prepare(self):
        pass

    def command(self):
        raise NotImplementedError

    def start(self):
        self.proc = spawn(self.command(), self.log_path, cwd=self.run_dir)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def procs(self):
        """The processes whose CPU and memory are the broker's cost."""
        return [self.proc] if self.proc is not None else []

    def cpu_seconds(self):
        return sum(proc_cpu_seconds(p.pid) for p in self.procs())

    def status_kib(self, key):
        return sum(proc_status_kib(p.pid, key) for p in self.procs())

    def remove_data(self):
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def stop(self):
        """Stops every process; the exit code of one that had exited by itself, else None."""
        early = next((p.poll() for p in self.procs() if p.poll() is not None), None)
        for p in self.procs():
            stop(p)
        return early

    def log_tail(self, n=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.readlines()[-n:]
        except OSError:
            return []


class KafkaBroker(Broker):
    """Apache Kafka in KRaft combined mode, configured as the config/server.properties
    that Kafka 4.x ships, with ports and log.dirs of this run. As a node of a
    KafkaCluster it is one of a static quorum of voters, and its internal
    topics get the cluster's replication factor."""
    name = "kafka"

    def __init__(self, run_dir, node_id=1, cluster_id=None):
        super().__init__(run_dir)
        self.node_id = node_id
        self.cluster_id = cluster_id
        self.controller_port = free_port()
        self.voters = None  # "1@host:port,..." in a cluster

    def prepare(self):
        rf = self.replication_factor
        quorum = (f"controller.quorum.voters={self.voters}" if self.voters
                  else f"controller.quorum.bootstrap.servers=127.0.0.1:{self.controller_port}")
        props = f"""\
# Kafka 4.x's shipped config/server.properties, on this run's ports and log.dirs.
process.roles=broker,controller
node.id={self.node_id}
{quorum}
listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}
inter.broker.listener.name=PLAINTEXT
advertised.listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs={self.data_dir}
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor={rf}
share.coordinator.state.topic.replication.factor={rf}
share.coordinator.state.topic.min.isr={min(rf, 2)}
transaction.state.log.replication.factor={rf}
transaction.state.log.min.isr={min(rf, 2)}
default.replication.factor={rf}
min.insync.replicas={min(rf, 2)}
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
"""
        self.props_path = os.path.join(self.run_dir, "server.properties")
        with open(self.props_path, "w") as f:
            f.write(props)
        cluster_id = self.cluster_id or new_cluster_id()
        # A static quorum (controller.quorum.voters) is formatted as it is; a
        # single node makes itself the quorum's only voter.
        standalone = [] if self.voters else ["--standalone"]
        rc, out, err = run_tool("storage-format", java_cmd(
            TOOL_HEAP, "kafka.tools.StorageTool", "format", "-t", cluster_id,
            "-c", self.props_path, *standalone), self.run_dir, 120)
        if rc != 0:
            raise BenchError(f"kafka storage format failed (rc={rc}): {err.strip()[-500:]}")

    def command(self):
        return java_cmd(SERVER_HEAP, "kafka.Kafka", self.props_path,
                        log4j="server-log4j2.properties")


class StrataBroker(Broker):
    name = "strata"
    binary = None

    def __init__(self, run_dir, node_id=None, etcd_endpoint=None):
        super().__init__(run_dir)
        self.metrics_port = free_port()
        self.node_id = node_id
        self.etcd_endpoint = etcd_endpoint

    def command(self):
        cmd = [self.binary,
               "--override", "log.dirs=" + self.data_dir,
               "--override", f"listeners=PLAINTEXT://{self.bootstrap}",
               "--override", f"advertised.listeners=PLAINTEXT://{self.bootstrap}",
               "--override", f"admin.listeners=http://127.0.0.1:{self.metrics_port}",
               "--override", "schema.registry.listeners=http://127.0.0.1:0"]
        if self.etcd_endpoint:
            # Kafka's names and the same settings as the Kafka cluster's nodes.
            for setting in (f"node.id={self.node_id}", f"metadata.etcd.endpoints={self.etcd_endpoint}",
                            "default.replication.factor=3", "min.insync.replicas=2"):
                cmd += ["--override", setting]
        return cmd


    def sync_totals(self):
        """(rounds, seconds) of group-commit syncs so far, from /metrics."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
                text = r.read().decode()
        except OSError:
            return None
        found = dict(re.findall(r"^strata_storage_fsync_seconds_(count|sum) (\S+)$", text, re.M))
        if len(found) != 2:
            return None
        return int(float(found["count"])), float(found["sum"])


def new_cluster_id():
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


class Cluster(Broker):
    """Three nodes of one kind, seen by the workloads as one broker: the
    bootstrap lists every node, and CPU and memory are summed over every
    process the cluster needs (for Strata, etcd too; for Kafka, the KRaft
    controllers are in the nodes)."""
    size = 3
    replication_factor = 3

    def __init__(self, run_dir):
        super().__init__(run_dir)
        self.nodes = []

    def node_dir(self, i):
        d = os.path.join(self.run_dir, f"node{i}")
        os.makedirs(d)
        return d

    def finish_init(self, brokers):
        """`brokers`: the nodes that serve Kafka clients (self.nodes: every process)."""
        self.bootstrap = ",".join(b.bootstrap for b in brokers)

    def remove_data(self):
        for n in self.nodes:
            n.remove_data()

    def prepare(self):
        for n in self.nodes:
            n.prepare()

    def start(self):
        for n in self.nodes:
            n.start()

    def procs(self):
        return [p for n in self.nodes for p in n.procs()]

    def alive(self):
        return bool(self.nodes) and all(n.alive() for n in self.nodes)

    def log_tail(self, n=15):
        return [f"node {i + 1}: {line}" for i, node in enumerate(self.nodes) for line in node.log_tail(n // 3 + 1)]


class KafkaCluster(Cluster):
    name = "kafka"

    def __init__(self, run_dir):
        super().__init__(run_dir)
        cluster_id = new_cluster_id()
        self.nodes = [KafkaBroker(self.node_dir(i), i, cluster_id) for i in range(1, self.size + 1)]
        voters = ",".join(f"{n.node_id}@127.0.0.1:{n.controller_port}" for n in self.nodes)
        for n in self.nodes:
            n.voters = voters
            n.replication_factor = self.replication_factor
        self.finish_init(self.nodes)


class EtcdServer:
    """Debian's etcd-server, a single member, as scripts/cluster.sh runs it."""

    def __init__(self, run_dir):
        self.run_dir = run_dir
        self.client_port, self.peer_port = free_port(), free_port()
        self.endpoint = f"http://127.0.0.1:{self.client_port}"
        self.proc = None

    def start(self):
        peer = f"http://127.0.0.1:{self.peer_port}"
        self.proc = spawn(["etcd", "--name", "bench", "--data-dir", os.path.join(self.run_dir, "etcd"),
                           "--listen-client-urls", self.endpoint, "--advertise-client-urls", self.endpoint,
                           "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                           "--initial-cluster", "bench=" + peer],
                          os.path.join(self.run_dir, "etcd.log"), cwd=self.run_dir)

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.alive():
                raise BenchError("etcd exited at start-up (is etcd-server installed? make setup-test)")
            try:
                socket.create_connection(("127.0.0.1", self.client_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise BenchError(f"etcd did not listen within {timeout} s")

    def prepare(self):
        pass

    def remove_data(self):
        shutil.rmtree(os.path.join(self.run_dir, "etcd"), ignore_errors=True)

    def procs(self):
        return [self.proc] if self.proc is not None else []

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=5):
        return []


class StrataCluster(Cluster):
    name = "strata"

    def __init__(self, run_dir):
        super().__init__(run_dir)
        self.etcd = EtcdServer(run_dir)
        self.brokers = [StrataBroker(self.node_dir(i), i, self.etcd.endpoint) for i in range(1, self.size + 1)]
        self.nodes = [self.etcd] + self.brokers
        self.finish_init(self.brokers)

    def start(self):
        # The brokers register in etcd as they start: it listens first.
        self.etcd.start()
        self.etcd.wait_ready()
        for b in self.brokers:
            b.start()

    def sync_totals(self):
        totals = [b.sync_totals() for b in self.brokers]
        if any(t is None for t in totals):
            return None
        return sum(t[0] for t in totals), sum(t[1] for t in totals)


BROKERS = {"kafka": KafkaBroker, "strata": StrataBroker}
CLUSTERS = {"kafka": KafkaCluster, "strata": StrataCluster}
