#include "strata/schema/json/valijson_keywords.h"

#include <regex>
#include <vector>

namespace strata::schema {
namespace {

result<void, std::string> check_pattern_properties(const boost::json::value& map) {
    const auto* object = map.if_object();
    if (!object) return {};
    for (const auto& member : *object) {
        try {
            std::regex check(std::string(member.key()));
        } catch (const std::regex_error& e) {
            return fail("'patternProperties' key " + std::string(member.key()) +
                        " is not a valid regular expression: " + e.what());
        }
    }
    return {};
}

result<void, std::string> walk(boost::json::value& node, valijson_keywords& found) {
    if (auto* array = node.if_array()) {
        for (auto& element : *array) {
            if (auto r = walk(element, found); !r) return r;
        }
        return {};
    }
    auto* object = node.if_object();
    if (!object) return {};
    std::vector<std::pair<std::string, std::string_view>> renames;
    for (auto& member : *object) {
        std::string_view key = member.key();
        if (is_data_keyword(key)) continue;
        if (member.value().is_string()) {
            if (key == "pattern") renames.emplace_back(std::string(key), pattern_keyword);
            if (key == "format") renames.emplace_back(std::string(key), format_keyword);
            continue;
        }
        if (key == "uniqueItems" && member.value().is_bool()) {
            renames.emplace_back(std::string(key), unique_items_keyword);
            continue;
        }
        if (key == "patternProperties") {
            found.uses_pattern_properties = true;
            if (auto r = check_pattern_properties(member.value()); !r) return r;
        }
        if (auto r = walk(member.value(), found); !r) return r;
    }
    for (const auto& [from, to] : renames) {
        boost::json::value moved = std::move(object->at(from));
        object->erase(from);
        (*object)[to] = std::move(moved);
    }
    return {};
}

} // namespace

bool is_data_keyword(std::string_view key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

result<valijson_keywords, std::string> prepare_for_valijson(boost::json::value& schema) {
    valijson_keywords found;
    if (auto r = walk(schema, found); !r) return fail(r.error());
    return found;
}

} // namespace strata::schema
