"""The two brokers under test: Apache Kafka (KRaft combined mode, its shipped
configuration) and Strata, each on free ports with a fresh data directory."""

import base64
import os
import re
import urllib.request
import uuid

from .procs import (SERVER_HEAP, TOOL_HEAP, BenchError, free_port, java_cmd, run_tool,
                    spawn)



class Broker:
    name = ""

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

    def log_tail(self, n=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.readlines()[-n:]
        except OSError:
            return []


class KafkaBroker(Broker):
    """Apache Kafka in KRaft combined mode, configured as the config/server.properties
    that Kafka 4.x ships, with ports and log.dirs of this run."""
    name = "kafka"

    def prepare(self):
        self.controller_port = free_port()
        props = f"""\
# Kafka 4.x's shipped config/server.properties, on this run's ports and log.dirs.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{self.controller_port}
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
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
"""
        self.props_path = os.path.join(self.run_dir, "server.properties")
        with open(self.props_path, "w") as f:
            f.write(props)
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        rc, out, err = run_tool("storage-format", java_cmd(
            TOOL_HEAP, "kafka.tools.StorageTool", "format", "-t", cluster_id,
            "-c", self.props_path, "--standalone"), self.run_dir, 120)
        if rc != 0:
            raise BenchError(f"kafka storage format failed (rc={rc}): {err.strip()[-500:]}")

    def command(self):
        return java_cmd(SERVER_HEAP, "kafka.Kafka", self.props_path,
                        log4j="server-log4j2.properties")


class StrataBroker(Broker):
    name = "strata"
    binary = None

    def __init__(self, run_dir):
        super().__init__(run_dir)
        self.metrics_port = free_port()

    def command(self):
        return [self.binary,
                "--override", "log.dirs=" + self.data_dir,
                "--override", f"listeners=PLAINTEXT://{self.bootstrap}",
                "--override", f"advertised.listeners=PLAINTEXT://{self.bootstrap}",
                "--override", f"admin.listeners=http://127.0.0.1:{self.metrics_port}",
                "--override", "schema.registry.listeners=http://127.0.0.1:0"]


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


BROKERS = {"kafka": KafkaBroker, "strata": StrataBroker}
