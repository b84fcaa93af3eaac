"""The registry's state lives in _schemas: a clean restart and kill -9 keep
IDs, versions, deletes, configs and modes, and new IDs never reuse old ones."""

import json

from registry_helpers import Registry, avro_record, unique_subject


def snapshot(reg, subjects, ids):
    return {
        "subjects": reg.call("GET", "/subjects", deleted=True)[1],
        "versions": {s: reg.call("GET", f"/subjects/{s}/versions", deleted=True)[1] for s in subjects},
        "latest": {s: reg.call("GET", f"/subjects/{s}/versions/latest")[1] for s in subjects},
        "by_id": {i: reg.call("GET", f"/schemas/ids/{i}")[1] for i in ids},
        "config": reg.call("GET", "/config")[1],
        "subject_config": reg.call("GET", f"/config/{subjects[0]}")[1],
        "mode": reg.call("GET", f"/mode/{subjects[1]}")[1],
    }


def test_restart_and_kill9_keep_ids_versions_and_settings(broker):
    reg = Registry(broker.registry_url)
    a, b = unique_subject("a"), unique_subject("b")
    ids = [reg.register_id(a, avro_record("A", f"f{i}:int=0" if i else "f0:int", *[f"g{j}:int=0" for j in range(i)]))
           for i in range(3)]
    ids.append(reg.register_id(b, avro_record("B", "x:string")))
    assert reg.call("DELETE", f"/subjects/{a}/versions/1")[0] == 200
    assert reg.call("PUT", "/config", {"compatibility": "FORWARD"})[0] == 200
    assert reg.call("PUT", f"/config/{a}", {"compatibility": "NONE"})[0] == 200
    assert reg.call("PUT", f"/mode/{b}", {"mode": "READONLY"})[0] == 200
    before = snapshot(reg, [a, b], ids)
    assert before["versions"][a] == [1, 2, 3]

    broker.restart()
    reg = Registry(broker.registry_url)
    assert snapshot(reg, [a, b], ids) == before

    # Written, acknowledged, then the process dies: still there.
    c = unique_subject("c")
    late = reg.register_id(c, avro_record("C", "y:long"))
    assert late > max(ids)
    broker.kill9()
    broker.start()
    reg = Registry(broker.registry_url)
    after = snapshot(reg, [a, b], ids)
    assert after.pop("subjects") == sorted(before.pop("subjects") + [c])
    assert after == before
    status, got = reg.call("GET", f"/subjects/{c}/versions/1")
    assert status == 200 and got["id"] == late
    assert json.loads(got["schema"]) == avro_record("C", "y:long")
    # The next ID is above every earlier one.
    assert reg.register_id(unique_subject("d"), avro_record("D", "z:int")) > late
