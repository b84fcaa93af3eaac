#include "strata/schema/json/json_uri.h"

#include <utility>

namespace strata::schema {

std::string pointer_token(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

bool same_path_tail(std::string_view a, std::string_view b) {
    if (a.size() < b.size()) std::swap(a, b);
    return !b.empty() && (a == b || (a.ends_with(b) && a[a.size() - b.size() - 1] == '/'));
}

} // namespace strata::schema
