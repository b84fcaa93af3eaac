#include "strata/coordinator/group_coordinator.h"

namespace strata::coordinator {

group_coordinator::group_coordinator(boost::asio::any_io_executor ex, offset_store& offsets)
    : ex_(std::move(ex)), offsets_(offsets) {}

kafka::error_code group_coordinator::validate_offset_commit(const std::string& group, int32_t generation,
                                                            const std::string& member_id,
                                                            const std::optional<std::string>& instance_id) const {
    (void)group;
    (void)member_id;
    (void)instance_id;
    // No group has members yet (group membership is the next step): only
    // simple commits can be valid, and a generation names a group that does not exist.
    if (generation >= 0) return kafka::error_code::illegal_generation;
    return kafka::error_code::none;
}

} // namespace strata::coordinator
