#pragma once
// Server-side partition assignors of the KIP-848 consumer group protocol
// (group.remote.assignor: "uniform", the default, and "range"). Pure
// functions of the members' subscriptions, their current assignments and
// the partition counts, so they are deterministic and unit-testable.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::coordinator {

// topic -> partitions (sorted)
using topic_partitions = std::map<std::string, std::vector<int32_t>>;

struct member_subscription {
    std::string member_id;
    std::vector<std::string> topics;  // subscribed topic names (resolved from regexes)
    topic_partitions current;         // what the member owns now, for stickiness
};

// member id -> its target assignment
using group_assignment = std::map<std::string, topic_partitions>;

class partition_assignor {
public:
    virtual ~partition_assignor() = default;
    virtual std::string_view name() const = 0;
    // `partitions`: partition count of every topic that exists; subscribed
    // topics missing from it are ignored.
    virtual group_assignment assign(const std::vector<member_subscription>& members,
                                    const std::map<std::string, int32_t>& partitions) const = 0;
};

// "uniform": balanced (partition counts differ by at most one between members
// that could take each other's partitions) and sticky (members keep what they
// own as far as balance allows).
class uniform_assignor final : public partition_assignor {
public:
    std::string_view name() const override { return "uniform"; }
    group_assignment assign(const std::vector<member_subscription>& members,
                            const std::map<std::string, int32_t>& partitions) const override;
};

// "range": per topic, members sorted by id take contiguous ranges, the first
// (partitions % members) one extra, so equally partitioned topics are co-partitioned.
class range_assignor final : public partition_assignor {
public:
    std::string_view name() const override { return "range"; }
    group_assignment assign(const std::vector<member_subscription>& members,
                            const std::map<std::string, int32_t>& partitions) const override;
};

// The assignor of that name, or nullptr (UNSUPPORTED_ASSIGNOR).
const partition_assignor* find_assignor(std::string_view name);

} // namespace strata::coordinator
