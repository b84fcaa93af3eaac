#pragma once
// Whether a reader JSON Schema accepts every document a writer schema accepts,
// in the spirit of Confluent's JSON Schema checker and with its rule names.
// Sound, not complete: "compatible" is only said when it holds; what is not
// analysed must be unchanged. What is analysed:
// - "type" (integer widening to number is compatible; a writer's "enum" or
//   "const" counts by the types of its values): TYPE_NARROWED, TYPE_CHANGED;
// - "enum"/"const": the writer's values must be among the reader's:
//   ENUM_ARRAY_NARROWED;
// - string, number, array and object bounds (maxLength, minLength, maximum,
//   minimum and their exclusive forms per draft, multipleOf, maxItems,
//   minItems, uniqueItems, maxProperties, minProperties, pattern):
//   <KEYWORD>_ADDED when only the reader bounds, _DECREASED/_INCREASED when
//   the reader bounds tighter, PATTERN_CHANGED, MULTIPLE_OF_CHANGED;
// - objects: REQUIRED_ATTRIBUTE_ADDED; a property the reader declares and an
//   open writer does not: PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL (unless the
//   reader accepts anything there); a property the writer declares and a
//   closed reader does not: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL;
//   additionalProperties: ADDITIONAL_PROPERTIES_REMOVED (reader closes an open
//   writer) or recursively; properties recursively;
// - arrays: "items" as one schema, recursively;
// - "$ref": followed on both sides (into references too); a pair of schemas
//   met again while comparing is taken as compatible (recursive schemas).
// Every other keyword (allOf, anyOf, oneOf, not, if/then/else, tuple "items",
// additionalItems, contains, patternProperties, propertyNames, dependencies,
// format, ...) must be the same text in the reader as in the writer when the
// reader has it: <KEYWORD>_CHANGED (COMBINED_TYPE_CHANGED for the
// combinators). Keywords only the writer has narrow the writer and are safe.
// Each result reads "RULE at #/json/path: what differs". Used by the JSON
// Schema format on the broker thread.

#include <string>
#include <vector>

#include "strata/schema/json/json_schema.h"

namespace strata::schema {

std::vector<std::string> json_read_incompatibilities(const json_schema& reader, const json_schema& writer);

} // namespace strata::schema
