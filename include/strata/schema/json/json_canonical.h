#pragma once
// Canonical JSON text: object keys sorted bytewise, no whitespace, numbers in
// their shortest round-trip form. Two schemas that differ only in formatting
// or key order get the same text, hence the same registry ID.

#include <string>

#include <boost/json/value.hpp>

namespace strata::schema {

std::string canonical_json(const boost::json::value& value);

} // namespace strata::schema
