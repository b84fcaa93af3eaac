"""The embedded schema registry over HTTP: Confluent Schema Registry's REST
API, its error codes, soft and hard deletes, references, modes and configs,
all against the real broker binary."""

import json

import pytest

from registry_helpers import Registry, assert_error, avro_record, unique_subject

V1 = avro_record("Order", "a:int", "c:int")


@pytest.fixture
def reg(broker):
    return Registry(broker.registry_url)


def test_register_lookup_and_read_back(reg):
    s = unique_subject("orders")
    other = unique_subject("copies")
    first = reg.register_id(s, V1)
    # The same schema again is the same version; under another subject, the same ID.
    assert reg.register_id(s, V1) == first
    assert reg.register_id(other, V1) == first
    v2 = avro_record("Order", "a:int", "c:int", "n:string=x")
    second = reg.register_id(s, v2)
    assert second != first

    assert reg.call("GET", f"/subjects/{s}/versions") == (200, [1, 2])
    status, latest = reg.call("GET", f"/subjects/{s}/versions/latest")
    assert status == 200
    assert (latest["subject"], latest["version"], latest["id"]) == (s, 2, second)
    assert json.loads(latest["schema"]) == v2
    assert "schemaType" not in latest  # AVRO is the default, as Confluent leaves it out
    assert reg.call("GET", f"/subjects/{s}/versions/1")[1]["id"] == first
    status, text = reg.call("GET", f"/subjects/{s}/versions/2/schema")
    assert status == 200 and (json.loads(text) if isinstance(text, str) else text) == v2

    status, found = reg.call("POST", f"/subjects/{s}", {"schema": json.dumps(V1)})
    assert status == 200 and (found["version"], found["id"]) == (1, first)

    assert json.loads(reg.call("GET", f"/schemas/ids/{first}")[1]["schema"]) == V1
    assert reg.call("GET", f"/schemas/ids/{first}/subjects")[1] == sorted([s, other])
    assert sorted(map(lambda v: (v["subject"], v["version"]), reg.call("GET", f"/schemas/ids/{first}/versions")[1])) \
        == sorted([(s, 1), (other, 1)])
    status, raw = reg.call("GET", f"/schemas/ids/{second}/schema")
    assert status == 200 and (json.loads(raw) if isinstance(raw, str) else raw) == v2
    assert sorted(reg.call("GET", "/schemas/types")[1]) == ["AVRO", "JSON", "PROTOBUF"]
    listed = reg.call("GET", "/schemas", subjectPrefix=s)[1]
    assert [(x["subject"], x["version"], x["id"]) for x in listed] == [(s, 1, first), (s, 2, second)]
    assert [x["version"] for x in reg.call("GET", "/schemas", subjectPrefix=s, latestOnly=True)[1]] == [2]
    assert {s, other} <= set(reg.call("GET", "/subjects")[1])
    # Plain application/json bodies are accepted too.
    status, body = reg.call("POST", f"/subjects/{s}/versions", {"schema": json.dumps(V1)},
                            content_type="application/json")
    assert (status, body) == (200, {"id": first})


def test_error_codes(reg):
    s = unique_subject("errors")
    assert_error(reg.call("GET", f"/subjects/{s}/versions"), 404, 40401)
    assert_error(reg.call("GET", f"/subjects/{s}/versions/1"), 404, 40401)
    assert_error(reg.call("POST", f"/subjects/{s}", {"schema": json.dumps(V1)}), 404, 40401)
    reg.register_id(s, V1)
    assert_error(reg.call("GET", f"/subjects/{s}/versions/7"), 404, 40402)
    assert_error(reg.call("GET", f"/subjects/{s}/versions/abc"), 422, 42202)
    assert_error(reg.call("GET", f"/subjects/{s}/versions/0"), 422, 42202)
    assert_error(reg.call("GET", "/schemas/ids/987654"), 404, 40403)
    assert_error(reg.call("POST", f"/subjects/{s}", {"schema": json.dumps(avro_record("Other", "z:int"))}), 404, 40403)
    assert_error(reg.register(s, '{"type": "record", "name": "Broken", "fields": [{"name": "x"}]}'), 422, 42201)
    assert_error(reg.register(s, "not json at all"), 422, 42201)
    assert_error(reg.register(s, json.dumps(V1), schema_type="XML"), 422, 42201)
    assert_error(reg.call("PUT", "/config", {"compatibility": "SIDEWAYS"}), 422, 42203)
    assert_error(reg.call("PUT", "/mode", {"mode": "WRITEONLY"}), 422, 42204)
    assert_error(reg.call("GET", f"/config/{s}"), 404, 40408)
    assert_error(reg.call("GET", f"/mode/{s}"), 404, 40409)
    assert_error(reg.call("GET", "/no/such/path"), 404, 404)
    assert_error(reg.call("PATCH", "/subjects"), 405, 405)
    status, body = reg.call("POST", f"/subjects/{s}/versions", None)
    assert status in (400, 422) and "error_code" in body
    incompatible = avro_record("Order", "a:int", "c:int", "n:string")
    assert_error(reg.register(s, incompatible), 409, 409)


