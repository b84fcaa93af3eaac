// Placeholder until the protobuf format lands: every schema is refused as unsupported.
#include "strata/schema/format.h"

namespace strata::schema {
namespace {

class unsupported_protobuf final : public format {
public:
    schema_type type() const override { return *parse_schema_type("PROTOBUF"); }
    result<schema_ptr, std::string> parse(const schema_source&) const override {
        return fail(std::string("PROTOBUF schemas are not supported yet"));
    }
    std::vector<std::string> read_incompatibilities(const parsed_schema&, const parsed_schema&) const override {
        return {"not supported"};
    }
};

} // namespace

const format& protobuf_format() {
    static const unsupported_protobuf instance;
    return instance;
}

} // namespace strata::schema
