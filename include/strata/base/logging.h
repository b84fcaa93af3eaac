#pragma once
// Logging setup. Modules log through spdlog's default logger.

#include <string_view>

#include <spdlog/spdlog.h>

namespace strata {

// Configures the default logger: level from `level` ("info", "debug", ...).
void init_logging(std::string_view level);

} // namespace strata
