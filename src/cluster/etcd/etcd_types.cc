#include "strata/cluster/etcd/etcd_types.h"

namespace strata::cluster::etcd {

const char* to_string(errc e) {
    switch (e) {
    case errc::unavailable: return "etcd unavailable";
    case errc::timeout: return "etcd request timed out";
    case errc::bad_response: return "unexpected answer from etcd";
    case errc::compacted: return "etcd revision compacted";
    case errc::lease_not_found: return "etcd lease not found";
    case errc::canceled: return "etcd request canceled";
    case errc::server_error: return "etcd error";
    }
    return "etcd error";
}

std::string prefix_end(std::string_view prefix) {
    // The smallest key greater than every key with this prefix: the prefix
    // with its last byte below 0xff incremented (etcd's own rule).
    std::string end(prefix);
    while (!end.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(end.back());
        if (last < 0xff) {
            ++last;
            return end;
        }
        end.pop_back();
    }
    return std::string(1, '\0');  // every key
}

} // namespace strata::cluster::etcd
