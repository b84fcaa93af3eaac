"""Compatibility levels on real Avro, JSON Schema and Protobuf evolutions: at each level an incompatible
evolution is refused with 409 and a compatible one accepted, on registration
and on the /compatibility endpoint; transitive levels look past the latest
version."""

import json

import pytest

from registry_helpers import Registry, assert_error, avro_record, unique_subject

BASE = avro_record("Order", "a:int", "c:int")
ADD_REQUIRED = avro_record("Order", "a:int", "c:int", "n:string")      # new reader lacks a default
DROP_REQUIRED = avro_record("Order", "a:int")                          # old reader misses c
ADD_OPTIONAL = avro_record("Order", "a:int", "c:int", "n:string=x")    # fine both ways
UNRELATED = avro_record("Order", "z:string")

# level -> (an incompatible evolution of BASE, a compatible one)
CASES = {
    "BACKWARD": (ADD_REQUIRED, DROP_REQUIRED),
    "BACKWARD_TRANSITIVE": (ADD_REQUIRED, DROP_REQUIRED),
    "FORWARD": (DROP_REQUIRED, ADD_REQUIRED),
    "FORWARD_TRANSITIVE": (DROP_REQUIRED, ADD_REQUIRED),
    "FULL": (ADD_REQUIRED, ADD_OPTIONAL),
    "FULL_TRANSITIVE": (DROP_REQUIRED, ADD_OPTIONAL),
    "NONE": (None, UNRELATED),
}

# level -> (v2, v3): v3 is compatible with v2 but not with v1 = BASE.
CHAINS = {
    "BACKWARD": (ADD_OPTIONAL, ADD_REQUIRED),
    "FORWARD": (avro_record("Order", "a:int", "c:int=0"), DROP_REQUIRED),
    "FULL": (ADD_OPTIONAL, ADD_REQUIRED),
}


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    from conftest import Broker
    b = Broker(tmp_path_factory.mktemp("compat"))
    b.start()
    yield Registry(b.registry_url)
    failures = b.check_stopped_cleanly()
    assert not failures, "\n".join(failures)


def check(reg, subject, schema, version="latest"):
    status, body = reg.call("POST", f"/compatibility/subjects/{subject}/versions/{version}",
                            {"schema": json.dumps(schema)}, verbose=True)
    assert status == 200, body
    return body


@pytest.mark.parametrize("level", sorted(CASES))
def test_each_level_refuses_the_incompatible_and_accepts_the_compatible(reg, level):
    bad, good = CASES[level]
    s = unique_subject(level.lower())
    assert reg.call("PUT", f"/config/{s}", {"compatibility": level})[0] == 200
    reg.register_id(s, BASE)
    if bad is not None:
        verdict = check(reg, s, bad)
        assert verdict["is_compatible"] is False
        assert verdict["messages"], verdict
        assert_error(reg.register(s, bad), 409, 409)
    assert check(reg, s, good) == {"is_compatible": True, "messages": []}
    assert check(reg, s, good, version="1")["is_compatible"] is True
    assert reg.register(s, good)[0] == 200
    assert reg.call("GET", f"/subjects/{s}/versions")[1] == [1, 2]


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_transitive_levels_check_every_version(reg, kind):
    v2, v3 = CHAINS[kind]
    plain, transitive = unique_subject(kind.lower()), unique_subject(kind.lower() + "-t")
    for s, level in ((plain, kind), (transitive, kind + "_TRANSITIVE")):
        assert reg.call("PUT", f"/config/{s}", {"compatibility": level})[0] == 200
        reg.register_id(s, BASE)
        reg.register_id(s, v2)
    # Against the latest alone v3 is fine; against version 1 it is not.
    assert check(reg, transitive, v3, version="2")["is_compatible"] is True
    assert check(reg, transitive, v3, version="1")["is_compatible"] is False
    assert reg.register(plain, v3)[0] == 200
    assert_error(reg.register(transitive, v3), 409, 409)
    status, body = reg.call("POST", f"/compatibility/subjects/{transitive}/versions",
                            {"schema": json.dumps(v3)}, verbose=True)
    assert status == 200 and body["is_compatible"] is False


def test_a_new_subject_is_compatible_with_anything(reg):
    assert check(reg, unique_subject("fresh"), UNRELATED) == {"is_compatible": True}


def closed(**props):
    """A closed JSON object model: each property's JSON type (or list of types)."""
    return {"type": "object", "properties": {k: {"type": t} for k, t in props.items()},
            "additionalProperties": False}


