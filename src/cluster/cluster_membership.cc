#include "strata/cluster/cluster_membership.h"

#include <chrono>
#include <fstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "strata/cluster/cluster_records.h"

namespace strata::cluster {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

// etcd's leases are in whole seconds, and it refuses TTLs below its minimum.
int64_t lease_ttl_s(int64_t session_timeout_ms) { return std::max<int64_t>(2, (session_timeout_ms + 999) / 1000); }

bool retriable(etcd::errc e) { return e == etcd::errc::unavailable || e == etcd::errc::timeout; }

} // namespace

cluster_membership::cluster_membership(asio::any_io_executor executor, etcd::client& etcd,
                                       broker_directory& directory, membership_settings settings)
    : executor_(std::move(executor)), etcd_(etcd), directory_(directory), settings_(std::move(settings)) {}

asio::awaitable<void> cluster_membership::pause(milliseconds d) {
    asio::steady_timer timer(executor_);
    timer.expires_after(d);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

void cluster_membership::save_lease(int64_t lease) {
    if (settings_.lease_file.empty()) return;
    std::ofstream out(settings_.lease_file, std::ios::trunc);
    out << lease << "\n";
}

asio::awaitable<result<std::string, std::string>> cluster_membership::join(std::string proposed_cluster_id,
                                                                            std::optional<std::string> required,
                                                                            milliseconds give_up_after) {
    const auto give_up = clock_type::now() + give_up_after;
    const auto key = records::cluster_id_key(settings_.prefix);
    std::string cluster_id;
    for (;;) {
        auto r = co_await etcd_.put_if_absent(key, required.value_or(proposed_cluster_id));
        if (r) {
            if (r->succeeded) {
                cluster_id = required.value_or(proposed_cluster_id);
            } else if (!r->ranges.empty() && !r->ranges.front().kvs.empty()) {
                cluster_id = r->ranges.front().kvs.front().value;
            } else {
                co_return fail(std::string("etcd answered the cluster id transaction without the id"));
            }
            break;
        }
        if (!retriable(r.error()) || clock_type::now() >= give_up)
            co_return fail("cannot reach etcd at " + etcd_.current_endpoint().text() + " (metadata.etcd.endpoints): " +
                           etcd::to_string(r.error()));
        spdlog::info("waiting for etcd at {}: {}", etcd_.current_endpoint().text(), etcd::to_string(r.error()));
        co_await pause(milliseconds(500));
    }
    // Checked before registering: a broker of another cluster must not
    // appear in this one, even for the moment it takes to exit.
    if (required && *required != cluster_id)
        co_return fail("the cluster id in etcd (" + cluster_id + ") is not the one in meta.properties (" + *required +
                       "): this log dir belongs to another cluster");
    if (auto registered = co_await register_self(
            milliseconds(settings_.session_timeout_ms + 2 * settings_.heartbeat_interval_ms), give_up);
        !registered)
        co_return fail(registered.error());
    auto loaded = co_await load_state();
    if (!loaded) {
        co_await leave();
        co_return fail(std::string("cannot read the cluster's metadata from etcd: ") + etcd::to_string(loaded.error()));
    }
    watch_from_ = *loaded + 1;
    co_await campaign();
    co_return cluster_id;
}

asio::awaitable<result<void, std::string>> cluster_membership::register_self(milliseconds wait_for_previous,
                                                                            clock_type::time_point retry_until) {
    // The previous run's lease, if this broker died holding it: revoking it
    // ends that registration (and controllership) now, as a restarted Kafka
    // broker's new incarnation fences the old one.
    if (!settings_.lease_file.empty()) {
        int64_t previous = 0;
        if (std::ifstream in{settings_.lease_file}; in >> previous && previous != 0 && previous != lease_) {
            if (auto r = co_await etcd_.revoke_lease(previous); r)
                spdlog::info("revoked lease {} of this broker's previous run", previous);
        }
    }
    auto grant = co_await etcd_.grant_lease(lease_ttl_s(settings_.session_timeout_ms));
    while (!grant && retriable(grant.error()) && clock_type::now() < retry_until && !stopping_) {
        co_await pause(milliseconds(500));
        grant = co_await etcd_.grant_lease(lease_ttl_s(settings_.session_timeout_ms));
    }
    if (!grant) co_return fail(std::string("cannot get a lease from etcd: ") + etcd::to_string(grant.error()));
    lease_ = grant->id;
    save_lease(lease_);
    if (stopping_) co_return fail(std::string("shutting down"));

    const auto& self = directory_.self();
    const auto key = records::broker_key(settings_.prefix, self.node_id);
    const auto give_up = clock_type::now() + wait_for_previous;
    for (;;) {
        auto r = co_await etcd_.put_if_absent(key, records::encode_broker(self), lease_);
        if (stopping_) co_return fail(std::string("shutting down"));
        if (!r) {
            if (!retriable(r.error()) || clock_type::now() >= retry_until)
                co_return fail(std::string("cannot register in etcd: ") + etcd::to_string(r.error()));
            co_await pause(milliseconds(500));
            continue;
        }
        if (r->succeeded) break;
        std::string holder = "another broker";
        if (!r->ranges.empty() && !r->ranges.front().kvs.empty()) {
            const auto& existing = r->ranges.front().kvs.front();
            // A retried request whose first attempt etcd had applied after all.
            if (existing.lease == lease_) break;
            if (auto b = records::decode_broker(existing.value)) holder = b->host + ":" + std::to_string(b->port);
        }
        if (clock_type::now() >= give_up)
            co_return fail("node.id " + std::to_string(self.node_id) + " is registered by a live broker (" + holder +
                           ", etcd key " + key + "): two brokers cannot share a node.id");
        spdlog::info("node.id {} is still registered by {}; waiting for that registration to expire", self.node_id,
                     holder);
        (void)co_await etcd_.keep_alive(lease_);
        co_await pause(milliseconds(settings_.heartbeat_interval_ms));
    }
    registered_ = true;
    directory_.upsert(self);
    spdlog::info("registered as broker {} in etcd ({} under lease {:x}, session timeout {} ms)", self.node_id, key,
                 lease_, settings_.session_timeout_ms);
    co_return result<void, std::string>{};
}

void cluster_membership::start() {
    asio::co_spawn(executor_, keep_alive_loop(), asio::detached);
    asio::co_spawn(executor_, watch_loop(), asio::detached);
}

asio::awaitable<void> cluster_membership::keep_alive_loop() {
    bool reachable = true;
    while (!stopping_) {
        keep_alive_timer_ = std::make_shared<asio::steady_timer>(executor_);
        keep_alive_timer_->expires_after(milliseconds(settings_.heartbeat_interval_ms));
        boost::system::error_code ec;
        co_await keep_alive_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (stopping_) break;
        if (!registered_) {
            // A registration lost earlier that could not be made again yet.
            if (auto again = co_await register_self(milliseconds(settings_.session_timeout_ms), clock_type::now());
                again)
                co_await campaign();
            continue;
        }
        auto r = co_await etcd_.keep_alive(lease_);
        if (stopping_) break;  // leave() revoked the lease meanwhile
        if (r) {
            if (!reachable) spdlog::info("etcd at {} is reachable again", etcd_.current_endpoint().text());
            reachable = true;
            // A campaign that failed (etcd briefly unreachable) is tried again here.
            if (directory_.controller_id() < 0) co_await campaign();
            continue;
        }
        if (r.error() == etcd::errc::lease_not_found) {
            // Heartbeats did not reach etcd for a whole session (a pause, or
            // etcd unreachable): the cluster has seen this broker die.
            spdlog::warn("broker {}: its etcd lease expired (no heartbeat within broker.session.timeout.ms); "
                         "registering again",
                         directory_.self().node_id);
            registered_ = false;
            if (directory_.is_controller()) directory_.set_controller(-1, 0);
            if (auto again = co_await register_self(milliseconds(settings_.session_timeout_ms), clock_type::now());
                !again)
                spdlog::error("{}", again.error());
            else
                co_await campaign();
            continue;
        }
        if (reachable) {
            spdlog::warn("cannot heartbeat to etcd at {}: {}", etcd_.current_endpoint().text(),
                         etcd::to_string(r.error()));
            // A watch on a connection that no longer carries anything (etcd
            // partitioned away) would wait forever: end it, and the watch
            // loop reads the state again once etcd answers.
            if (watch_canceller_) watch_canceller_->cancel();
        }
        reachable = false;
    }
}

asio::awaitable<void> cluster_membership::watch_loop() {
    while (!stopping_) {
        watch_canceller_ = std::make_shared<etcd::stream_canceller>();
        auto r = co_await etcd_.watch_prefix(
            settings_.prefix + "/", watch_from_,
            [this](const etcd::watch_message& m) {
                for (const auto& e : m.events) {
                    apply(e);
                    watch_from_ = std::max(watch_from_, e.kv.mod_revision + 1);
                }
                return !stopping_;
            },
            watch_canceller_);
        if (stopping_) break;
        // The stream broke (etcd restarted, or history was compacted): read
        // everything again and go on watching from there.
        if (!r && r.error() != etcd::errc::unavailable)
            spdlog::info("etcd watch ended: {}; reading the cluster's state again", etcd::to_string(r.error()));
        co_await pause(milliseconds(500));
        if (auto loaded = co_await load_state(); loaded) {
            watch_from_ = *loaded + 1;
            if (directory_.controller_id() < 0) co_await campaign();
        }
    }
}

asio::awaitable<result<int64_t, etcd::errc>> cluster_membership::load_state() {
    auto r = co_await etcd_.get_prefix(settings_.prefix + "/");
    if (!r) co_return fail(r.error());
    std::map<int32_t, broker_endpoint> live;
    int32_t controller = -1;
    int64_t epoch = 0;
    const auto controller_key = records::controller_key(settings_.prefix);
    for (const auto& kv : r->kvs) {
        if (records::broker_id_of(settings_.prefix, kv.key)) {
            if (auto b = records::decode_broker(kv.value)) live[b->node_id] = *b;
        } else if (kv.key == controller_key) {
            if (auto id = records::decode_controller(kv.value)) {
                controller = *id;
                epoch = kv.create_revision;
            }
        }
    }
    directory_.replace_all(std::move(live));
    directory_.set_controller(controller, epoch);
    applied_revision_ = std::max(applied_revision_, r->revision);
    if (on_snapshot_) on_snapshot_(r->kvs, r->revision);
    co_return r->revision;
}

void cluster_membership::apply(const etcd::watch_event& e) {
    applied_revision_ = std::max(applied_revision_, e.kv.mod_revision);
    if (auto id = records::broker_id_of(settings_.prefix, e.kv.key)) {
        if (e.type == etcd::event_type::erase) {
            spdlog::info("broker {} left the cluster", *id);
            directory_.remove(*id);
        } else if (auto b = records::decode_broker(e.kv.value)) {
            if (!directory_.find(b->node_id)) spdlog::info("broker {} joined the cluster at {}:{}", b->node_id, b->host, b->port);
            directory_.upsert(*b);
        }
        return;
    }
    if (e.kv.key != records::controller_key(settings_.prefix)) {
        if (on_event_) on_event_(e);
        return;
    }
    if (e.type == etcd::event_type::erase) {
        spdlog::info("controller {} is gone; campaigning", directory_.controller_id());
        directory_.set_controller(-1, 0);
        asio::co_spawn(executor_, campaign(), asio::detached);
    } else if (auto id = records::decode_controller(e.kv.value)) {
        directory_.set_controller(*id, e.kv.create_revision);
    }
}

asio::awaitable<void> cluster_membership::campaign() {
    if (campaigning_ || !registered_ || stopping_) co_return;
    campaigning_ = true;
    const auto key = records::controller_key(settings_.prefix);
    const int32_t self = directory_.self().node_id;
    auto r = co_await etcd_.put_if_absent(key, records::encode_controller(self), lease_);
    campaigning_ = false;
    if (!r) {
        spdlog::warn("controller campaign: {}", etcd::to_string(r.error()));
        co_return;
    }
    // The watch may have brought newer news (the key erased) while the
    // answer was on its way: that wins.
    if (r->revision < applied_revision_) co_return;
    if (r->succeeded) {
        spdlog::info("broker {} is the controller (epoch {})", self, r->revision);
        directory_.set_controller(self, r->revision);
    } else if (!r->ranges.empty() && !r->ranges.front().kvs.empty()) {
        const auto& kv = r->ranges.front().kvs.front();
        if (auto id = records::decode_controller(kv.value)) directory_.set_controller(*id, kv.create_revision);
    }
}

asio::awaitable<void> cluster_membership::leave() {
    stopping_ = true;
    if (watch_canceller_) watch_canceller_->cancel();
    if (keep_alive_timer_) keep_alive_timer_->cancel();
    if (lease_ == 0) co_return;
    if (auto r = co_await etcd_.revoke_lease(lease_); r || r.error() == etcd::errc::lease_not_found) {
        spdlog::info("left the cluster (lease {:x} revoked)", lease_);
        save_lease(0);
    } else {
        spdlog::warn("cannot revoke lease {:x} on shutdown ({}); it expires by itself", lease_,
                     etcd::to_string(r.error()));
    }
    registered_ = false;
    lease_ = 0;
}

} // namespace strata::cluster
