"""confluent-kafka-python's SchemaRegistryClient against the embedded registry."""

import json

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from registry_helpers import avro_record, unique_subject


def test_schema_registry_client(broker):
    client = SchemaRegistryClient({"url": broker.registry_url})
    subject = unique_subject("client")
    v1 = Schema(json.dumps(avro_record("Payment", "id:string", "amount:double")), "AVRO")
    first = client.register_schema(subject, v1)
    assert first > 0

    latest = client.get_latest_version(subject)
    assert (latest.schema_id, latest.version, latest.subject) == (first, 1, subject)
    assert json.loads(latest.schema.schema_str) == json.loads(v1.schema_str)

    found = client.lookup_schema(subject, v1)
    assert (found.schema_id, found.version) == (first, 1)
    assert client.get_schema(first).schema_type == "AVRO"

    assert client.set_compatibility(subject, "FULL") == {"compatibility": "FULL"}
    assert client.get_compatibility(subject) == "FULL"
    incompatible = Schema(json.dumps(avro_record("Payment", "id:string", "amount:double", "note:string")), "AVRO")
    assert client.test_compatibility(subject, incompatible) is False
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema(subject, incompatible)
    assert refused.value.http_status_code == 409
    compatible = Schema(json.dumps(avro_record("Payment", "id:string", "amount:double", "note:string=none")), "AVRO")
    assert client.test_compatibility(subject, compatible) is True
    second = client.register_schema(subject, compatible)
    assert client.get_versions(subject) == [1, 2]
    assert subject in client.get_subjects()

    assert client.delete_subject(subject) == [1, 2]
    assert subject not in client.get_subjects()
    assert client.delete_subject(subject, permanent=True) == [1, 2]
    # A fresh client: the first one caches what it has read.
    with pytest.raises(SchemaRegistryError) as gone:
        SchemaRegistryClient({"url": broker.registry_url}).get_latest_version(subject)
    assert gone.value.error_code == 40401
    assert second != first
