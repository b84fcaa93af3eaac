// libFuzzer target: the server.properties parser and --override arguments.
// Whatever parses must give trimmed, non-empty keys and trimmed values on one
// line each, and written back as `key=value` lines must parse to the same map.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "strata/app/properties.h"

namespace {

bool trimmed(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; };
    return s.empty() || (!space(s.front()) && !space(s.back()));
}

bool ends_in_odd_backslashes(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && s[s.size() - 1 - n] == '\\') ++n;
    return n % 2 == 1;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto kv = strata::app::parse_override(text); kv && (kv->first.empty() || !trimmed(kv->first))) std::abort();
    auto props = strata::app::parse_properties(text);
    if (!props) return 0;
    std::string written;
    bool writable = true;
    for (const auto& [k, v] : *props) {
        if (k.empty() || !trimmed(k) || !trimmed(v) || k.find('\n') != k.npos || v.find('\n') != v.npos) std::abort();
        // A key cut just before an escaped separator ("a\ =b" gives "a\"), or
        // a last line "a=b\ \" (continued at the end of the text, then
        // trimmed to "b\"), cannot be written back without escapes, which the
        // parser keeps verbatim.
        writable = writable && !ends_in_odd_backslashes(k) && !ends_in_odd_backslashes(v);
        written += k + "=" + v + "\n";
    }
    if (!writable) return 0;
    auto again = strata::app::parse_properties(written);
    if (!again || *again != *props) std::abort();
    return 0;
}
