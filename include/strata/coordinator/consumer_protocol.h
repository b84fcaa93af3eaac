#pragma once
// The consumer protocol's subscription, as a classic consumer group's
// JoinGroup metadata carries it (ConsumerProtocolSubscription: version int16,
// topics [string], user_data bytes, then fields of later versions). Every
// version starts with the version-0 layout, so reading that prefix is enough
// to know the subscribed topics.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace strata::coordinator {

// The subscribed topics; nullopt when the bytes are not a subscription.
std::optional<std::vector<std::string>> subscription_topics(std::span<const uint8_t> metadata);

} // namespace strata::coordinator
