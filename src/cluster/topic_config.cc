#include "strata/cluster/topic_config.h"

#include "strata/cluster/topic_table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <vector>

namespace strata::cluster {
namespace {

constexpr int64_t hour_ms = 3600 * 1000;
constexpr int64_t minute_ms = 60 * 1000;

constexpr std::array<broker_synonym, 3> retention_ms_synonyms{
    {{"log.retention.ms", 1}, {"log.retention.minutes", minute_ms}, {"log.retention.hours", hour_ms}}};
constexpr std::array<broker_synonym, 2> segment_ms_synonyms{{{"log.roll.ms", 1}, {"log.roll.hours", hour_ms}}};
constexpr std::array<broker_synonym, 2> segment_jitter_synonyms{
    {{"log.roll.jitter.ms", 1}, {"log.roll.jitter.hours", hour_ms}}};

#define STRATA_SYNONYM(var, key) constexpr std::array<broker_synonym, 1> var{{{key, 1}}};
STRATA_SYNONYM(cleanup_policy_syn, "log.cleanup.policy")
STRATA_SYNONYM(compression_syn, "compression.type")
STRATA_SYNONYM(delete_retention_syn, "log.cleaner.delete.retention.ms")
STRATA_SYNONYM(file_delete_delay_syn, "log.segment.delete.delay.ms")
STRATA_SYNONYM(flush_messages_syn, "log.flush.interval.messages")
STRATA_SYNONYM(flush_ms_syn, "log.flush.interval.ms")
STRATA_SYNONYM(index_interval_syn, "log.index.interval.bytes")
STRATA_SYNONYM(max_compaction_lag_syn, "log.cleaner.max.compaction.lag.ms")
STRATA_SYNONYM(max_message_syn, "message.max.bytes")
STRATA_SYNONYM(ts_type_syn, "log.message.timestamp.type")
STRATA_SYNONYM(ts_before_syn, "log.message.timestamp.before.max.ms")
STRATA_SYNONYM(ts_after_syn, "log.message.timestamp.after.max.ms")
STRATA_SYNONYM(dirty_ratio_syn, "log.cleaner.min.cleanable.ratio")
STRATA_SYNONYM(min_compaction_lag_syn, "log.cleaner.min.compaction.lag.ms")
STRATA_SYNONYM(min_isr_syn, "min.insync.replicas")
STRATA_SYNONYM(retention_bytes_syn, "log.retention.bytes")
STRATA_SYNONYM(segment_bytes_syn, "log.segment.bytes")
STRATA_SYNONYM(segment_index_syn, "log.index.size.max.bytes")
STRATA_SYNONYM(unclean_syn, "unclean.leader.election.enable")
STRATA_SYNONYM(local_retention_ms_syn, "log.local.retention.ms")
STRATA_SYNONYM(local_retention_bytes_syn, "log.local.retention.bytes")
STRATA_SYNONYM(preallocate_syn, "log.preallocate")
// Schema validation configs keep one name at both levels: the broker-level
// property of the same name is the default for every topic.
STRATA_SYNONYM(confluent_key_validation_syn, "confluent.key.schema.validation")
STRATA_SYNONYM(confluent_key_strategy_syn, "confluent.key.subject.name.strategy")
STRATA_SYNONYM(confluent_value_validation_syn, "confluent.value.schema.validation")
STRATA_SYNONYM(confluent_value_strategy_syn, "confluent.value.subject.name.strategy")
STRATA_SYNONYM(dlq_topic_syn, "strata.dlq.topic")
STRATA_SYNONYM(key_validation_syn, "strata.key.schema.validation")
STRATA_SYNONYM(key_strategy_syn, "strata.key.subject.name.strategy")
STRATA_SYNONYM(validation_failure_syn, "strata.schema.validation.failure")
STRATA_SYNONYM(value_validation_syn, "strata.value.schema.validation")
STRATA_SYNONYM(value_strategy_syn, "strata.value.subject.name.strategy")
#undef STRATA_SYNONYM

// cleanup.policy is a list of these, e.g. "compact,delete".
constexpr std::array<std::string_view, 2> cleanup_policies{"delete", "compact"};
constexpr std::array<std::string_view, 6> compression_types{"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"};
constexpr std::array<std::string_view, 2> timestamp_types{"CreateTime", "LogAppendTime"};
constexpr std::array<std::string_view, 2> booleans{"true", "false"};
constexpr std::array<std::string_view, 3> schema_checks{"none", "id", "full"};
constexpr std::array<std::string_view, 2> validation_failures{"reject", "dlq"};
// Short names, and the Java class names Confluent's serializers and configs use.
constexpr std::array<std::string_view, 6> subject_strategies{
    "TopicNameStrategy", "RecordNameStrategy", "TopicRecordNameStrategy",
    "io.confluent.kafka.serializers.subject.TopicNameStrategy",
    "io.confluent.kafka.serializers.subject.RecordNameStrategy",
    "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"};

const topic_config_def defs[] = {
    {"cleanup.policy", config_type::list, "delete", cleanup_policy_syn, cleanup_policies},
    {"compression.type", config_type::string, "producer", compression_syn, compression_types},
    {"confluent.key.schema.validation", config_type::boolean, "false", confluent_key_validation_syn, booleans},
    {"confluent.key.subject.name.strategy", config_type::string,
     "io.confluent.kafka.serializers.subject.TopicNameStrategy", confluent_key_strategy_syn, subject_strategies},
    {"confluent.value.schema.validation", config_type::boolean, "false", confluent_value_validation_syn, booleans},
    {"confluent.value.subject.name.strategy", config_type::string,
     "io.confluent.kafka.serializers.subject.TopicNameStrategy", confluent_value_strategy_syn, subject_strategies},
    {"delete.retention.ms", config_type::int64, "86400000", delete_retention_syn, {}},
    {"file.delete.delay.ms", config_type::int64, "60000", file_delete_delay_syn, {}},
    {"flush.messages", config_type::int64, "9223372036854775807", flush_messages_syn, {}},
    {"flush.ms", config_type::int64, "9223372036854775807", flush_ms_syn, {}},
    {"index.interval.bytes", config_type::int32, "4096", index_interval_syn, {}},
    {"local.retention.bytes", config_type::int64, "-2", local_retention_bytes_syn, {}},
    {"local.retention.ms", config_type::int64, "-2", local_retention_ms_syn, {}},
    {"max.compaction.lag.ms", config_type::int64, "9223372036854775807", max_compaction_lag_syn, {}},
    {"max.message.bytes", config_type::int32, "1048588", max_message_syn, {}},
    {"message.timestamp.after.max.ms", config_type::int64, "3600000", ts_after_syn, {}},
    {"message.timestamp.before.max.ms", config_type::int64, "9223372036854775807", ts_before_syn, {}},
    {"message.timestamp.type", config_type::string, "CreateTime", ts_type_syn, timestamp_types},
    {"min.cleanable.dirty.ratio", config_type::float64, "0.5", dirty_ratio_syn, {}},
    {"min.compaction.lag.ms", config_type::int64, "0", min_compaction_lag_syn, {}},
    {"min.insync.replicas", config_type::int32, "1", min_isr_syn, {}},
    {"preallocate", config_type::boolean, "false", preallocate_syn, {}},
    {"remote.storage.enable", config_type::boolean, "false", {}, {}},
    {"retention.bytes", config_type::int64, "-1", retention_bytes_syn, {}},
    {"retention.ms", config_type::int64, "604800000", retention_ms_synonyms, {}},
    {"segment.bytes", config_type::int32, "1073741824", segment_bytes_syn, {}},
    {"segment.index.bytes", config_type::int32, "10485760", segment_index_syn, {}},
    {"segment.jitter.ms", config_type::int64, "0", segment_jitter_synonyms, {}},
    {"segment.ms", config_type::int64, "604800000", segment_ms_synonyms, {}},
    {"strata.dlq.topic", config_type::string, "", dlq_topic_syn, {}},
    {"strata.key.schema.validation", config_type::string, "none", key_validation_syn, schema_checks},
    {"strata.key.subject.name.strategy", config_type::string, "TopicNameStrategy", key_strategy_syn,
     subject_strategies},
    {"strata.schema.validation.failure", config_type::string, "reject", validation_failure_syn, validation_failures},
    {"strata.value.schema.validation", config_type::string, "none", value_validation_syn, schema_checks},
    {"strata.value.subject.name.strategy", config_type::string, "TopicNameStrategy", value_strategy_syn,
     subject_strategies},
    {"unclean.leader.election.enable", config_type::boolean, "false", unclean_syn, {}},
};

template<class T>
std::optional<T> parse_number(std::string_view s) {
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

int64_t as_int64(std::string_view s, int64_t fallback) { return parse_number<int64_t>(s).value_or(fallback); }

std::optional<double> as_double(std::string_view s) {
    std::string copy(s);
    char* end = nullptr;
    double v = std::strtod(copy.c_str(), &end);
    if (copy.empty() || *end != '\0') return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// The items of a list config, trimmed as Kafka's ConfigDef trims them.
std::vector<std::string_view> list_items(std::string_view value) {
    std::vector<std::string_view> items;
    for (size_t start = 0;;) {
        size_t comma = value.find(',', start);
        size_t length = comma == std::string_view::npos ? std::string_view::npos : comma - start;
        items.push_back(trim(value.substr(start, length)));
        if (comma == std::string_view::npos) return items;
        start = comma + 1;
    }
}

const broker_config_default broker_defaults[] = {
    {"auto.create.topics.enable", "true", config_type::boolean},
    {"compression.type", "producer", config_type::string},
    {"default.replication.factor", "1", config_type::int32},
    {"delete.topic.enable", "true", config_type::boolean},
    {"log.cleaner.backoff.ms", "15000", config_type::int64},
    {"log.cleaner.dedupe.buffer.size", "134217728", config_type::int64},
    {"log.cleaner.delete.retention.ms", "86400000", config_type::int64},
    {"log.cleaner.enable", "true", config_type::boolean},
    {"log.cleaner.max.compaction.lag.ms", "9223372036854775807", config_type::int64},
    {"log.cleaner.min.cleanable.ratio", "0.5", config_type::float64},
    {"log.cleaner.min.compaction.lag.ms", "0", config_type::int64},
    {"log.cleanup.policy", "delete", config_type::list},
    {"log.dirs", "./data", config_type::string},
    {"log.index.interval.bytes", "4096", config_type::int32},
    {"log.retention.bytes", "-1", config_type::int64},
    {"log.retention.check.interval.ms", "300000", config_type::int64},
    {"log.retention.hours", "168", config_type::int32},
    {"log.roll.hours", "168", config_type::int32},
    {"log.segment.bytes", "1073741824", config_type::int32},
    {"log.message.timestamp.type", "CreateTime", config_type::string},
    {"message.max.bytes", "1048588", config_type::int32},
    {"min.insync.replicas", "1", config_type::int32},
    {"num.partitions", "1", config_type::int32},
    {"offsets.topic.num.partitions", "50", config_type::int32},
    {"offsets.topic.segment.bytes", "104857600", config_type::int32},
    {"socket.request.max.bytes", "104857600", config_type::int32},
    {"unclean.leader.election.enable", "false", config_type::boolean},
};

} // namespace

std::span<const broker_config_default> broker_configs::all() { return broker_defaults; }

std::string_view topic_configs::default_synonym_name(const topic_config_def& def) {
    if (def.synonyms.size() == 1) return def.synonyms.front().key;
    return def.synonyms.empty() ? def.name : std::string_view{};
}

std::span<const topic_config_def> topic_configs::all() { return defs; }

const topic_config_def* topic_configs::find(std::string_view name) {
    for (const auto& d : defs)
        if (d.name == name) return &d;
    return nullptr;
}

std::optional<std::string> topic_configs::validate(std::string_view name, std::string_view value) {
    const auto* def = find(name);
    if (!def) return "Unknown topic config name: " + std::string(name);
    auto invalid = [&] { return "Invalid value " + std::string(value) + " for configuration " + std::string(name); };
    switch (def->type) {
    case config_type::boolean:
        if (value != "true" && value != "false") return invalid();
        break;
    case config_type::int32:
        if (!parse_number<int32_t>(value)) return invalid();
        break;
    case config_type::int64:
        if (!parse_number<int64_t>(value)) return invalid();
        break;
    case config_type::float64:
        if (!as_double(value)) return invalid();
        break;
    case config_type::string:
    case config_type::list:
        break;
    }
    auto allowed = [&](std::string_view v) {
        return std::find(def->allowed.begin(), def->allowed.end(), v) != def->allowed.end();
    };
    if (!def->allowed.empty()) {
        if (def->type == config_type::list) {
            for (auto item : list_items(value))
                if (!allowed(item)) return invalid();
        } else if (!allowed(value)) {
            return invalid();
        }
    }
    if (name == "segment.bytes" && as_int64(value, 0) < 14) return invalid();
    if (name == "max.message.bytes" && as_int64(value, 0) < 0) return invalid();
    if ((name == "delete.retention.ms" || name == "min.compaction.lag.ms") && as_int64(value, 0) < 0) return invalid();
    if (name == "max.compaction.lag.ms" && as_int64(value, 0) < 1) return invalid();
    if (name == "min.cleanable.dirty.ratio") {
        double ratio = as_double(value).value_or(-1);
        if (ratio < 0 || ratio > 1) return invalid();
    }
    if (name == "strata.dlq.topic" && !value.empty() && !topic_table::valid_topic_name(value)) return invalid();
    return std::nullopt;
}

resolved_config topic_configs::resolve(const topic_config_def& def, const config_map& overrides,
                                       const config_map& broker_props) {
    if (auto it = overrides.find(def.name); it != overrides.end()) return {it->second, config_source::topic, {}};
    for (const auto& syn : def.synonyms) {
        auto it = broker_props.find(syn.key);
        if (it == broker_props.end()) continue;
        std::string value = it->second;
        if (syn.multiplier != 1)
            if (auto n = parse_number<int64_t>(value)) value = std::to_string(*n * syn.multiplier);
        return {value, config_source::static_broker, syn.key};
    }
    return {std::string(def.default_value), config_source::default_value, {}};
}

storage::log_config topic_configs::to_log_config(const config_map& overrides, const config_map& broker_props) {
    auto get = [&](std::string_view name, int64_t fallback) {
        return as_int64(resolve(*find(name), overrides, broker_props).value, fallback);
    };
    storage::log_config c;
    c.segment_bytes = uint64_t(get("segment.bytes", int64_t(c.segment_bytes)));
    c.segment_ms = get("segment.ms", c.segment_ms);
    c.retention_ms = get("retention.ms", c.retention_ms);
    c.retention_bytes = get("retention.bytes", c.retention_bytes);
    c.index_interval_bytes = uint32_t(get("index.interval.bytes", c.index_interval_bytes));
    c.max_message_bytes = uint32_t(get("max.message.bytes", c.max_message_bytes));
    c.log_append_time = resolve(*find("message.timestamp.type"), overrides, broker_props).value == "LogAppendTime";
    c.timestamp_before_max_ms = get("message.timestamp.before.max.ms", c.timestamp_before_max_ms);
    c.timestamp_after_max_ms = get("message.timestamp.after.max.ms", c.timestamp_after_max_ms);
    // list_items returns views into its argument: keep the value alive.
    const std::string policy_value = resolve(*find("cleanup.policy"), overrides, broker_props).value;
    auto policy = list_items(policy_value);
    c.cleanup_delete = std::find(policy.begin(), policy.end(), "delete") != policy.end();
    c.cleanup_compact = std::find(policy.begin(), policy.end(), "compact") != policy.end();
    c.delete_retention_ms = get("delete.retention.ms", c.delete_retention_ms);
    c.min_compaction_lag_ms = get("min.compaction.lag.ms", c.min_compaction_lag_ms);
    c.max_compaction_lag_ms = get("max.compaction.lag.ms", c.max_compaction_lag_ms);
    c.min_cleanable_dirty_ratio =
        as_double(resolve(*find("min.cleanable.dirty.ratio"), overrides, broker_props).value)
            .value_or(c.min_cleanable_dirty_ratio);
    return c;
}

} // namespace strata::cluster
