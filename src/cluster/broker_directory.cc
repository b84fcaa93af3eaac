#include "strata/cluster/broker_directory.h"

namespace strata::cluster {

broker_directory::broker_directory(broker_endpoint self, bool clustered)
    : self_(std::move(self)), clustered_(clustered) {
    if (!clustered_) {
        live_[self_.node_id] = self_;
        controller_id_ = self_.node_id;
    }
}

const broker_endpoint* broker_directory::find(int32_t node_id) const {
    auto it = live_.find(node_id);
    return it == live_.end() ? nullptr : &it->second;
}

void broker_directory::set_self_port(int32_t port) {
    self_.port = port;
    if (auto it = live_.find(self_.node_id); it != live_.end() && !clustered_) it->second.port = port;
}

void broker_directory::upsert(broker_endpoint b) {
    auto& slot = live_[b.node_id];
    if (slot == b) return;
    slot = std::move(b);
    changed();
}

void broker_directory::remove(int32_t node_id) {
    if (live_.erase(node_id)) changed();
}

void broker_directory::replace_all(std::map<int32_t, broker_endpoint> live) {
    if (live == live_) return;
    live_ = std::move(live);
    changed();
}

void broker_directory::set_controller(int32_t node_id, int64_t epoch) {
    if (node_id == controller_id_ && epoch == controller_epoch_) return;
    controller_id_ = node_id;
    if (epoch > 0) controller_epoch_ = epoch;
    changed();
}

void broker_directory::changed() {
    for (auto& f : listeners_) f();
}

} // namespace strata::cluster
