#include "strata/schema/record_checker.h"

#include <fmt/format.h>

#include "strata/schema/wire_format.h"

namespace strata::schema {

std::optional<check_failure> record_checker::check(std::optional<std::span<const uint8_t>> key,
                                                   std::optional<std::span<const uint8_t>> value) {
    if (cfg_.key != cluster::schema_check::none && key)
        if (auto f = check_part(true, *key)) return f;
    if (cfg_.value != cluster::schema_check::none && value)
        if (auto f = check_part(false, *value)) return f;
    return std::nullopt;
}

std::optional<check_failure> record_checker::check_part(bool is_key, std::span<const uint8_t> bytes) {
    const char* part = is_key ? "key" : "value";
    auto frame = parse_frame(bytes);
    if (!frame) {
        if (bytes.size() < wire_prefix_size)
            return check_failure{fmt::format("{} of {} bytes is too short for a schema ID prefix", part, bytes.size())};
        return check_failure{fmt::format("{} has no schema ID: its first byte is {}, not the magic byte 0", part,
                                         int(bytes[0]))};
    }
    const int32_t id = frame->schema_id;
    schema_ptr schema = lookup_ ? lookup_->by_id(id) : nullptr;
    if (!schema) return check_failure{fmt::format("{} names schema ID {}, which is not registered", part, id), id};

    std::optional<std::string> problem;
    std::string scratch;
    const auto& subject = subject_for(is_key, *schema, frame->data, scratch, problem);
    if (problem) return check_failure{fmt::format("{}: {}", part, *problem), id};
    if (!registered_under(subject, id))
        return check_failure{fmt::format("{} names schema ID {}, which is not registered under subject {}", part, id,
                                         subject),
                             id};

    const auto level = is_key ? cfg_.key : cfg_.value;
    if (level == cluster::schema_check::full)
        if (auto invalid = schema->validate(frame->data))
            return check_failure{fmt::format("{} does not match schema ID {}: {}", part, id, *invalid), id};
    return std::nullopt;
}

const std::string& record_checker::subject_for(bool is_key, const parsed_schema& schema,
                                               std::span<const uint8_t> data, std::string& scratch,
                                               std::optional<std::string>& problem) const {
    const auto strategy = is_key ? cfg_.key_strategy : cfg_.value_strategy;
    if (strategy == cluster::subject_strategy::topic_name)
        return is_key ? key_subject_ : value_subject_;
    auto name = schema.record_name(data);
    if (!name || name->empty()) {
        problem = "the schema names no record, which the record name strategy needs";
        return scratch;
    }
    scratch = strategy == cluster::subject_strategy::record_name ? std::move(*name) : fmt::format("{}-{}", topic_, *name);
    return scratch;
}

bool record_checker::registered_under(const std::string& subject, int32_t id) {
    for (const auto& r : seen_)
        if (r.id == id && r.subject == subject) return r.registered;
    bool registered = lookup_->registered_under(subject, id);
    seen_.push_back({subject, id, registered});
    return registered;
}

} // namespace strata::schema
