#pragma once
// What a keyword constraint of our own needs to live inside a valijson schema
// (copying itself into valijson's storage) and to be built from the keyword's
// string value. Constraints are owned by the compiled schema, immutable.

#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "strata/schema/json/valijson.h"

namespace strata::schema {

template<class Derived>
class string_keyword_constraint : public valijson::constraints::PolyConstraint {
private:
    Constraint* cloneInto(void* where) const override {
        return new (where) Derived(static_cast<const Derived&>(*this));
    }
    size_t sizeOf() const override { return sizeof(Derived); }
};

template<class Constraint>
class string_keyword_builder final : public valijson::ConstraintBuilder {
public:
    explicit string_keyword_builder(const char* keyword) : keyword_(keyword) {}

    valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
        std::string text;
        if (!value.getString(text)) throw std::runtime_error(std::string("'") + keyword_ + "' must be a string");
        return new Constraint(std::move(text));
    }

private:
    const char* keyword_;
};

} // namespace strata::schema
