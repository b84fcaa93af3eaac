#include "avro_schema.h"

#include "avro_canonical_writer.h"
#include "avro_decoder.h"

namespace strata::schema::avro {

avro_schema::avro_schema(std::unique_ptr<avro_node_store> nodes, const avro_node& root)
    : nodes_(std::move(nodes)), root_(&root), canonical_(avro_canonical_writer::write(root)) {}

std::optional<std::string> avro_schema::validate(std::span<const uint8_t> payload) const {
    return avro_decoder(payload).validate(*root_);
}

std::optional<std::string> avro_schema::record_name(std::span<const uint8_t>) const {
    if (root_->kind == avro_kind::record) return root_->full_name;
    return std::nullopt;
}

} // namespace strata::schema::avro
