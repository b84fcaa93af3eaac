#pragma once
// The `format` query parameter of the schema-reading endpoints. Confluent's
// Protobuf clients ask for `format=serialized`: the schema as a base64
// FileDescriptorProto instead of .proto text (their deserializers build
// descriptors from it). Other formats and values return the text as stored.

#include "strata/schema/rest/rest_request.h"
#include "strata/schema/schema_lookup.h"
#include "strata/schema/schema_store.h"

namespace strata::schema {

// `def` with its text in the format the request asks for; `parsed` is the
// schema parsed (null when unknown: the stored text is returned).
schema_definition in_requested_format(const schema_definition& def, const parsed_schema* parsed,
                                      const rest_request& req);

} // namespace strata::schema
