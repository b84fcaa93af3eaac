// The Protobuf schema format: Confluent-registry semantics on libprotobuf's
// descriptors. A stateless singleton; runs on the broker thread.
#include "strata/schema/format.h"
#include "strata/schema/protobuf/descriptor_loader.h"
#include "strata/schema/protobuf/protobuf_schema.h"
#include "strata/schema/protobuf/schema_diff.h"

namespace strata::schema {
namespace {

class protobuf_format_impl final : public format {
public:
    schema_type type() const override { return schema_type::protobuf; }

    result<schema_ptr, std::string> parse(const schema_source& source) const override {
        auto loaded = proto::descriptor_loader(source).load();
        if (!loaded) return fail(loaded.error());
        schema_ptr schema = std::make_shared<proto::protobuf_schema>(std::move(loaded->pool), *loaded->file);
        // A base64 descriptor may hold names no .proto file can (a field named
        // "9lives"); its canonical text, which the REST API serves, must parse.
        if (auto text = proto::parse_proto_file(schema->canonical_text()); !text) {
            return fail("the schema cannot be written as a .proto file: " + text.error());
        }
        return schema;
    }

    std::vector<std::string> read_incompatibilities(const parsed_schema& reader,
                                                    const parsed_schema& writer) const override {
        const auto* r = dynamic_cast<const proto::protobuf_schema*>(&reader);
        const auto* w = dynamic_cast<const proto::protobuf_schema*>(&writer);
        if (r == nullptr || w == nullptr) return {"a Protobuf schema is only compatible with Protobuf schemas"};
        return proto::schema_diff(w->file(), r->file()).incompatibilities();
    }
};

} // namespace

const format& protobuf_format() {
    static const protobuf_format_impl instance;
    return instance;
}

} // namespace strata::schema