def test_soft_and_hard_deletes(reg):
    s = unique_subject("deletes")
    id1 = reg.register_id(s, V1)
    id2 = reg.register_id(s, avro_record("Order", "a:int", "c:int", "n:string=x"))
    assert_error(reg.call("DELETE", f"/subjects/{s}/versions/2", permanent=True), 404, 40407)
    assert reg.call("DELETE", f"/subjects/{s}/versions/2") == (200, 2)
    assert_error(reg.call("DELETE", f"/subjects/{s}/versions/2"), 404, 40406)
    assert reg.call("GET", f"/subjects/{s}/versions") == (200, [1])
    assert reg.call("GET", f"/subjects/{s}/versions", deleted=True) == (200, [1, 2])
    assert_error(reg.call("GET", f"/subjects/{s}/versions/2"), 404, 40402)
    assert reg.call("GET", f"/subjects/{s}/versions/2", deleted=True)[1]["id"] == id2
    # A soft-deleted schema keeps its ID (old records must still decode).
    assert reg.call("GET", f"/schemas/ids/{id2}")[0] == 200
    assert reg.call("DELETE", f"/subjects/{s}/versions/2", permanent=True) == (200, 2)
    assert_error(reg.call("GET", f"/schemas/ids/{id2}"), 404, 40403)

    assert_error(reg.call("DELETE", f"/subjects/{s}", permanent=True), 404, 40405)
    assert reg.call("DELETE", f"/subjects/{s}") == (200, [1])
    assert_error(reg.call("DELETE", f"/subjects/{s}"), 404, 40404)
    assert s not in reg.call("GET", "/subjects")[1]
    assert s in reg.call("GET", "/subjects", deleted=True)[1]
    assert_error(reg.call("GET", f"/subjects/{s}/versions"), 404, 40401)
    assert reg.call("POST", f"/subjects/{s}", {"schema": json.dumps(V1)}, deleted=True)[1]["id"] == id1
    assert reg.call("DELETE", f"/subjects/{s}", permanent=True) == (200, [1])
    assert s not in reg.call("GET", "/subjects", deleted=True)[1]
    assert_error(reg.call("DELETE", f"/subjects/{s}"), 404, 40401)


def test_references(reg):
    base_subject = unique_subject("base")
    base = avro_record("Money", "units:long", "currency:string")
    base_id = reg.register_id(base_subject, base)
    user_subject = unique_subject("payment")
    payment = {"type": "record", "name": "Payment", "namespace": "dev.strata.it",
               "fields": [{"name": "amount", "type": "dev.strata.it.Money"}]}
    refs = [{"name": "dev.strata.it.Money", "subject": base_subject, "version": 1}]
    # Without the reference the type is unknown.
    assert_error(reg.register(user_subject, payment), 422, 42201)
    payment_id = reg.register_id(user_subject, payment, references=refs)
    assert payment_id != base_id
    status, by_id = reg.call("GET", f"/schemas/ids/{payment_id}")
    assert status == 200 and by_id["references"] == refs
    assert reg.call("GET", f"/subjects/{user_subject}/versions/1")[1]["references"] == refs
    assert reg.call("GET", f"/subjects/{base_subject}/versions/1/referencedby") == (200, [payment_id])
    assert_error(reg.call("DELETE", f"/subjects/{base_subject}/versions/1"), 422, 42206)
    assert_error(reg.call("DELETE", f"/subjects/{base_subject}"), 422, 42206)
    # Once the referring schema is gone for good, the base may go.
    assert reg.call("DELETE", f"/subjects/{user_subject}")[0] == 200
    assert reg.call("DELETE", f"/subjects/{user_subject}", permanent=True)[0] == 200
    assert reg.call("GET", f"/subjects/{base_subject}/versions/1/referencedby") == (200, [])
    assert reg.call("DELETE", f"/subjects/{base_subject}") == (200, [1])


