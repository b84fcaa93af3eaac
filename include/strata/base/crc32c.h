#pragma once
// CRC-32C (Castagnoli), the checksum of Kafka record batches (magic 2).

#include <cstddef>
#include <cstdint>
#include <span>

namespace strata {

// Extends `crc` (0 to start) over `data`. Uses SSE4.2 when the CPU has it.
uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc = 0);

} // namespace strata
