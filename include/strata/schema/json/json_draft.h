#pragma once
// Which JSON Schema draft a schema is written in, from its "$schema" keyword,
// as Confluent decides it: an absent or unknown URI means draft 7.

#include <string>

#include <boost/json/value.hpp>

#include "strata/base/result.h"

namespace strata::schema {

enum class json_draft { draft4, draft6, draft7 };

// Fails for drafts the validator cannot check (3, 2019-09, 2020-12), naming them.
result<json_draft, std::string> detect_json_draft(const boost::json::value& schema);

} // namespace strata::schema
