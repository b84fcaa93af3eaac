#include "strata/schema/json/json_canonical.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

namespace strata::schema {
namespace {

void write(const boost::json::value& value, std::string& out);

void write_object(const boost::json::object& object, std::string& out) {
    std::vector<const boost::json::key_value_pair*> members;
    members.reserve(object.size());
    for (const auto& member : object) members.push_back(&member);
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return a->key() < b->key(); });
    out += '{';
    for (size_t i = 0; i < members.size(); ++i) {
        if (i) out += ',';
        out += boost::json::serialize(boost::json::string_view(members[i]->key()));
        out += ':';
        write(members[i]->value(), out);
    }
    out += '}';
}

// Shortest text that reads back as the same double; an integral double prints
// without a fraction, which JSON Schema treats as the same number.
void write_double(double d, std::string& out) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

void write(const boost::json::value& value, std::string& out) {
    switch (value.kind()) {
    case boost::json::kind::object: write_object(value.get_object(), out); return;
    case boost::json::kind::array: {
        out += '[';
        bool first = true;
        for (const auto& element : value.get_array()) {
            if (!first) out += ',';
            first = false;
            write(element, out);
        }
        out += ']';
        return;
    }
    case boost::json::kind::double_: write_double(value.get_double(), out); return;
    default: out += boost::json::serialize(value); return;
    }
}

} // namespace

std::string canonical_json(const boost::json::value& value) {
    std::string out;
    write(value, out);
    return out;
}

} // namespace strata::schema
