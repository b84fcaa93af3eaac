#pragma once
// What produce-time validation needs from the registry: a schema by its
// global ID, and whether an ID is registered under a subject. The registry
// implements it; validator unit tests use a small in-memory one. Broker thread.

#include <cstdint>
#include <string_view>

#include "strata/schema/format.h"

namespace strata::schema {

class schema_lookup {
public:
    virtual ~schema_lookup() = default;
    // The parsed schema with this ID, or null when no live (not hard-deleted)
    // version of any subject has it.
    virtual schema_ptr by_id(int32_t id) const = 0;
    // Whether a live, not soft-deleted version of `subject` has this ID.
    virtual bool registered_under(std::string_view subject, int32_t id) const = 0;
    // Takes in what was registered since (in a cluster, what other brokers
    // registered); called before a batch is checked.
    virtual void catch_up() {}
};

} // namespace strata::schema
