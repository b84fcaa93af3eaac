#include "strata/cluster/schema_validation_config.h"

namespace strata::cluster {
namespace {

schema_check parse_check(std::string_view v) {
    if (v == "id") return schema_check::id;
    if (v == "full") return schema_check::full;
    return schema_check::none;
}

subject_strategy parse_strategy(std::string_view v) {
    if (v.ends_with("TopicRecordNameStrategy")) return subject_strategy::topic_record_name;
    if (v.ends_with("RecordNameStrategy")) return subject_strategy::record_name;
    return subject_strategy::topic_name;
}

// The effective value of `name`, letting its Confluent alias stand in at each
// level where `name` itself is not set. `translate` maps an alias value to ours.
template<class Translate>
std::string resolve_with_alias(std::string_view name, std::string_view alias, const config_map& overrides,
                               const config_map& broker_props, Translate translate) {
    auto ours = topic_configs::resolve(*topic_configs::find(name), overrides, broker_props);
    if (ours.source == config_source::topic) return ours.value;
    auto theirs = topic_configs::resolve(*topic_configs::find(alias), overrides, broker_props);
    if (theirs.source == config_source::topic) return translate(theirs.value);
    if (ours.source == config_source::static_broker) return ours.value;
    if (theirs.source == config_source::static_broker) return translate(theirs.value);
    return ours.value;
}

std::string validation_alias(const std::string& confluent_value) {
    return confluent_value == "true" ? "id" : "none";
}

std::string same(const std::string& v) { return v; }

} // namespace

schema_validation_config schema_validation_config::resolve(std::string_view topic, const config_map& overrides,
                                                           const config_map& broker_props) {
    schema_validation_config c;
    c.key = parse_check(resolve_with_alias("strata.key.schema.validation", "confluent.key.schema.validation",
                                           overrides, broker_props, validation_alias));
    c.value = parse_check(resolve_with_alias("strata.value.schema.validation", "confluent.value.schema.validation",
                                             overrides, broker_props, validation_alias));
    c.key_strategy = parse_strategy(resolve_with_alias(
        "strata.key.subject.name.strategy", "confluent.key.subject.name.strategy", overrides, broker_props, same));
    c.value_strategy = parse_strategy(resolve_with_alias(
        "strata.value.subject.name.strategy", "confluent.value.subject.name.strategy", overrides, broker_props, same));
    auto failure = topic_configs::resolve(*topic_configs::find("strata.schema.validation.failure"), overrides,
                                          broker_props);
    c.on_failure = failure.value == "dlq" ? validation_failure::dlq : validation_failure::reject;
    c.dlq_topic = topic_configs::resolve(*topic_configs::find("strata.dlq.topic"), overrides, broker_props).value;
    if (c.dlq_topic.empty()) c.dlq_topic = std::string(topic) + ".dlq";
    return c;
}

config_map schema_validation_config::switched_off(config_map configs) {
    configs["strata.key.schema.validation"] = "none";
    configs["strata.value.schema.validation"] = "none";
    return configs;
}

} // namespace strata::cluster
