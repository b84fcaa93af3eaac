// The Avro format: schemas per the Avro 1.11 specification, payloads in the
// binary encoding, compatibility by Avro's schema resolution rules.
#include "strata/schema/format.h"

#include "avro_compatibility.h"
#include "avro_parser.h"
#include "avro_schema.h"

namespace strata::schema {
namespace {

// Stateless; every parse builds its own node store. Broker thread.
class avro_format_impl final : public format {
public:
    schema_type type() const override { return schema_type::avro; }

    result<schema_ptr, std::string> parse(const schema_source& source) const override {
        auto store = std::make_unique<avro::avro_node_store>();
        avro::avro_parser parser(*store);
        if (auto bad = parse_references(parser, source)) return fail(std::move(*bad));
        const avro::avro_node* root = parser.parse(source.text, false);
        if (!root) return fail(parser.error());
        return schema_ptr(std::make_shared<const avro::avro_schema>(std::move(store), *root));
    }

    std::vector<std::string> read_incompatibilities(const parsed_schema& reader,
                                                    const parsed_schema& writer) const override {
        auto* r = dynamic_cast<const avro::avro_schema*>(&reader);
        auto* w = dynamic_cast<const avro::avro_schema*>(&writer);
        if (!r || !w) return {"Incompatible because of different schema type"};
        return avro::avro_compatibility::check(r->root(), w->root());
    }

private:
    // Referenced schemas define named types before the main schema is read.
    // They may refer to each other and the map is keyed by name, not in
    // dependency order, so each round parses whichever now can.
    static std::optional<std::string> parse_references(avro::avro_parser& parser, const schema_source& source) {
        std::vector<const std::pair<const std::string, std::string>*> pending;
        for (const auto& dep : source.dependencies) pending.push_back(&dep);
        while (!pending.empty()) {
            std::vector<const std::pair<const std::string, std::string>*> failed;
            std::string first_error;
            for (const auto* dep : pending) {
                if (parser.parse(dep->second, true)) continue;
                if (first_error.empty()) first_error = "Invalid reference " + dep->first + ": " + parser.error();
                failed.push_back(dep);
            }
            if (failed.size() == pending.size()) return first_error;
            pending = std::move(failed);
        }
        return std::nullopt;
    }
};

} // namespace

const format& avro_format() {
    static const avro_format_impl instance;
    return instance;
}

} // namespace strata::schema
