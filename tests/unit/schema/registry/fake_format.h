#pragma once
// A toy schema format for the registry's unit tests: a schema is a list of
// field names, "a,b?" (a '?' marks a field with a default). A reader reads
// data from a writer when each of its fields without a default is written,
// which is Avro's rule in miniature. "!" does not parse. Test thread only.

#include <algorithm>
#include <set>
#include <sstream>

#include "strata/schema/format.h"

namespace strata::schema::test {

class fake_schema final : public parsed_schema {
public:
    fake_schema(schema_type t, std::set<std::string> fields) : type_(t), fields_(std::move(fields)) {
        for (const auto& f : fields_) canonical_ += f + ",";
    }
    schema_type type() const override { return type_; }
    const std::string& canonical_text() const override { return canonical_; }
    std::optional<std::string> validate(std::span<const uint8_t>) const override { return std::nullopt; }
    std::optional<std::string> record_name(std::span<const uint8_t>) const override { return std::nullopt; }
    const std::set<std::string>& fields() const { return fields_; }

private:
    schema_type type_;
    std::set<std::string> fields_;
    std::string canonical_;
};

class fake_format final : public format {
public:
    explicit fake_format(schema_type t = schema_type::avro) : type_(t) {}
    schema_type type() const override { return type_; }
    result<schema_ptr, std::string> parse(const schema_source& source) const override {
        if (source.text.find('!') != std::string::npos) return fail(std::string("bad field name"));
        std::set<std::string> fields;
        std::stringstream in(source.text);
        for (std::string f; std::getline(in, f, ',');)
            if (!f.empty()) fields.insert(f);
        // A reference brings the referenced schema's fields along.
        for (const auto& [name, text] : source.dependencies) fields.insert(name + "." + text);
        return schema_ptr(std::make_shared<fake_schema>(type_, std::move(fields)));
    }
    std::vector<std::string> read_incompatibilities(const parsed_schema& reader,
                                                    const parsed_schema& writer) const override {
        const auto& r = static_cast<const fake_schema&>(reader).fields();
        const auto& w = static_cast<const fake_schema&>(writer).fields();
        std::vector<std::string> out;
        for (const auto& f : r) {
            if (f.ends_with('?')) continue;
            if (!w.contains(f) && !w.contains(f + "?")) out.push_back("reader field " + f + " has no default");
        }
        return out;
    }

private:
    schema_type type_;
};

} // namespace strata::schema::test
