"""Compatibility levels on real Avro evolutions: at each level an incompatible
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
    assert b.stop() == 0, b.log_tail()


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
