#include "partition_io.h"

#include "strata/kafka/protocol/messages/create_topics.h"
#include "strata/kafka/protocol/messages/fetch.h"
#include "strata/kafka/protocol/messages/headers.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/record_reader.h"

namespace strata::test {

using namespace strata::kafka;

int16_t create_topic(raw_client& c, const std::string& name, int partitions,
                     const std::vector<std::pair<std::string, std::string>>& configs) {
    msg::create_topics_request req;
    auto& t = req.topics.emplace_back();
    t.name = name;
    t.num_partitions = partitions;
    t.replication_factor = 1;
    for (const auto& [k, v] : configs) t.configs.push_back({k, v});
    c.send(req, 7);
    auto resp = c.receive<msg::create_topics_response>(7);
    return resp ? resp->topics.at(0).error_code : int16_t(-100);
}

produce_outcome produce_batch(raw_client& c, const std::string& topic, std::vector<uint8_t> batch, int16_t acks) {
    msg::produce_request req;
    req.acks = acks;
    req.timeout_ms = 10000;
    auto& t = req.topic_data.emplace_back();
    t.name = topic;
    t.partition_data.push_back({0, records::view(batch)});
    c.send(req, 9);
    auto resp = c.receive<msg::produce_response>(9);
    if (!resp) return {};
    const auto& p = resp->responses.at(0).partition_responses.at(0);
    produce_outcome out{p.error_code, p.base_offset, {}};
    for (const auto& e : p.record_errors)
        out.record_errors.emplace_back(e.batch_index, e.batch_index_error_message.value_or(""));
    return out;
}

partition_contents read_partition(raw_client& c, const std::string& topic, int64_t from, int32_t partition) {
    partition_contents out;
    int64_t next = from;
    for (int round = 0; round < 1000; ++round) {
        msg::fetch_request f;
        f.max_wait_ms = 0;
        f.min_bytes = 1;
        f.max_bytes = 16 << 20;
        auto& ft = f.topics.emplace_back();
        ft.topic = topic;
        auto& fp = ft.partitions.emplace_back();
        fp.partition = partition;
        fp.fetch_offset = next;
        fp.partition_max_bytes = 16 << 20;
        c.send(f, 12);
        auto frame = c.receive_frame();  // kept alive: the records are a view into it
        if (!frame) return out;
        reader r(*frame);
        msg::response_header h;
        h.decode(r, 1);
        msg::fetch_response resp;
        resp.decode(r, 12);
        if (!r.ok()) return out;
        const auto& p = resp.responses.at(0).partitions.at(0);
        if (p.error_code != 0) return out;
        out.high_watermark = p.high_watermark;
        auto bytes = p.records.bytes();
        storage::validation_limits limits;
        limits.deep = true;
        limits.client_origin = false;
        auto summary = storage::validate_batches(bytes, limits);
        if (!summary) return out;
        if (summary->empty()) break;
        storage::decompressor d;
        std::vector<uint8_t> plain;
        for (size_t i = 0; i < summary->size(); ++i) {
            const auto& b = (*summary)[i];
            // The first batch may start before `from`; later ones follow on.
            if (out.first_offset < 0) out.first_offset = b.base_offset;
            else if (b.base_offset != next) return out;
            std::span<const uint8_t> section{bytes.data() + b.position + storage::batch_header_size,
                                             b.size_bytes - storage::batch_header_size};
            if (b.compression != storage::compression_type::none) {
                if (!d.decompress(b.compression, section, plain)) return out;
                section = plain;
            }
            storage::record_reader rr(section, b.records_count);
            storage::record_view rec;
            for (auto more = rr.next(rec); more && *more; more = rr.next(rec))
                out.records.push_back({b.base_offset + rec.offset_delta, {rec.value.begin(), rec.value.end()}});
            next = b.base_offset + b.last_offset_delta + 1;
        }
        if (next >= p.high_watermark) break;
    }
    out.valid = true;
    return out;
}

} // namespace strata::test
