#include "strata/cluster/json_fields.h"

namespace strata::cluster::json_fields {

namespace bj = boost::json;

std::optional<bj::object> parse_object(std::string_view json) {
    boost::system::error_code ec;
    bj::value v = bj::parse(json, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::optional<int32_t> int32_member(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_int64()) return std::nullopt;
    int64_t v = it->value().as_int64();
    if (v < INT32_MIN || v > INT32_MAX) return std::nullopt;
    return int32_t(v);
}

std::optional<std::vector<int32_t>> int32_array_member(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_array()) return std::nullopt;
    std::vector<int32_t> out;
    for (const auto& v : it->value().as_array()) {
        if (!v.is_int64() || v.as_int64() < INT32_MIN || v.as_int64() > INT32_MAX) return std::nullopt;
        out.push_back(int32_t(v.as_int64()));
    }
    return out;
}

} // namespace strata::cluster::json_fields
