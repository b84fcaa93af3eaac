"""Helpers for the schema-registry tests: a REST client of the broker's
Confluent-compatible registry, and Avro record schemas built from field lists."""

import json
import uuid

import requests

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class Registry:
    """Thin requests wrapper: each call returns (status, decoded JSON body)."""

    def __init__(self, url):
        self.url = url
        self.http = requests.Session()

    def call(self, method, path, body=None, content_type=CONTENT_TYPE, **params):
        headers = {"Content-Type": content_type, "Accept": CONTENT_TYPE}
        data = None if body is None else json.dumps(body)
        params = {k: ("true" if v is True else v) for k, v in params.items()}
        r = self.http.request(method, self.url + path, data=data, headers=headers, params=params, timeout=30)
        try:
            return r.status_code, r.json()
        except ValueError:
            return r.status_code, r.text

    def register(self, subject, schema, schema_type=None, references=None, **extra):
        body = {"schema": schema if isinstance(schema, str) else json.dumps(schema)}
        if schema_type:
            body["schemaType"] = schema_type
        if references:
            body["references"] = references
        body.update(extra)
        return self.call("POST", f"/subjects/{subject}/versions", body)

    def register_id(self, subject, schema, **kw):
        status, body = self.register(subject, schema, **kw)
        assert status == 200, body
        return body["id"]


def unique_subject(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}-value"


def avro_record(name, *fields):
    """An Avro record: each field "n:type" (required) or "n:type=default"."""
    out = []
    for f in fields:
        decl, _, default = f.partition("=")
        fname, ftype = decl.split(":")
        field = {"name": fname, "type": ftype}
        if default:
            field["default"] = int(default) if ftype in ("int", "long") else default
        out.append(field)
    return {"type": "record", "name": name, "namespace": "dev.strata.it", "fields": out}


def assert_error(result, status, code):
    got_status, body = result
    assert got_status == status, body
    assert isinstance(body, dict) and body.get("error_code") == code, body
    assert body.get("message"), body
