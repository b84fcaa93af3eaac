#include "avro_compatibility.h"

#include <algorithm>
#include <set>

namespace strata::schema::avro {

namespace {

template<class T>
void append(std::vector<T>& to, std::vector<T> from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

std::string_view simple_name(const std::string& full) {
    auto dot = full.rfind('.');
    return dot == std::string::npos ? std::string_view(full) : std::string_view(full).substr(dot + 1);
}

bool promotable(avro_kind reader, avro_kind writer) {
    switch (reader) {
    case avro_kind::long_type: return writer == avro_kind::int_type;
    case avro_kind::float_type: return writer == avro_kind::int_type || writer == avro_kind::long_type;
    case avro_kind::double_type:
        return writer == avro_kind::int_type || writer == avro_kind::long_type || writer == avro_kind::float_type;
    case avro_kind::bytes: return writer == avro_kind::string;
    case avro_kind::string: return writer == avro_kind::bytes;
    default: return false;
    }
}

} // namespace

std::vector<std::string> avro_compatibility::check(const avro_node& reader, const avro_node& writer) {
    avro_compatibility c;
    std::vector<std::string> out;
    for (const auto& i : c.pair(reader, writer)) {
        std::string s = render(i);
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
    return out;
}

avro_compatibility::incompatibility avro_compatibility::make(problem type, std::string message) const {
    std::string location = "/";
    for (size_t i = 0; i < location_.size(); ++i) {
        if (i) location += '/';
        location += location_[i];
    }
    return {type, std::move(location), std::move(message)};
}

std::string avro_compatibility::render(const incompatibility& i) {
    const std::string& path = i.location;
    const char* name = "";
    std::string description;
    switch (i.type) {
    case problem::fixed_size_mismatch:
        name = "FIXED_SIZE_MISMATCH";
        description = "The size of FIXED type field at path '" + path +
                      "' in the reader schema does not match with the writer schema";
        break;
    case problem::type_mismatch:
        name = "TYPE_MISMATCH";
        description = "The type (path '" + path + "') of a field in the reader schema does not match with the writer schema";
        break;
    case problem::name_mismatch:
        name = "NAME_MISMATCH";
        description = "The name of the schema has changed (path '" + path + "')";
        break;
    case problem::missing_enum_symbols:
        name = "MISSING_ENUM_SYMBOLS";
        description = "The reader schema is missing enum symbols '" + i.message + "' at path '" + path +
                      "' in the writer schema";
        break;
    case problem::missing_union_branch:
        name = "MISSING_UNION_BRANCH";
        description = "The reader schema is missing a type inside a union field at path '" + path +
                      "' in the writer schema";
        break;
    case problem::too_deep:
        // Not one of Java's types (Java would overflow its stack instead).
        name = "TYPE_MISMATCH";
        description = "The reader and writer schemas at path '" + path + "' are too deeply nested to compare";
        break;
    case problem::reader_field_missing_default_value:
        name = "READER_FIELD_MISSING_DEFAULT_VALUE";
        description = "The field '" + i.message + "' at path '" + path +
                      "' in the reader schema has no default value and is missing in the writer schema";
        break;
    }
    return "{errorType:'" + std::string(name) + "', description:'" + description + "', additionalInfo:'" +
           i.message + "'}";
}

avro_compatibility::list avro_compatibility::pair(const avro_node& reader, const avro_node& writer) {
    auto key = std::make_pair(&reader, &writer);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second ? *it->second : list{};
    if (depth_ >= max_depth)
        return {make(problem::too_deep, "the schemas nest more than " + std::to_string(max_depth) + " levels deep")};
    memo_.emplace(key, std::nullopt);
    ++depth_;
    list result = calculate(reader, writer);
    --depth_;
    memo_[key] = result;
    return result;
}

avro_compatibility::list avro_compatibility::at(std::string token, const avro_node& reader,
                                                const avro_node& writer) {
    location_.push_back(std::move(token));
    list result = pair(reader, writer);
    location_.pop_back();
    return result;
}

avro_compatibility::list avro_compatibility::calculate(const avro_node& reader, const avro_node& writer) {
    if (reader.kind == writer.kind) return same_kind(reader, writer);
    list result;
    // A writer union is readable when every one of its branches is (Java
    // reports these at the union's own path, without the branch index).
    if (writer.kind == avro_kind::union_type) {
        for (const avro_node* branch : writer.branches) append(result, pair(reader, *branch));
        return result;
    }
    if (reader.kind == avro_kind::union_type) {
        for (const avro_node* branch : reader.branches)
            if (pair(*branch, writer).empty()) return result;
        result.push_back(make(problem::missing_union_branch,
                              "reader union lacking writer type: " + std::string(kind_upper_name(writer.kind))));
        return result;
    }
    if (!promotable(reader.kind, writer.kind))
        result.push_back(make(problem::type_mismatch, "reader type: " + std::string(kind_upper_name(reader.kind)) +
                                                          " not compatible with writer type: " +
                                                          std::string(kind_upper_name(writer.kind))));
    return result;
}

avro_compatibility::list avro_compatibility::same_kind(const avro_node& reader, const avro_node& writer) {
    list result;
    switch (reader.kind) {
    case avro_kind::array: return at("items", *reader.items, *writer.items);
    case avro_kind::map: return at("values", *reader.items, *writer.items);
    case avro_kind::fixed:
        result = names(reader, writer);
        if (reader.size != writer.size) {
            location_.push_back("size");
            result.push_back(make(problem::fixed_size_mismatch, "expected: " + std::to_string(writer.size) +
                                                                    ", found: " + std::to_string(reader.size)));
            location_.pop_back();
        }
        return result;
    case avro_kind::enumeration:
        result = names(reader, writer);
        append(result, symbols(reader, writer));
        return result;
    case avro_kind::record:
        result = names(reader, writer);
        append(result, fields(reader, writer));
        return result;
    case avro_kind::union_type:
        for (size_t i = 0; i < writer.branches.size(); ++i) {
            location_.push_back(std::to_string(i));
            if (!pair(reader, *writer.branches[i]).empty())
                result.push_back(make(problem::missing_union_branch,
                                      "reader union lacking writer type: " +
                                          std::string(kind_upper_name(writer.branches[i]->kind))));
            location_.pop_back();
        }
        return result;
    default: return result;  // the same primitive
    }
}

// Java compares unqualified names, or accepts a reader alias naming the writer.
avro_compatibility::list avro_compatibility::names(const avro_node& reader, const avro_node& writer) {
    list result;
    if (simple_name(reader.full_name) == simple_name(writer.full_name)) return result;
    if (std::find(reader.aliases.begin(), reader.aliases.end(), writer.full_name) != reader.aliases.end())
        return result;
    location_.push_back("name");
    result.push_back(make(problem::name_mismatch, "expected: " + writer.full_name));
    location_.pop_back();
    return result;
}

avro_compatibility::list avro_compatibility::fields(const avro_node& reader, const avro_node& writer) {
    list result;
    location_.push_back("fields");
    for (size_t i = 0; i < reader.fields.size(); ++i) {
        const avro_field& rf = reader.fields[i];
        auto named = [&](std::string_view name) {
            return std::find_if(writer.fields.begin(), writer.fields.end(),
                                [&](const avro_field& wf) { return wf.name == name; });
        };
        auto wf = named(rf.name);
        for (size_t a = 0; wf == writer.fields.end() && a < rf.aliases.size(); ++a) wf = named(rf.aliases[a]);
        location_.push_back(std::to_string(i));
        if (wf != writer.fields.end())
            append(result, at("type", *rf.type, *wf->type));
        else if (!rf.default_value)
            result.push_back(make(problem::reader_field_missing_default_value, rf.name));
        location_.pop_back();
    }
    location_.pop_back();
    return result;
}

avro_compatibility::list avro_compatibility::symbols(const avro_node& reader, const avro_node& writer) {
    list result;
    if (reader.enum_default) return result;  // unknown writer symbols read as the default
    std::set<std::string> missing;
    for (const auto& s : writer.symbols)
        if (std::find(reader.symbols.begin(), reader.symbols.end(), s) == reader.symbols.end()) missing.insert(s);
    if (missing.empty()) return result;
    std::string text = "[";
    for (const auto& s : missing) {
        if (text.size() > 1) text += ", ";
        text += s;
    }
    text += "]";
    location_.push_back("symbols");
    result.push_back(make(problem::missing_enum_symbols, text));
    location_.pop_back();
    return result;
}

} // namespace strata::schema::avro
