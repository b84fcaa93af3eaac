#pragma once
// Logical types as Java Avro 1.11 reads them (LogicalTypes.fromSchemaIgnoreInvalid):
// a logicalType attribute that is unknown, or invalid for its underlying type,
// is ignored rather than rejected. Used by the parser on the broker thread.

#include "avro_node.h"

namespace strata::schema::avro {

// The node's logical type, from its props and underlying type; none when
// absent or invalid.
logical_type detect_logical_type(const avro_node& n);

} // namespace strata::schema::avro
