#pragma once
// The "format" keyword for date, time and date-time (RFC 3339), the formats
// valijson checks. Valijson's own check reads every instance as a string and
// throws on a number, and runs std::regex (which recurses per character) on
// arbitrarily long strings; this one ignores non-strings, as the drafts say,
// and parses by hand. Other formats are annotations, as valijson treats them.

namespace valijson {
class ConstraintBuilder;
}

namespace strata::schema {

// A new builder; valijson's SchemaParser takes ownership. Its make() throws
// (at parse time only) when "format" is not a string.
const valijson::ConstraintBuilder* new_format_constraint_builder();

} // namespace strata::schema
