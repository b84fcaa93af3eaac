#include "rdkafka_client.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace strata::test {

rd_kafka_conf_t* make_conf(const std::string& bootstrap, const config& extra) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    auto set = [&](const std::string& k, const std::string& v) {
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
            throw std::runtime_error("librdkafka config " + k + ": " + err);
    };
    set("bootstrap.servers", bootstrap);
    set("log_level", "3");
    for (const auto& [k, v] : extra) set(k, v);
    return conf;
}

namespace {

std::optional<std::string> opt_string(const void* p, size_t n) {
    if (!p) return std::nullopt;
    return std::string(static_cast<const char*>(p), n);
}

} // namespace

record to_record(const rd_kafka_message_t* m) {
    record r;
    r.partition = m->partition;
    r.offset = m->offset;
    r.key = opt_string(m->key, m->key_len);
    r.value = opt_string(m->payload, m->len);
    rd_kafka_timestamp_type_t tstype;
    r.timestamp = rd_kafka_message_timestamp(m, &tstype);
    rd_kafka_headers_t* hdrs = nullptr;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* val;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
            r.headers.emplace_back(name, opt_string(val, size));
    }
    return r;
}

namespace {

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<producer*>(opaque);
    if (m->err) {
        self->failures.push_back(m->err);
        return;
    }
    self->acknowledged.push_back(to_record(m));
}

} // namespace

producer::producer(const std::string& bootstrap, const config& extra) {
    rd_kafka_conf_t* conf = make_conf(bootstrap, extra);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, this);
    char err[512];
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk_) throw std::runtime_error(std::string("producer: ") + err);
}

producer::~producer() {
    rd_kafka_flush(rk_, 5000);
    rd_kafka_destroy(rk_);
}

void producer::send(const std::string& topic, const record& r) {
    for (;;) {
        rd_kafka_headers_t* hdrs = rd_kafka_headers_new(r.headers.size());
        for (const auto& [k, v] : r.headers)
            rd_kafka_header_add(hdrs, k.c_str(), -1, v ? v->data() : nullptr, v ? ssize_t(v->size()) : 0);
        // librdkafka's macros cast their arguments, so they get plain variables.
        const void* key = r.key ? r.key->data() : nullptr;
        size_t key_len = r.key ? r.key->size() : 0;
        void* value = r.value ? const_cast<char*>(r.value->data()) : nullptr;
        size_t value_len = r.value ? r.value->size() : 0;
        auto err = rd_kafka_producev(
            rk_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(r.partition), RD_KAFKA_V_KEY(key, key_len),
            RD_KAFKA_V_VALUE(value, value_len),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(r.timestamp), RD_KAFKA_V_HEADERS(hdrs),
            RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
        rd_kafka_headers_destroy(hdrs);
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
        rd_kafka_poll(rk_, 10);
    }
}

void producer::flush(int timeout_ms) { rd_kafka_flush(rk_, timeout_ms); }

std::vector<record> consume_all(const std::string& bootstrap, const std::string& topic, int partitions,
                                size_t expected, int timeout_ms, const config& extra) {
    // The simple (legacy) consumer API, as kcat uses it: explicit partitions and
    // offsets, no group.id and so no group coordinator.
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, make_conf(bootstrap, extra), err, sizeof err);
    if (!rk) throw std::runtime_error(std::string("consumer: ") + err);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
    for (int p = 0; p < partitions; ++p) rd_kafka_consume_start_queue(rkt, p, RD_KAFKA_OFFSET_BEGINNING, queue);
    std::vector<record> out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (out.size() < expected && std::chrono::steady_clock::now() < deadline) {
        rd_kafka_message_t* m = rd_kafka_consume_queue(queue, 200);
        if (!m) continue;
        if (!m->err) out.push_back(to_record(m));
        rd_kafka_message_destroy(m);
    }
    for (int p = 0; p < partitions; ++p) rd_kafka_consume_stop(rkt, p);
    rd_kafka_queue_destroy(queue);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return out;
}

std::optional<std::vector<record>> consume_to_end(const std::string& bootstrap, const std::string& topic,
                                                  int32_t partition, int timeout_ms) {
    char err[512];
    rd_kafka_t* rk =
        rd_kafka_new(RD_KAFKA_CONSUMER, make_conf(bootstrap, {{"enable.partition.eof", "true"}}), err, sizeof err);
    if (!rk) throw std::runtime_error(std::string("consumer: ") + err);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    rd_kafka_consume_start(rkt, partition, RD_KAFKA_OFFSET_BEGINNING);
    std::vector<record> out;
    bool at_end = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!at_end && std::chrono::steady_clock::now() < deadline) {
        rd_kafka_message_t* m = rd_kafka_consume(rkt, partition, 200);
        if (!m) continue;
        if (!m->err) out.push_back(to_record(m));
        at_end = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consume_stop(rkt, partition);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    if (!at_end) return std::nullopt;
    return out;
}

std::string create_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                         const config& topic_configs, int replication_factor) {
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, make_conf(bootstrap, {}), err, sizeof err);
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, err, sizeof err);
    for (const auto& [k, v] : topic_configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
    rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, nullptr, q);
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 30000);
    std::string result = "timeout";
    if (ev) {
        size_t n = 0;
        const rd_kafka_topic_result_t** res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        result = n == 1 ? (rd_kafka_topic_result_error(res[0]) ? rd_kafka_err2name(rd_kafka_topic_result_error(res[0])) : "")
                        : rd_kafka_err2name(rd_kafka_event_error(ev));
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return result;
}

int64_t offset_for_time(const std::string& bootstrap, const std::string& topic, int32_t partition, int64_t ts) {
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, make_conf(bootstrap, {}), err, sizeof err);
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), partition)->offset = ts;
    auto e = rd_kafka_offsets_for_times(rk, parts, 10000);
    int64_t offset = e ? -1000 - int64_t(e) : parts->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_destroy(rk);
    return offset;
}

} // namespace strata::test

namespace strata::test {

int64_t high_watermark(const std::string& bootstrap, const std::string& topic, int32_t partition) {
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, make_conf(bootstrap, {}), err, sizeof err);
    int64_t low = -1, high = -1;
    rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high, 10000);
    rd_kafka_destroy(rk);
    return high;
}

} // namespace strata::test
