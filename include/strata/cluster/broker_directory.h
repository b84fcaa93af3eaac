#pragma once
// The brokers of the cluster as this broker knows them: itself, every live
// broker and the controller. A single broker is the whole directory and its
// own controller; in a cluster, cluster_membership keeps it up to date from
// etcd. Metadata and DescribeCluster answer from it. Lives on the broker thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata::cluster {

struct broker_endpoint {
    int32_t node_id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    // Where its schema registry REST API listens (on `host`), when it serves one.
    std::optional<int32_t> registry_port;
    bool operator==(const broker_endpoint&) const = default;
};

class broker_directory {
public:
    // `clustered` false: the single-node broker, always live and its own controller.
    broker_directory(broker_endpoint self, bool clustered);

    const broker_endpoint& self() const { return self_; }
    bool clustered() const { return clustered_; }
    // Live brokers by node id.
    const std::map<int32_t, broker_endpoint>& live() const { return live_; }
    const broker_endpoint* find(int32_t node_id) const;
    // -1 when no broker holds the controller role right now.
    int32_t controller_id() const { return controller_id_; }
    // Grows with every new controller term (the etcd revision that created it).
    int64_t controller_epoch() const { return controller_epoch_; }
    bool is_controller() const { return controller_id_ == self_.node_id; }

    // The port the first listener bound, when it was 0 in the configuration.
    void set_self_port(int32_t port);
    void set_self_registry_port(int32_t port) { self_.registry_port = port; }
    void upsert(broker_endpoint b);
    void remove(int32_t node_id);
    void replace_all(std::map<int32_t, broker_endpoint> live);
    void set_controller(int32_t node_id, int64_t epoch);

    // Called after every change (brokers joining or leaving, a new controller).
    void on_change(std::function<void()> f) { listeners_.push_back(std::move(f)); }

private:
    void changed();

    broker_endpoint self_;
    bool clustered_;
    std::map<int32_t, broker_endpoint> live_;
    int32_t controller_id_ = -1;
    int64_t controller_epoch_ = 0;
    std::vector<std::function<void()>> listeners_;
};

} // namespace strata::cluster
