// strata: the broker executable.
//   strata [--config FILE] [--override key=value]...

#include <sys/resource.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "strata/app/broker.h"
#include "strata/app/properties.h"
#include "strata/base/logging.h"

namespace {

// Every partition keeps files open, so the broker takes all the descriptors
// it may have, as Kafka's packaging raises the limit for it.
void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = before;
    }
    if (limit.rlim_cur != before)
        spdlog::info("open-file limit {} (raised from {})", limit.rlim_cur, before);
    else
        spdlog::info("open-file limit {}", limit.rlim_cur);
}

int usage() {
    std::cerr << "usage: strata [--config FILE] [--override key=value]...\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    using namespace strata;
    std::string config_path = "config/server.properties";
    std::vector<std::string> overrides;
    bool config_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if ((a == "--config" || a == "-c") && i + 1 < argc) {
            config_path = argv[++i];
            config_given = true;
        } else if (a == "--override" && i + 1 < argc) {
            overrides.emplace_back(argv[++i]);
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            return usage();
        }
    }

    app::properties props;
    if (std::ifstream in{config_path}) {
        std::stringstream ss;
        ss << in.rdbuf();
        auto parsed = app::parse_properties(ss.str());
        if (!parsed) {
            std::cerr << config_path << ":" << parsed.error().line << ": " << parsed.error().message << "\n";
            return 2;
        }
        props = std::move(parsed).value();
    } else if (config_given) {
        std::cerr << "cannot read config file " << config_path << "\n";
        return 2;
    }
    for (const auto& o : overrides) {
        auto kv = app::parse_override(o);
        if (!kv) {
            std::cerr << "--override " << o << ": " << kv.error().message << "\n";
            return 2;
        }
        props.insert_or_assign(kv->first, kv->second);
    }
    auto cfg = app::load_broker_config(props);
    if (!cfg) {
        std::cerr << "invalid configuration: " << cfg.error().message << "\n";
        return 2;
    }
    init_logging(cfg->log_level);
    std::signal(SIGPIPE, SIG_IGN);
    raise_open_file_limit();

    app::broker broker(std::move(cfg).value());
    if (!broker.start()) return 1;
    return broker.run();
}
