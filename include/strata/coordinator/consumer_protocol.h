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

// A version-0 subscription of `topics` without user data, as a classic
// consumer's JoinGroup carries it (the tests' members send these).
std::vector<uint8_t> encode_subscription(const std::vector<std::string>& topics);

} // namespace strata::coordinator
