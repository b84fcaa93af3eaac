#include <charconv>
#include <map>
#include <vector>

#include <boost/json/serialize.hpp>

#include "strata/schema/json/keyword_constraint.h"
#include "strata/schema/json/keyword_constraints.h"

namespace strata::schema {
namespace {

// The canonical JSON text of a record value seen through valijson's adapter:
// sorted keys and shortest numbers, so equal JSON values (1 and 1.0, objects
// in any key order) have equal texts.
void canonical(const valijson::adapters::Adapter& v, std::string& out) {
    if (v.isNull()) {
        out += "null";
    } else if (v.isBool()) {
        out += v.getBool() ? "true" : "false";
    } else if (v.isString()) {
        out += boost::json::serialize(boost::json::string_view(v.getString()));
    } else if (v.isInteger()) {
        out += std::to_string(v.getInteger());
    } else if (v.isNumber()) {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.getDouble());
        out.append(buffer, ec == std::errc() ? end : buffer);
    } else if (v.isArray()) {
        out += '[';
        bool first = true;
        v.applyToArray([&](const valijson::adapters::Adapter& element) {
            if (!first) out += ',';
            first = false;
            canonical(element, out);
            return true;
        });
        out += ']';
    } else if (v.isObject()) {
        std::map<std::string, std::string> members;
        v.applyToObject([&](const std::string& key, const valijson::adapters::Adapter& member) {
            canonical(member, members[key]);
            return true;
        });
        out += '{';
        bool first = true;
        for (const auto& [key, text] : members) {
            if (!first) out += ',';
            first = false;
            out += boost::json::serialize(boost::json::string_view(key)) + ':' + text;
        }
        out += '}';
    }
}

class unique_items_constraint final : public keyword_constraint<unique_items_constraint> {
public:
    static unique_items_constraint* make(const valijson::adapters::Adapter& value) {
        bool unique = false;
        if (!value.getBool(unique)) throw std::runtime_error("'uniqueItems' must be a boolean");
        return new unique_items_constraint(unique);
    }

    explicit unique_items_constraint(bool enabled) : enabled_(enabled) {}

    bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        if (!enabled_ || !target.isArray()) return true;
        std::map<std::string, size_t> seen;
        size_t index = 0;
        std::string problem;
        target.applyToArray([&](const valijson::adapters::Adapter& element) {
            std::string text;
            canonical(element, text);
            auto [it, fresh] = seen.emplace(std::move(text), index);
            if (!fresh) {
                problem = "Elements at indexes #" + std::to_string(it->second) + " and #" + std::to_string(index) +
                          " are equal, and 'uniqueItems' forbids it.";
            }
            ++index;
            return fresh;
        });
        if (problem.empty()) return true;
        if (results) results->pushError(context, problem);
        return false;
    }

private:
    bool enabled_;
};

} // namespace

const valijson::ConstraintBuilder* new_unique_items_constraint_builder() {
    return new keyword_builder<unique_items_constraint>;
}

} // namespace strata::schema
