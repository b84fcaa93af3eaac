#pragma once
// The single-node metadata store: topics (ids, partition counts, config
// overrides) and the cluster id, in RocksDB under <log.dir>/__cluster_metadata.
// Every write is synced before it returns, so a created topic survives kill -9.
// Owned by the application; used on the broker thread only.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/base/result.h"
#include "strata/kafka/protocol/messages/topic_record.h"

namespace rocksdb {
class DB;
}

namespace strata::cluster {

class metadata_store {
public:
    static result<std::unique_ptr<metadata_store>, std::string> open(const std::string& dir);
    ~metadata_store();

    std::vector<kafka::msg::topic_record> load_topics() const;
    bool put_topic(const kafka::msg::topic_record& topic);
    bool delete_topic(const std::string& name);

    std::optional<std::string> get(const std::string& key) const;
    bool put(const std::string& key, const std::string& value);

private:
    explicit metadata_store(rocksdb::DB* db) : db_(db) {}
    rocksdb::DB* db_;
};

} // namespace strata::cluster
