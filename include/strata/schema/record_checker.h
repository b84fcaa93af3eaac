#pragma once
// Checks produced records' keys and values against one topic's validation
// settings: the Confluent prefix names a schema ID (`id`), registered under
// the subject the topic's strategy derives, and with `full` the data also
// decodes and validates against that schema. Null keys and values are not
// checked: keyless records and tombstones carry no schema.
//
// Created per produced batch on the broker thread; it remembers which
// (subject, ID) pairs it already resolved, since a batch's records usually
// share one schema.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/cluster/schema_validation_config.h"
#include "strata/schema/schema_lookup.h"

namespace strata::schema {

struct check_failure {
    std::string reason;
    int32_t schema_id = -1;  // the ID the payload named; -1 when it named none
};

class record_checker {
public:
    // `lookup` may be null (no registry): every checked record then fails.
    record_checker(const schema_lookup* lookup, std::string_view topic, const cluster::schema_validation_config& cfg)
        : lookup_(lookup), topic_(topic), cfg_(cfg), key_subject_(std::string(topic) + "-key"),
          value_subject_(std::string(topic) + "-value") {}
    // It keeps a reference to the topic's settings: never to a temporary.
    record_checker(const schema_lookup*, std::string_view, cluster::schema_validation_config&&) = delete;

    // Nothing when the record passes.
    std::optional<check_failure> check(std::optional<std::span<const uint8_t>> key,
                                       std::optional<std::span<const uint8_t>> value);

private:
    std::optional<check_failure> check_part(bool is_key, std::span<const uint8_t> bytes);
    // The subject the strategy derives; computed names land in `scratch`.
    const std::string& subject_for(bool is_key, const parsed_schema& schema, std::span<const uint8_t> data,
                                   std::string& scratch, std::optional<std::string>& problem) const;
    bool registered_under(const std::string& subject, int32_t id);

    struct resolved {
        std::string subject;
        int32_t id;
        bool registered;
    };

    const schema_lookup* lookup_;
    std::string_view topic_;
    const cluster::schema_validation_config& cfg_;
    std::vector<resolved> seen_;
    // TopicNameStrategy's subjects, built once per batch rather than per record.
    std::string key_subject_;
    std::string value_subject_;
};

} // namespace strata::schema
