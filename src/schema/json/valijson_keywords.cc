#include "strata/schema/json/valijson_keywords.h"

#include "strata/schema/json/json_subschemas.h"

#include <regex>
#include <utility>
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
    for (const auto& member : *object) {
        std::string_view key = member.key();
        if (member.value().is_string() && key == "pattern") renames.emplace_back(key, pattern_keyword);
        if (member.value().is_string() && key == "format") renames.emplace_back(key, format_keyword);
        if (member.value().is_bool() && key == "uniqueItems") renames.emplace_back(key, unique_items_keyword);
        if (key == "patternProperties") {
            found.uses_pattern_properties = true;
            if (auto r = check_pattern_properties(member.value()); !r) return r;
        }
    }
    auto children = for_each_subschema(*object, "", [&](boost::json::value& child, const std::string&) {
        return walk(child, found);
    });
    if (!children) return children;
    for (const auto& [from, to] : renames) {
        boost::json::value moved = std::move(object->at(from));
        object->erase(from);
        (*object)[to] = std::move(moved);
    }
    return {};
}

} // namespace

result<valijson_keywords, std::string> prepare_for_valijson(boost::json::value& schema) {
    valijson_keywords found;
    if (auto r = walk(schema, found); !r) return fail(r.error());
    return found;
}

} // namespace strata::schema
