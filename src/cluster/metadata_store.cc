#include "strata/cluster/metadata_store.h"

#include <rocksdb/db.h>
#include <spdlog/spdlog.h>

namespace strata::cluster {
namespace {

constexpr std::string_view topic_prefix = "topic/";
constexpr int16_t topic_record_version = 0;

rocksdb::WriteOptions synced() {
    rocksdb::WriteOptions o;
    o.sync = true;
    return o;
}

} // namespace

result<std::unique_ptr<metadata_store>, std::string> metadata_store::open(const std::string& dir) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.max_open_files = 64;
    options.keep_log_file_num = 2;
    rocksdb::DB* db = nullptr;
    auto status = rocksdb::DB::Open(options, dir, &db);
    if (!status.ok()) return fail("cannot open metadata store " + dir + ": " + status.ToString());
    return std::unique_ptr<metadata_store>(new metadata_store(db));
}

metadata_store::~metadata_store() { delete db_; }

std::vector<kafka::msg::topic_record> metadata_store::load_topics() const {
    std::vector<kafka::msg::topic_record> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rocksdb::Slice(topic_prefix.data(), topic_prefix.size()));
         it->Valid() && it->key().starts_with(rocksdb::Slice(topic_prefix.data(), topic_prefix.size())); it->Next()) {
        std::vector<uint8_t> bytes(it->value().data(), it->value().data() + it->value().size());
        kafka::reader r(bytes);
        int16_t version = r.read_int16();
        kafka::msg::topic_record rec;
        rec.decode(r, version);
        if (!r.ok()) {
            spdlog::error("metadata store: undecodable record {}", it->key().ToString());
            continue;
        }
        out.push_back(std::move(rec));
    }
    return out;
}

bool metadata_store::put_topic(const kafka::msg::topic_record& topic) {
    kafka::writer w;
    w.write_int16(topic_record_version);
    topic.encode(w, topic_record_version);
    const auto& b = w.buffer();
    auto key = std::string(topic_prefix) + topic.name;
    auto s = db_->Put(synced(), key, rocksdb::Slice(reinterpret_cast<const char*>(b.data()), b.size()));
    if (!s.ok()) spdlog::error("metadata store: write failed: {}", s.ToString());
    return s.ok();
}

bool metadata_store::delete_topic(const std::string& name) {
    auto s = db_->Delete(synced(), std::string(topic_prefix) + name);
    return s.ok();
}

std::optional<std::string> metadata_store::get(const std::string& key) const {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), key, &value);
    if (!s.ok()) return std::nullopt;
    return value;
}

bool metadata_store::put(const std::string& key, const std::string& value) {
    return db_->Put(synced(), key, value).ok();
}

} // namespace strata::cluster
