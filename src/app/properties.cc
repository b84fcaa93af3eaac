#include "strata/app/properties.h"

namespace strata::app {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\f'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f'))
        s.remove_suffix(1);
    return s;
}

// Splits a logical line at the first unescaped '=' or ':'.
result<std::pair<std::string, std::string>, parse_error> split_entry(std::string_view line, int lineno) {
    size_t sep = std::string_view::npos;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\') {
            ++i;
            continue;
        }
        if (line[i] == '=' || line[i] == ':') {
            sep = i;
            break;
        }
    }
    if (sep == std::string_view::npos) return fail(parse_error{lineno, "expected key=value"});
    auto key = trim(line.substr(0, sep));
    if (key.empty()) return fail(parse_error{lineno, "empty key"});
    return std::pair{std::string(key), std::string(trim(line.substr(sep + 1)))};
}

} // namespace

result<properties, parse_error> parse_properties(std::string_view text) {
    properties out;
    std::string logical;
    int lineno = 0, start_line = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto raw = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++lineno;
        auto line = trim(raw);
        if (logical.empty()) {
            if (line.empty() || line.front() == '#' || line.front() == '!') continue;
            start_line = lineno;
        }
        // An odd number of trailing backslashes continues the line.
        size_t slashes = 0;
        while (slashes < line.size() && line[line.size() - 1 - slashes] == '\\') ++slashes;
        if (slashes % 2 == 1) {
            logical.append(line.substr(0, line.size() - 1));
            if (!text.empty()) continue;
        } else {
            logical.append(line);
        }
        auto entry = split_entry(logical, start_line);
        logical.clear();
        if (!entry) return fail(entry.error());
        out.insert_or_assign(std::move(entry->first), std::move(entry->second));
    }
    return out;
}

result<std::pair<std::string, std::string>, parse_error> parse_override(std::string_view arg) {
    return split_entry(trim(arg), 0);
}

} // namespace strata::app
