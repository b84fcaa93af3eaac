#pragma once
// A topic's schema-validation settings, resolved from its configs once when
// the topic is created, loaded or reconfigured (not per produce):
//
//   strata.{key,value}.schema.validation     none | id | full
//   strata.{key,value}.subject.name.strategy TopicNameStrategy | RecordNameStrategy |
//                                            TopicRecordNameStrategy (or the Java class names)
//   strata.schema.validation.failure         reject | dlq
//   strata.dlq.topic                         empty means "<topic>.dlq"
//
// Confluent's names are aliases: confluent.{key,value}.schema.validation=true
// means `id`, and confluent.{key,value}.subject.name.strategy names the
// strategy. Precedence: the topic's strata.* override, the topic's
// confluent.* override, the broker's strata.* property, the broker's
// confluent.* property, the default. Value type, on the broker thread.

#include <string>
#include <string_view>

#include "strata/cluster/topic_config.h"

namespace strata::cluster {

enum class schema_check { none, id, full };
enum class subject_strategy { topic_name, record_name, topic_record_name };
enum class validation_failure { reject, dlq };

struct schema_validation_config {
    schema_check key = schema_check::none;
    schema_check value = schema_check::none;
    subject_strategy key_strategy = subject_strategy::topic_name;
    subject_strategy value_strategy = subject_strategy::topic_name;
    validation_failure on_failure = validation_failure::reject;
    std::string dlq_topic;

    bool enabled() const { return key != schema_check::none || value != schema_check::none; }

    static schema_validation_config resolve(std::string_view topic, const config_map& overrides,
                                            const config_map& broker_props);

    // Topic overrides that turn validation off whatever the broker-wide
    // defaults say, plus `configs`: for the topics the broker creates for
    // itself (internal topics, dead-letter topics).
    static config_map switched_off(config_map configs = {});
};

} // namespace strata::cluster