def test_config_endpoints(reg):
    s = unique_subject("config")
    assert reg.call("GET", "/config") == (200, {"compatibilityLevel": "BACKWARD"})
    assert reg.call("PUT", f"/config/{s}", {"compatibility": "FULL_TRANSITIVE"}) == \
        (200, {"compatibility": "FULL_TRANSITIVE"})
    assert reg.call("GET", f"/config/{s}") == (200, {"compatibilityLevel": "FULL_TRANSITIVE"})
    assert reg.call("DELETE", f"/config/{s}") == (200, {"compatibilityLevel": "FULL_TRANSITIVE"})
    assert_error(reg.call("GET", f"/config/{s}"), 404, 40408)
    assert reg.call("GET", f"/config/{s}", defaultToGlobal=True) == (200, {"compatibilityLevel": "BACKWARD"})
    assert reg.call("PUT", "/config", {"compatibility": "none"}) == (200, {"compatibility": "NONE"})
    assert reg.call("GET", f"/config/{s}", defaultToGlobal=True) == (200, {"compatibilityLevel": "NONE"})
    # Global NONE: an incompatible evolution is accepted.
    reg.register_id(s, V1)
    reg.register_id(s, avro_record("Order", "z:string"))
    assert reg.call("DELETE", "/config") == (200, {"compatibilityLevel": "NONE"})
    assert reg.call("GET", "/config") == (200, {"compatibilityLevel": "BACKWARD"})


def test_modes(reg):
    s = unique_subject("modes")
    reg.register_id(s, V1)
    assert reg.call("GET", "/mode") == (200, {"mode": "READWRITE"})
    assert reg.call("PUT", f"/mode/{s}", {"mode": "READONLY"}) == (200, {"mode": "READONLY"})
    assert reg.call("GET", f"/mode/{s}") == (200, {"mode": "READONLY"})
    assert_error(reg.register(s, avro_record("Order", "a:int", "c:int", "n:string=x")), 422, 42205)
    assert_error(reg.call("DELETE", f"/subjects/{s}"), 422, 42205)
    assert reg.call("DELETE", f"/mode/{s}") == (200, {"mode": "READONLY"})
    assert reg.call("GET", f"/mode/{s}", defaultToGlobal=True) == (200, {"mode": "READWRITE"})
    # An ID may be given only in IMPORT mode, which needs force over existing schemas.
    assert_error(reg.register(s, avro_record("Order", "a:int", "c:int", "n:string=x"), id=5000), 422, 42205)
    assert_error(reg.call("PUT", f"/mode/{s}", {"mode": "IMPORT"}), 422, 42205)
    imported = unique_subject("imported")
    assert reg.call("PUT", f"/mode/{imported}", {"mode": "IMPORT"}) == (200, {"mode": "IMPORT"})
    assert reg.register(imported, avro_record("Imported", "q:int"), id=5000, version=3) == (200, {"id": 5000})
    assert reg.call("GET", f"/subjects/{imported}/versions") == (200, [3])
    assert reg.call("GET", "/schemas/ids/5000")[0] == 200
    # Fresh IDs continue above the imported one.
    assert reg.register_id(unique_subject("after"), avro_record("After", "q:int")) > 5000


def test_metrics_count_subjects_and_schemas(broker, reg):
    def gauge(name):
        for line in broker.metrics().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(f"{name} not exported")

    reg.register_id(unique_subject("m1"), V1)
    reg.register_id(unique_subject("m2"), V1)
    reg.register_id(unique_subject("m3"), avro_record("Other", "x:int"))
    assert gauge("strata_schema_registry_subjects") == 3
    assert gauge("strata_schema_registry_schemas") == 2


