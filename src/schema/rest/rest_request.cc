#include "strata/schema/rest/rest_request.h"

#include <cctype>

namespace strata::schema {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// '+' is a space only in a query; a path keeps it.
std::string decode(std::string_view s, bool query) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out.push_back(char(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
            i += 2;
        } else if (query && s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

template<class F>
void split(std::string_view s, char sep, F&& each) {
    while (!s.empty()) {
        auto at = s.find(sep);
        each(s.substr(0, at));
        if (at == std::string_view::npos) break;
        s.remove_prefix(at + 1);
    }
}

} // namespace

bool rest_request::flag(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end()) return false;
    std::string v;
    for (char c : it->second) v.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    return v == "true";
}

rest_request parse_rest_request(const net::http_request& req) {
    rest_request out{req.method, {}, {}, req.body};
    std::string_view target = req.target;
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (q != std::string_view::npos) {
        split(target.substr(q + 1), '&', [&](std::string_view kv) {
            if (kv.empty()) return;
            auto eq = kv.find('=');
            auto key = decode(kv.substr(0, eq), true);
            out.query[key] = eq == std::string_view::npos ? "" : decode(kv.substr(eq + 1), true);
        });
    }
    split(path, '/', [&](std::string_view seg) {
        if (!seg.empty()) out.path.push_back(decode(seg, false));
    });
    return out;
}

} // namespace strata::schema
