#pragma once
// The "pattern" keyword, checked with Boost.Regex instead of valijson's
// std::regex: libstdc++'s matcher recurses once per input character and
// overflows the stack on a long string (a single 100 KB record would crash
// the broker), while Boost.Regex matches iteratively and gives up with an
// error past a complexity bound. The schema is rewritten so valijson sees
// this keyword under its own name (see valijson_keywords.h).

namespace valijson {
class ConstraintBuilder;
}

namespace strata::schema {

// A new builder; valijson's SchemaParser takes ownership. Its make() throws
// (at parse time only) when the pattern is not a valid regular expression.
const valijson::ConstraintBuilder* new_pattern_constraint_builder();

} // namespace strata::schema
