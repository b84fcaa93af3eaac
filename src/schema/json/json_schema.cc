#include "strata/schema/json/json_schema.h"

#include <exception>

#include "strata/schema/json/json_canonical.h"
#include "strata/schema/json/keyword_constraints.h"
#include "strata/schema/json/json_parse.h"
#include "strata/schema/json/json_references.h"
#include "strata/schema/json/json_uri.h"
#include "strata/schema/json/valijson.h"

namespace strata::schema {
namespace {

using dependency_map = std::map<std::string, boost::json::value>;

constexpr size_t max_detailed_record = 32 * 1024;

std::unique_ptr<valijson::Schema> compile_with_valijson(const boost::json::value& document,
                                                        const json_references& references, json_draft draft) {
    valijson::SchemaParser parser(draft == json_draft::draft4 ? valijson::SchemaParser::kDraft4
                                                              : valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder(std::string(pattern_keyword), new_pattern_constraint_builder());
    parser.addConstraintBuilder(std::string(format_keyword), new_format_constraint_builder());
    parser.addConstraintBuilder(std::string(unique_items_keyword), new_unique_items_constraint_builder());
    auto fetch = [&references](const std::string& uri) -> const boost::json::value* {
        const auto* found = references.fetch(uri);
        return found ? new boost::json::value(*found) : nullptr;
    };
    auto release = [](const boost::json::value* document) { delete document; };
    auto schema = std::make_unique<valijson::Schema>();
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(document), *schema, fetch, release);
    return schema;
}

// "/a/0" from valijson's context {"<root>", "[a]", "[0]"}, as a JSON Pointer.
std::string pointer(const std::vector<std::string>& context) {
    std::string out;
    for (size_t i = 1; i < context.size(); ++i) {
        std::string_view step = context[i];
        if (step.size() >= 2 && step.front() == '[' && step.back() == ']') step = step.substr(1, step.size() - 2);
        out += '/' + pointer_token(step);
    }
    return out;
}

// The first error valijson reports is the innermost one: the most specific.
std::string describe(valijson::ValidationResults& results) {
    size_t count = results.numErrors();
    valijson::ValidationResults::Error first;
    if (!results.popError(first)) return "does not match the schema";
    std::string path = pointer(first.context);
    std::string out = "at " + (path.empty() ? std::string("the document root") : path) + ": " + first.description;
    if (count > 1) out += " (" + std::to_string(count - 1) + " more errors)";
    return out;
}

// The longest object key in a record, to keep std::regex within its stack.
size_t longest_key(const boost::json::value& value) {
    size_t longest = 0;
    if (const auto* object = value.if_object()) {
        for (const auto& member : *object) {
            longest = std::max({longest, member.key().size(), longest_key(member.value())});
        }
    } else if (const auto* array = value.if_array()) {
        for (const auto& element : *array) longest = std::max(longest, longest_key(element));
    }
    return longest;
}

} // namespace

result<schema_ptr, std::string> json_schema::compile(const schema_source& source) {
    auto document = parse_json(source.text);
    if (!document) return fail("Invalid schema: not valid JSON: " + document.error());
    if (!document->is_object() && !document->is_bool()) {
        return fail(std::string("Invalid schema: a JSON Schema is an object or a boolean"));
    }
    auto draft = detect_json_draft(*document);
    if (!draft) return fail("Invalid schema: " + draft.error());
    if (const auto* object = document->if_object()) {
        if (const auto* title = object->if_contains("title"); title && !title->is_string()) {
            return fail(std::string("Invalid schema: \"title\" must be a string"));
        }
    }

    dependency_map dependencies, prepared_dependencies;
    for (const auto& [name, text] : source.dependencies) {
        auto parsed = parse_json(text);
        if (!parsed) return fail("Invalid schema: reference " + name + " is not valid JSON: " + parsed.error());
        boost::json::value prepared = *parsed;
        if (auto r = prepare_for_valijson(prepared); !r) return fail("Invalid schema: reference " + name + ": " + r.error());
        prepared_dependencies.emplace(name, std::move(prepared));
        dependencies.emplace(name, std::move(*parsed));
    }
    boost::json::value prepared = *document;
    auto keywords = prepare_for_valijson(prepared);
    if (!keywords) return fail("Invalid schema: " + keywords.error());
    auto references = json_references::resolve(prepared, std::move(prepared_dependencies));
    if (!references) return fail("Invalid schema: " + references.error());

    std::unique_ptr<valijson::Schema> compiled;
    try {
        compiled = compile_with_valijson(prepared, *references, *draft);
    } catch (const std::exception& e) {
        return fail("Invalid schema: " + std::string(e.what()));
    }
    return schema_ptr(std::make_shared<json_schema>(std::move(*document), std::move(dependencies), *draft, *keywords,
                                                    std::move(compiled)));
}

json_schema::json_schema(boost::json::value document, std::map<std::string, boost::json::value> dependencies,
                         json_draft draft, valijson_keywords keywords, std::unique_ptr<valijson::Schema> compiled)
    : document_(std::move(document)), dependencies_(std::move(dependencies)), draft_(draft), keywords_(keywords),
      compiled_(std::move(compiled)), canonical_(canonical_json(document_)) {
    if (const auto* object = document_.if_object()) {
        if (const auto* title = object->if_contains("title"); title && title->is_string()) {
            title_ = std::string(title->get_string());
        }
    }
}

json_schema::~json_schema() = default;

std::optional<std::string> json_schema::validate(std::span<const uint8_t> payload) const {
    auto record = parse_json({reinterpret_cast<const char*>(payload.data()), payload.size()});
    if (!record) return "payload is not valid JSON: " + record.error();
    if (keywords_.uses_pattern_properties && longest_key(*record) > valijson_keywords::max_pattern_property_name) {
        return "a property name is longer than " + std::to_string(valijson_keywords::max_pattern_property_name) +
               " bytes, the most that can be matched against 'patternProperties'";
    }
    // Valijson throws only on a bad schema, which compile() has ruled out; a
    // throw here would still be a bug in it, and must not cross into the broker.
    // The first pass keeps no errors and stops at the first: valijson records
    // every failure it meets (300 MB for a 1 MB array of wrong items), so only
    // a small record is validated again for the failing path.
    try {
        valijson::Validator validator;
        valijson::adapters::BoostJsonAdapter adapter(*record);
        if (validator.validate(*compiled_, adapter, nullptr)) return std::nullopt;
        if (payload.size() > max_detailed_record) {
            return "does not match the schema (the failing path is reported for records up to " +
                   std::to_string(max_detailed_record) + " bytes)";
        }
        valijson::ValidationResults results;
        validator.validate(*compiled_, adapter, &results);
        return describe(results);
    } catch (const std::exception& e) {
        return "the record could not be validated: " + std::string(e.what());
    }
}

} // namespace strata::schema