JSON_BASE = closed(name="string")
JSON_NEW_PROPERTY = closed(name="string", age="integer")  # a closed old reader refuses age
JSON_BOUNDED = {**JSON_BASE, "properties": {"name": {"type": "string", "maxLength": 10}}}  # old data may be longer
JSON_DESCRIBED = {**JSON_BASE, "properties": {"name": {"type": "string", "description": "who"}}}

PB_BASE = 'syntax = "proto3";\npackage shop;\nmessage Order {\n  int64 id = 1;\n  oneof pay { string card = 2; string iban = 3; }\n}\n'
PB_ONEOF_GROWN = PB_BASE.replace("string iban = 3;", "string iban = 3; string voucher = 4;")  # old readers lack it
PB_ONEOF_SHRUNK = PB_BASE.replace(" string iban = 3;", "")  # old data may hold iban
PB_NOTE_ADDED = PB_BASE.replace("  int64 id = 1;\n", "  int64 id = 1;\n  string note = 5;\n")
PB_ID_REMOVED = PB_BASE.replace("  int64 id = 1;\n", "")
PB_ID_REUSED = PB_BASE.replace("int64 id = 1;", "string id = 1;")  # fine after PB_ID_REMOVED, not after PB_BASE
PB_ID_NARROWED = PB_BASE.replace("int64 id = 1;", "int32 id = 1;")  # the same wire type as int64

# (type, level, history, an incompatible candidate, a compatible one, the rule
# the incompatible one breaks). The history is registered under NONE, then the
# level is set: at a transitive level the incompatible candidate is compatible
# with the latest version and not with an earlier one.
FORMAT_CASES = {
    "json-forward": ("JSON", "FORWARD", [JSON_BASE], JSON_NEW_PROPERTY, JSON_BOUNDED,
                     "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"),
    "json-full": ("JSON", "FULL", [JSON_BASE], JSON_BOUNDED, JSON_DESCRIBED, "MAX_LENGTH_ADDED"),
    "json-backward-transitive": ("JSON", "BACKWARD_TRANSITIVE", [JSON_BASE, closed(name="integer")],
                                 closed(name="integer", age="integer"), closed(name=["string", "integer"]),
                                 "TYPE_CHANGED"),
    "protobuf-forward": ("PROTOBUF", "FORWARD", [PB_BASE], PB_ONEOF_GROWN, PB_ONEOF_SHRUNK, "ONEOF_FIELD_REMOVED"),
    "protobuf-full": ("PROTOBUF", "FULL", [PB_BASE], PB_ONEOF_SHRUNK, PB_NOTE_ADDED, "ONEOF_FIELD_REMOVED"),
    "protobuf-full-transitive": ("PROTOBUF", "FULL_TRANSITIVE", [PB_BASE, PB_ID_REMOVED], PB_ID_REUSED,
                                 PB_ID_NARROWED, "FIELD_SCALAR_KIND_CHANGED"),
}


def schema_body(schema_type, schema):
    return {"schemaType": schema_type, "schema": schema if isinstance(schema, str) else json.dumps(schema)}


@pytest.mark.parametrize("case", sorted(FORMAT_CASES))
def test_json_and_protobuf_levels_refuse_the_incompatible_and_accept_the_compatible(reg, case):
    schema_type, level, history, bad, good, rule = FORMAT_CASES[case]
    s = unique_subject(case)
    assert reg.call("PUT", f"/config/{s}", {"compatibility": "NONE"})[0] == 200
    for schema in history:
        reg.register_id(s, schema, schema_type=schema_type)
    assert reg.call("PUT", f"/config/{s}", {"compatibility": level})[0] == 200

    # /versions checks as registration would; /versions/{v} against v alone.
    status, verdict = reg.call("POST", f"/compatibility/subjects/{s}/versions", schema_body(schema_type, bad),
                               verbose=True)
    assert status == 200 and verdict["is_compatible"] is False, verdict
    assert any(m.startswith(rule + " at ") for m in verdict["messages"]), verdict
    if level.endswith("_TRANSITIVE"):
        latest = reg.call("POST", f"/compatibility/subjects/{s}/versions/latest", schema_body(schema_type, bad))
        assert latest == (200, {"is_compatible": True}), "only an earlier version objects"
        first = reg.call("POST", f"/compatibility/subjects/{s}/versions/1", schema_body(schema_type, bad))
        assert first == (200, {"is_compatible": False}), first
    assert_error(reg.register(s, bad, schema_type=schema_type), 409, 409)

    status, verdict = reg.call("POST", f"/compatibility/subjects/{s}/versions", schema_body(schema_type, good),
                               verbose=True)
    assert (status, verdict) == (200, {"is_compatible": True, "messages": []})
    assert reg.register(s, good, schema_type=schema_type)[0] == 200
    assert reg.call("GET", f"/subjects/{s}/versions")[1] == list(range(1, len(history) + 2))
