#pragma once
// A parsed Avro schema: the node graph (with the types of its references),
// its canonical text, payload validation and the record name. Built by
// avro_format::parse, then immutable and shared by the registry and the
// produce path on the broker thread.

#include <memory>

#include "avro_node.h"
#include "strata/schema/format.h"

namespace strata::schema::avro {

class avro_schema final : public parsed_schema {
public:
    avro_schema(std::unique_ptr<avro_node_store> nodes, const avro_node& root);

    schema_type type() const override { return schema_type::avro; }
    const std::string& canonical_text() const override { return canonical_; }
    std::optional<std::string> validate(std::span<const uint8_t> payload) const override;
    // The top-level record's full name. Other top-level types have none, as in
    // Confluent's AvroSchema.name(), so RecordNameStrategy refuses them.
    std::optional<std::string> record_name(std::span<const uint8_t> payload) const override;

    const avro_node& root() const { return *root_; }

private:
    std::unique_ptr<avro_node_store> nodes_;
    const avro_node* root_;
    std::string canonical_;
};

} // namespace strata::schema::avro
