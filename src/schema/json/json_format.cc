#include "strata/schema/json/json_compatibility.h"

namespace strata::schema {
namespace {

// The JSON Schema format: a stateless singleton, used on the broker thread.
class json_format_impl final : public format {
public:
    schema_type type() const override { return schema_type::json; }
    result<schema_ptr, std::string> parse(const schema_source& source) const override {
        return json_schema::compile(source);
    }
    std::vector<std::string> read_incompatibilities(const parsed_schema& reader,
                                                    const parsed_schema& writer) const override {
        const auto* r = dynamic_cast<const json_schema*>(&reader);
        const auto* w = dynamic_cast<const json_schema*>(&writer);
        if (!r || !w) return {"both schemas must be JSON schemas"};
        return json_read_incompatibilities(*r, *w);
    }
};

} // namespace

const format& json_format() {
    static const json_format_impl instance;
    return instance;
}

} // namespace strata::schema