def test_a_taken_registry_port_stops_the_broker(tmp_path):
    import socket

    from conftest import Broker
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        b = Broker(tmp_path, [f"schema.registry.listeners=http://127.0.0.1:{port}"])
        with pytest.raises(RuntimeError, match="exited at start-up"):
            b.start()
    assert f"cannot serve the schema registry on 127.0.0.1:{port}" in b.log_path.read_text()
    assert not b.sanitizer_report(), b.sanitizer_report()


def test_protobuf_schemas_with_an_imported_reference(reg):
    money_subject = unique_subject("money")
    money = 'syntax = "proto3";\npackage acme;\nmessage Money { int64 units = 1; string currency = 2; }\n'
    money_id = reg.register_id(money_subject, money, schema_type="PROTOBUF")
    refs = [{"name": "acme/money.proto", "subject": money_subject, "version": 1}]
    pay = ('syntax = "proto3";\npackage acme;\nimport "acme/money.proto";\n'
           'message Pay { acme.Money amount = 1; }\n')
    s = unique_subject("pay")
    assert_error(reg.register(s, pay, schema_type="PROTOBUF"), 422, 42201)  # the import is unresolved
    pay_id = reg.register_id(s, pay, schema_type="PROTOBUF", references=refs)
    status, got = reg.call("GET", f"/subjects/{s}/versions/latest")
    assert status == 200
    assert (got["id"], got["schemaType"], got["references"], got["schema"]) == (pay_id, "PROTOBUF", refs, pay)
    assert reg.call("GET", f"/subjects/{money_subject}/versions/1/referencedby") == (200, [pay_id])
    # Changing a message field to a scalar is refused by Protobuf's own rules.
    changed = pay.replace("acme.Money amount", "string amount")
    assert_error(reg.register(s, changed, schema_type="PROTOBUF", references=refs), 409, 409)
    assert money_id != pay_id


def test_json_schemas_with_a_ref_to_another_subject(reg):
    address_subject = unique_subject("address")
    address = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "address.json", "type": "object",
               "properties": {"city": {"type": "string"}}, "required": ["city"]}
    address_id = reg.register_id(address_subject, address, schema_type="JSON")
    person = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Person", "type": "object",
              "properties": {"name": {"type": "string"}, "home": {"$ref": "address.json"}}}
    refs = [{"name": "address.json", "subject": address_subject, "version": 1}]
    s = unique_subject("person")
    person_id = reg.register_id(s, person, schema_type="JSON", references=refs)
    assert person_id != address_id
    status, got = reg.call("GET", f"/schemas/ids/{person_id}")
    assert status == 200 and got["schemaType"] == "JSON" and got["references"] == refs
    assert json.loads(got["schema"]) == person
    # Key order is not part of a JSON schema's identity: the same ID, the same version.
    reordered = json.dumps(dict(reversed(list(person.items()))))
    status, found = reg.call("POST", f"/subjects/{s}", {"schema": reordered, "schemaType": "JSON", "references": refs})
    assert status == 200 and (found["id"], found["version"]) == (person_id, 1)
    assert reg.register_id(s, reordered, schema_type="JSON", references=refs) == person_id
    assert_error(reg.register(s, '{"type": "no-such-type"}', schema_type="JSON"), 422, 42201)


def test_json_schema_evolution_follows_its_compatibility_rules(reg):
    def closed(**props):
        return {"type": "object", "properties": {k: {"type": t} for k, t in props.items()},
                "additionalProperties": False}

    s = unique_subject("json-evolution")
    reg.register_id(s, closed(name="string"), schema_type="JSON")
    assert_error(reg.register(s, closed(name="integer"), schema_type="JSON"), 409, 409)
    # A new optional property of a closed model: old data never has it.
    assert reg.register(s, closed(name="string", age="integer"), schema_type="JSON")[0] == 200
    assert reg.call("GET", f"/subjects/{s}/versions")[1] == [1, 2]
