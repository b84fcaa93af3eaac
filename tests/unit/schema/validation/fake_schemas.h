#pragma once
// An in-memory schema_lookup and a trivial schema for the validation tests:
// a payload is valid when it starts with "ok", and the schema's record name
// is given. Header-only because the test CMake globs *_test.cc only.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "strata/schema/schema_lookup.h"

namespace strata::schema::testing {

class prefix_schema final : public parsed_schema {
public:
    explicit prefix_schema(std::string record_name) : name_(std::move(record_name)), text_("prefix:" + name_) {}
    schema_type type() const override { return schema_type::json; }
    const std::string& canonical_text() const override { return text_; }
    std::optional<std::string> validate(std::span<const uint8_t> payload) const override {
        if (payload.size() >= 2 && payload[0] == 'o' && payload[1] == 'k') return std::nullopt;
        return "payload does not start with ok";
    }
    std::optional<std::string> record_name(std::span<const uint8_t>) const override { return name_; }

private:
    std::string name_;
    std::string text_;
};

class memory_lookup final : public schema_lookup {
public:
    void add(int32_t id, const std::string& subject, const std::string& record_name = "com.example.Order") {
        schemas_[id] = std::make_shared<prefix_schema>(record_name);
        subjects_.insert({subject, id});
    }
    schema_ptr by_id(int32_t id) const override {
        auto it = schemas_.find(id);
        return it == schemas_.end() ? nullptr : it->second;
    }
    bool registered_under(std::string_view subject, int32_t id) const override {
        return subjects_.contains({std::string(subject), id});
    }

private:
    std::map<int32_t, schema_ptr> schemas_;
    std::set<std::pair<std::string, int32_t>> subjects_;
};

// Confluent's framing: magic 0, big-endian ID, then `data`.
inline std::string framed(int32_t id, const std::string& data) {
    std::string out(1, '\0');
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((uint32_t(id) >> shift) & 0xff));
    return out + data;
}

inline std::span<const uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

} // namespace strata::schema::testing
