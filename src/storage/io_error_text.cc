#include "strata/storage/io_error_text.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace strata::storage {

std::string io_error_text(int error_number) {
    std::string text = std::strerror(error_number);
    if (error_number == EMFILE) {
        // Every partition keeps its active segment's files open.
        rlimit limit{};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        text += fmt::format(" (the open-file limit is {}; raise it, e.g. with ulimit -n or systemd's LimitNOFILE)",
                            limit.rlim_cur);
    } else if (error_number == ENFILE) {
        text += " (the system-wide limit, fs.file-max, is reached)";
    }
    return text;
}

} // namespace strata::storage
