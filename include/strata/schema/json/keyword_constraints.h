#pragma once
// Keywords Strata checks itself inside valijson, because valijson's own
// checks can crash or throw on a record:
// - "pattern", with Boost.Regex: libstdc++'s std::regex recurses once per
//   input character and overflows the stack on a long string (one 100 KB
//   record would crash the broker); Boost.Regex matches iteratively and gives
//   up with an error past a complexity bound.
// - "format" date, time and date-time (RFC 3339, the formats valijson checks):
//   valijson reads every instance as a string, throwing on a number, and runs
//   std::regex on it. Non-strings pass, as the drafts say; other formats are
//   annotations, as in valijson.
// - "uniqueItems", by hashing each item's canonical text: valijson compares
//   every pair, O(n^2), and records an error per equal pair, so one array of
//   100,000 equal items would stall the broker and exhaust its memory.
// The schema is rewritten so valijson sees these under names of their own
// (see valijson_keywords.h). Each builder is new; valijson's SchemaParser
// takes ownership. make() throws (at parse time only) on a non-string value
// or an invalid regular expression.

namespace valijson {
class ConstraintBuilder;
}

namespace strata::schema {

const valijson::ConstraintBuilder* new_pattern_constraint_builder();
const valijson::ConstraintBuilder* new_format_constraint_builder();
const valijson::ConstraintBuilder* new_unique_items_constraint_builder();

} // namespace strata::schema
