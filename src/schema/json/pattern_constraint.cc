#include "strata/schema/json/keyword_constraints.h"

#include <stdexcept>
#include <string>

#include <boost/regex.hpp>

#include "strata/schema/json/keyword_constraint.h"

namespace strata::schema {
namespace {

// Owned by the compiled valijson schema; immutable after parsing.
class pattern_constraint final : public keyword_constraint<pattern_constraint> {
public:
    static pattern_constraint* make(const valijson::adapters::Adapter& value) {
        return new pattern_constraint(keyword_string(value, "pattern"));
    }

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

    std::string pattern_;
    boost::regex regex_;
};

} // namespace

const valijson::ConstraintBuilder* new_pattern_constraint_builder() {
    return new keyword_builder<pattern_constraint>;
}

} // namespace strata::schema
