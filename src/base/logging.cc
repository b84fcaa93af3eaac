#include "strata/base/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace strata {

void init_logging(std::string_view level) {
    auto logger = spdlog::stderr_color_mt("strata");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");
    logger->set_level(spdlog::level::from_str(std::string(level)));
    spdlog::set_default_logger(logger);
}

} // namespace strata
