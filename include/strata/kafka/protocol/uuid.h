#pragma once
// Kafka's 128-bit UUID (topic ids). All zeros means "no id".

#include <array>
#include <cstdint>
#include <string>

namespace strata::kafka {

struct uuid {
    std::array<uint8_t, 16> bytes{};

    bool is_zero() const {
        for (auto b : bytes)
            if (b) return false;
        return true;
    }
    auto operator<=>(const uuid&) const = default;

    // A random (version 4) UUID.
    static uuid random();
    // Kafka prints topic ids as URL-safe base64 without padding.
    std::string to_base64() const;
};

} // namespace strata::kafka
