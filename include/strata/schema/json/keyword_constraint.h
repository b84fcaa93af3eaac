#pragma once
// What a keyword constraint of our own needs to live inside a valijson schema:
// copying itself into valijson's storage, and a builder that makes it from
// the keyword's value (Derived::make, which throws on a bad value: parse time
// only). Constraints are owned by the compiled schema and immutable.

#include <new>
#include <stdexcept>
#include <string>

#include "strata/schema/json/valijson.h"

namespace strata::schema {

template<class Derived>
class keyword_constraint : public valijson::constraints::PolyConstraint {
private:
    Constraint* cloneInto(void* where) const override {
        return new (where) Derived(static_cast<const Derived&>(*this));
    }
    size_t sizeOf() const override { return sizeof(Derived); }
};

template<class Constraint>
class keyword_builder final : public valijson::ConstraintBuilder {
public:
    valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
        return Constraint::make(value);
    }
};

inline std::string keyword_string(const valijson::adapters::Adapter& value, const char* keyword) {
    std::string text;
    if (!value.getString(text)) throw std::runtime_error(std::string("'") + keyword + "' must be a string");
    return text;
}

} // namespace strata::schema
