#pragma once
// Compatibility levels applied to a subject's history: which earlier versions
// a new schema is checked against (the latest live one, or every live one when
// transitive) and in which direction (BACKWARD: the new schema reads data
// written with the old; FORWARD: the old reads the new; FULL: both). The
// per-format rules come from format::read_incompatibilities. Pure; any thread.

#include <cstdint>
#include <string>
#include <vector>

#include "strata/schema/format.h"
#include "strata/schema/registry_types.h"

namespace strata::schema {

struct existing_version {
    int32_t version = 0;
    schema_ptr schema;
};

// Why `candidate` may not follow `existing` (live versions, oldest first) at
// `level`; empty when it may.
// `f` is the candidate's format.
std::vector<std::string> incompatibilities(const format& f, compatibility_level level, const parsed_schema& candidate,
                                           const std::vector<existing_version>& existing);

} // namespace strata::schema
