// Placeholder until the avro format lands: every schema is refused as unsupported.
#include "strata/schema/format.h"

namespace strata::schema {
namespace {

class unsupported_avro final : public format {
public:
    schema_type type() const override { return *parse_schema_type("AVRO"); }
    result<schema_ptr, std::string> parse(const schema_source&) const override {
        return fail(std::string("AVRO schemas are not supported yet"));
    }
    std::vector<std::string> read_incompatibilities(const parsed_schema&, const parsed_schema&) const override {
        return {"not supported"};
    }
};

} // namespace

const format& avro_format() {
    static const unsupported_avro instance;
    return instance;
}

} // namespace strata::schema
