#include "strata/schema/json/pattern_constraint.h"

#include <new>
#include <stdexcept>
#include <string>

#include <boost/regex.hpp>

#include "strata/schema/json/valijson.h"

namespace strata::schema {
namespace {

// Owned by the compiled valijson schema; immutable after parsing.
class pattern_constraint final : public valijson::constraints::PolyConstraint {
public:
    explicit pattern_constraint(std::string pattern)
        : pattern_(std::move(pattern)), regex_(compile(pattern_)) {}

    bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        if (!target.isString()) return true;
        const std::string text = target.getString();
        std::string problem;
        try {
            if (boost::regex_search(text, regex_)) return true;
            problem = "String does not match the 'pattern' " + pattern_ + ".";
        } catch (const std::exception&) {
            problem = "String is too complex to match against the 'pattern' " + pattern_ + ".";
        }
        if (results) results->pushError(context, problem);
        return false;
    }

private:
    static boost::regex compile(const std::string& pattern) {
        try {
            return boost::regex(pattern, boost::regex::ECMAScript);
        } catch (const boost::regex_error& e) {
            throw std::runtime_error("'pattern' " + pattern + " is not a valid regular expression: " + e.what());
        }
    }

    Constraint* cloneInto(void* where) const override { return new (where) pattern_constraint(*this); }
    size_t sizeOf() const override { return sizeof(*this); }

    std::string pattern_;
    boost::regex regex_;
};

class pattern_builder final : public valijson::ConstraintBuilder {
public:
    valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
        std::string pattern;
        if (!value.getString(pattern)) throw std::runtime_error("'pattern' must be a string");
        return new pattern_constraint(std::move(pattern));
    }
};

} // namespace

const valijson::ConstraintBuilder* new_pattern_constraint_builder() {
    return new pattern_builder;
}

} // namespace strata::schema
