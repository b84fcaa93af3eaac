#pragma once
// This broker's membership of a cluster whose metadata lives in etcd
// (cluster_records.h has the keys): it agrees on the cluster id, registers
// the broker under a lease it keeps alive (liveness: a broker that stops
// heartbeating for broker.session.timeout.ms is gone), campaigns for the
// controller role with a compare-and-swap on a key bound to the same lease,
// and watches the cluster's keys to keep the broker_directory current.
// Owned by the application; its coroutines run on the broker thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "strata/base/result.h"
#include "strata/cluster/broker_directory.h"
#include "strata/cluster/etcd/etcd_client.h"

namespace strata::cluster {

struct membership_settings {
    std::string prefix = "/strata";        // metadata.etcd.prefix
    int64_t session_timeout_ms = 9000;     // broker.session.timeout.ms
    int64_t heartbeat_interval_ms = 2000;  // broker.heartbeat.interval.ms
    // Where the lease of this broker's last run is kept, so that a restart
    // ends the old registration at once instead of waiting for it to expire.
    std::string lease_file;
};

class cluster_membership {
public:
    cluster_membership(boost::asio::any_io_executor executor, etcd::client& etcd, broker_directory& directory,
                       membership_settings settings);

    // Before the broker serves: the cluster id (the one in etcd; the first
    // broker writes `required`, the id of meta.properties, or else
    // `proposed`), this broker registered, the directory filled and a first
    // campaign for controller. An error says what stops the broker from
    // joining; a log dir of another cluster (`required` not the cluster's
    // id) is refused before the broker registers.
    boost::asio::awaitable<result<std::string, std::string>> join(std::string proposed_cluster_id,
                                                                   std::optional<std::string> required,
                                                                   std::chrono::milliseconds give_up_after);
    // The keep-alive and watch loops, until leave().
    void start();
    // Controlled shutdown: the lease is revoked, so the registration and the
    // controller role go at once.
    boost::asio::awaitable<void> leave();

    bool registered() const { return registered_; }

    // The rest of the cluster's metadata (topics): every key read at join
    // and after a broken watch, and every watched change, in revision order.
    using snapshot_fn = std::function<void(const std::vector<etcd::key_value>&, int64_t revision)>;
    using event_fn = std::function<void(const etcd::watch_event&)>;
    void observe_metadata(snapshot_fn on_snapshot, event_fn on_event) {
        on_snapshot_ = std::move(on_snapshot);
        on_event_ = std::move(on_event);
    }

private:
    // Registers under a new lease; a registration of this node id by someone
    // else is waited out for `wait_for_previous`, and etcd not answering
    // until `retry_until`.
    boost::asio::awaitable<result<void, std::string>> register_self(
        std::chrono::milliseconds wait_for_previous, std::chrono::steady_clock::time_point retry_until);
    boost::asio::awaitable<void> keep_alive_loop();
    boost::asio::awaitable<void> watch_loop();
    boost::asio::awaitable<void> campaign();
    // Reads every key of the cluster into the directory; the revision read.
    boost::asio::awaitable<result<int64_t, etcd::errc>> load_state();
    void apply(const etcd::watch_event& event);
    boost::asio::awaitable<void> pause(std::chrono::milliseconds d);
    void save_lease(int64_t lease);

    boost::asio::any_io_executor executor_;
    etcd::client& etcd_;
    broker_directory& directory_;
    membership_settings settings_;
    int64_t lease_ = 0;
    int64_t watch_from_ = 0;        // the revision the watch resumes at
    int64_t applied_revision_ = 0;  // the newest revision the directory reflects
    bool registered_ = false;
    bool stopping_ = false;
    bool campaigning_ = false;
    std::shared_ptr<etcd::stream_canceller> watch_canceller_;
    std::shared_ptr<boost::asio::steady_timer> keep_alive_timer_;
    snapshot_fn on_snapshot_;
    event_fn on_event_;
};

} // namespace strata::cluster
