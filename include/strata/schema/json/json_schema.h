#pragma once
// A registered JSON Schema: its document, canonical text and the compiled
// valijson schema records are validated against. Created by the JSON Schema
// format's parse(), immutable afterwards and shared by the registry and the
// produce path, on the broker thread.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "strata/schema/format.h"
#include "strata/schema/json/json_draft.h"
#include "strata/schema/json/valijson_keywords.h"

namespace valijson {
class Schema;
}

namespace strata::schema {

class json_schema final : public parsed_schema {
public:
    // Parses the text and its references, and compiles them. Valijson reports
    // a bad schema by throwing; that becomes the error value here.
    static result<schema_ptr, std::string> compile(const schema_source& source);

    ~json_schema() override;

    schema_type type() const override { return schema_type::json; }
    const std::string& canonical_text() const override { return canonical_; }
    std::optional<std::string> validate(std::span<const uint8_t> payload) const override;
    // Confluent's rule: the top-level "title" whatever the payload.
    std::optional<std::string> record_name(std::span<const uint8_t>) const override { return title_; }

    const boost::json::value& document() const { return document_; }
    // The referenced schemas, by the name the references use.
    const std::map<std::string, boost::json::value>& dependencies() const { return dependencies_; }
    json_draft draft() const { return draft_; }

    json_schema(boost::json::value document, std::map<std::string, boost::json::value> dependencies,
                json_draft draft, valijson_keywords keywords, std::unique_ptr<valijson::Schema> compiled);

private:
    boost::json::value document_;
    std::map<std::string, boost::json::value> dependencies_;
    json_draft draft_;
    valijson_keywords keywords_;
    std::unique_ptr<valijson::Schema> compiled_;
    std::string canonical_;
    std::optional<std::string> title_;
};

} // namespace strata::schema
