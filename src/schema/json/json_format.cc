// Placeholder until the json format lands: every schema is refused as unsupported.
#include "strata/schema/format.h"

namespace strata::schema {
namespace {

class unsupported_json final : public format {
public:
    schema_type type() const override { return *parse_schema_type("JSON"); }
    result<schema_ptr, std::string> parse(const schema_source&) const override {
        return fail(std::string("JSON schemas are not supported yet"));
    }
    std::vector<std::string> read_incompatibilities(const parsed_schema&, const parsed_schema&) const override {
        return {"not supported"};
    }
};

} // namespace

const format& json_format() {
    static const unsupported_json instance;
    return instance;
}

} // namespace strata::schema
