#include "strata/kafka/server/handlers/api_versions.h"

#include "strata/kafka/server/dispatcher.h"

namespace strata::kafka::server {
namespace {

// KIP-511: software names and versions are [a-zA-Z0-9] at both ends, with
// '.' and '-' allowed inside.
bool valid_software_field(const std::string& s) {
    if (s.empty()) return false;
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (!alnum(s.front()) || !alnum(s.back())) return false;
    for (char c : s)
        if (!alnum(c) && c != '.' && c != '-') return false;
    return true;
}

} // namespace

api_versions_handler::response api_versions_handler::supported_versions(error_code error) {
    response resp;
    resp.error_code = code(error);
    for (const auto& h : dispatcher::handlers()) {
        auto& k = resp.api_keys.emplace_back();
        k.api_key = h.api_key;
        k.min_version = h.advertised_min_version;
        k.max_version = h.max_version;
    }
    return resp;
}

boost::asio::awaitable<api_versions_handler::response> api_versions_handler::handle(request_context& ctx,
                                                                                    request& req) {
    if (ctx.api_version >= 3 &&
        (!valid_software_field(req.client_software_name) || !valid_software_field(req.client_software_version))) {
        response resp;
        resp.error_code = code(error_code::invalid_request);
        co_return resp;
    }
    co_return supported_versions(error_code::none);
}

} // namespace strata::kafka::server
