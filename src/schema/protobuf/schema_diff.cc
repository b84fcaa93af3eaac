#include "strata/schema/protobuf/schema_diff.h"

#include <algorithm>
#include <map>
#include <set>

#include <google/protobuf/descriptor.pb.h>

namespace strata::schema::proto {
namespace pb = google::protobuf;
namespace {

using field_map = std::map<int, const pb::FieldDescriptor*>;

enum class kind { scalar, message, map };
// The wire-compatible groups of scalar types (enums encode as int32).
enum class scalar_kind { general_number, signed_number, string_or_bytes, fixed32, fixed64, float_kind, double_kind };
// No label: a proto3 field without `optional`, or a map's key or value.
enum class label { none, optional, required, repeated };

kind kind_of(const pb::FieldDescriptor& f) {
    if (f.is_map()) return kind::map;
    if (f.type() == pb::FieldDescriptor::TYPE_MESSAGE || f.type() == pb::FieldDescriptor::TYPE_GROUP) {
        return kind::message;
    }
    return kind::scalar;
}

scalar_kind scalar_kind_of(const pb::FieldDescriptor& f) {
    switch (f.type()) {
    case pb::FieldDescriptor::TYPE_SINT32:
    case pb::FieldDescriptor::TYPE_SINT64: return scalar_kind::signed_number;
    case pb::FieldDescriptor::TYPE_STRING:
    case pb::FieldDescriptor::TYPE_BYTES: return scalar_kind::string_or_bytes;
    case pb::FieldDescriptor::TYPE_FIXED32:
    case pb::FieldDescriptor::TYPE_SFIXED32: return scalar_kind::fixed32;
    case pb::FieldDescriptor::TYPE_FIXED64:
    case pb::FieldDescriptor::TYPE_SFIXED64: return scalar_kind::fixed64;
    case pb::FieldDescriptor::TYPE_FLOAT: return scalar_kind::float_kind;
    case pb::FieldDescriptor::TYPE_DOUBLE: return scalar_kind::double_kind;
    default: return scalar_kind::general_number;  // int32/64, uint32/64, bool, enums
    }
}

label label_of(const pb::FieldDescriptor& f) {
    if (f.is_repeated()) return label::repeated;
    if (f.is_required()) return label::required;
    if (f.file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO3 && !f.has_optional_keyword()) return label::none;
    return label::optional;
}

std::string_view label_name(label l) {
    switch (l) {
    case label::optional: return "optional";
    case label::required: return "required";
    case label::repeated: return "repeated";
    default: return "implicit";
    }
}

std::string_view kind_name(kind k) { return k == kind::scalar ? "scalar" : k == kind::message ? "message" : "map"; }

std::string type_name(const pb::FieldDescriptor& f) {
    if (f.message_type() != nullptr) return f.message_type()->full_name();
    if (f.enum_type() != nullptr) return f.enum_type()->full_name();
    return f.type_name();
}

// A message type's name inside its package: what Confluent compares, so a
// type may move between referenced files of the same package.
std::string local_name(const pb::Descriptor& d) {
    const std::string& package = d.file()->package();
    return package.empty() ? d.full_name() : d.full_name().substr(package.size() + 1);
}

bool is_map_entry(const pb::Descriptor& d) { return d.options().map_entry(); }

// Shared by a comparison and its sub-comparisons: the writer messages being
// compared up the chain (a recursive type is compared once per chain), and the
// result of each referenced type pair (a sub-comparison's paths start at the
// type's name, so it does not depend on where the type is used).
struct diff_state {
    std::set<const pb::Descriptor*> active;
    std::map<std::pair<const pb::Descriptor*, const pb::Descriptor*>, std::vector<std::string>> named_types;
};

// One comparison (or a sub-comparison of a referenced message type): the path
// it stands at and the incompatibilities found so far.
class differ {
public:
    explicit differ(diff_state& state) : state_(state) {}

    void compare_files(const pb::FileDescriptor& w, const pb::FileDescriptor& r) {
        if (w.package() != r.package()) {
            add("PACKAGE_CHANGED", "package '" + w.package() + "' became '" + r.package() + "'");
        }
        std::vector<const pb::Descriptor*> wm, rm;
        for (int i = 0; i < w.message_type_count(); ++i) wm.push_back(w.message_type(i));
        for (int i = 0; i < r.message_type_count(); ++i) rm.push_back(r.message_type(i));
        compare_messages(wm, rm);
    }

    void compare_messages(const std::vector<const pb::Descriptor*>& w, const std::vector<const pb::Descriptor*>& r) {
        std::map<std::string, std::pair<const pb::Descriptor*, const pb::Descriptor*>> by_name;
        for (const auto* d : w) if (!is_map_entry(*d)) by_name[d->name()].first = d;
        for (const auto* d : r) if (!is_map_entry(*d)) by_name[d->name()].second = d;
        for (const auto& [name, pair] : by_name) {
            path_.push_back(name);
            if (pair.second == nullptr) {
                add("MESSAGE_REMOVED", "message " + pair.first->full_name() + " is missing from the reader's schema");
            } else if (pair.first != nullptr) {
                compare_message(*pair.first, *pair.second);
            }
            path_.pop_back();
        }
    }

    void compare_message(const pb::Descriptor& w, const pb::Descriptor& r) {
        if (state_.active.insert(&w).second) {
            compare_fields(w, r);
            state_.active.erase(&w);
        }
        std::vector<const pb::Descriptor*> wn, rn;
        for (int i = 0; i < w.nested_type_count(); ++i) wn.push_back(w.nested_type(i));
        for (int i = 0; i < r.nested_type_count(); ++i) rn.push_back(r.nested_type(i));
        compare_messages(wn, rn);
    }

    std::vector<std::string> found;

private:
    struct fields {
        field_map plain, all;                   // outside any real oneof; every field
        std::map<int, std::string> oneof_of;    // field number -> its oneof's name
        std::map<std::string, const pb::OneofDescriptor*> oneofs;

        explicit fields(const pb::Descriptor& d) {
            for (int i = 0; i < d.field_count(); ++i) {
                const auto* f = d.field(i);
                all[f->number()] = f;
                if (const auto* o = f->real_containing_oneof()) {
                    oneof_of[f->number()] = o->name();
                } else {
                    plain[f->number()] = f;
                }
            }
            for (int i = 0; i < d.real_oneof_decl_count(); ++i) oneofs[d.oneof_decl(i)->name()] = d.oneof_decl(i);
        }
    };

    void compare_fields(const pb::Descriptor& wd, const pb::Descriptor& rd) {
        fields w(wd), r(rd);
        field_map w_plain = w.plain;
        // Fields joining a oneof: one may (it keeps its value), two cannot (only
        // one of them survives a read), nor one joining fields that were in oneofs.
        for (const auto& [name, oneof] : r.oneofs) {
            int moved = 0, existing = 0;
            for (int i = 0; i < oneof->field_count(); ++i) {
                int number = oneof->field(i)->number();
                if (w_plain.erase(number) != 0) ++moved;
                else if (w.oneof_of.count(number) != 0) ++existing;
            }
            path_.push_back(name);
            if (moved > 1) {
                add("MULTIPLE_FIELDS_MOVED_TO_ONEOF", std::to_string(moved) + " separate fields moved into oneof '" + name + "'");
            } else if (moved == 1 && existing > 0) {
                add("FIELD_MOVED_TO_EXISTING_ONEOF", "a separate field moved into the existing oneof '" + name + "'");
            }
            path_.pop_back();
        }
        for (const auto& [name, w_oneof] : w.oneofs) {
            auto it = r.oneofs.find(name);
            if (it != r.oneofs.end()) compare_oneof(*w_oneof, *it->second, r.all);
        }
        std::set<int> numbers;
        for (const auto& [n, f] : w_plain) numbers.insert(n);
        for (const auto& [n, f] : r.plain) numbers.insert(n);
        for (int n : numbers) {
            auto wf = w_plain.find(n);
            auto rf = r.plain.find(n);
            path_.push_back(std::to_string(n));
            if (rf == r.plain.end()) {
                if (wf->second->is_required()) {
                    add("REQUIRED_FIELD_REMOVED", "required field '" + wf->second->name() + "' is missing from the reader's schema");
                }
            } else if (wf == w_plain.end()) {
                if (rf->second->is_required()) {
                    add("REQUIRED_FIELD_ADDED", "the reader requires field '" + rf->second->name() + "' that the writer lacks");
                }
            } else {
                compare_field(*wf->second, *rf->second);
            }
            path_.pop_back();
        }
        // Fields whose oneof membership changed are compared by number too.
        for (const auto& [n, wf] : w.all) {
            auto rf = r.all.find(n);
            if (rf == r.all.end()) continue;
            auto wo = w.oneof_of.find(n);
            auto ro = r.oneof_of.find(n);
            bool both_plain = wo == w.oneof_of.end() && ro == r.oneof_of.end();
            bool same_oneof = wo != w.oneof_of.end() && ro != r.oneof_of.end() && wo->second == ro->second;
            if (both_plain || same_oneof) continue;
            path_.push_back(std::to_string(n));
            compare_field(*wf, *rf->second);
            path_.pop_back();
        }
    }

    void compare_oneof(const pb::OneofDescriptor& w, const pb::OneofDescriptor& r, const field_map& r_all) {
        path_.push_back(w.name());
        std::set<int> numbers;
        for (int i = 0; i < w.field_count(); ++i) numbers.insert(w.field(i)->number());
        for (int i = 0; i < r.field_count(); ++i) numbers.insert(r.field(i)->number());
        for (int n : numbers) {
            const pb::FieldDescriptor* wf = nullptr;
            const pb::FieldDescriptor* rf = nullptr;
            for (int i = 0; i < w.field_count(); ++i) if (w.field(i)->number() == n) wf = w.field(i);
            for (int i = 0; i < r.field_count(); ++i) if (r.field(i)->number() == n) rf = r.field(i);
            path_.push_back(std::to_string(n));
            if (rf == nullptr && wf != nullptr && r_all.count(n) == 0) {
                add("ONEOF_FIELD_REMOVED", "field '" + wf->name() + "' of oneof '" + w.name() + "' is missing from the reader's schema");
            } else if (rf != nullptr && wf != nullptr) {
                compare_field(*wf, *rf);
            }
            path_.pop_back();
        }
        path_.pop_back();
    }

    void compare_field(const pb::FieldDescriptor& w, const pb::FieldDescriptor& r) {
        compare_types(w, label_of(w), r, label_of(r));
    }

    void compare_types(const pb::FieldDescriptor& w, label wl, const pb::FieldDescriptor& r, label rl) {
        kind wk = kind_of(w), rk = kind_of(r);
        if (wk != rk) {
            add("FIELD_KIND_CHANGED", "field '" + r.name() + "' changed from " + std::string(kind_name(wk)) + " to " +
                                          std::string(kind_name(rk)));
            return;
        }
        switch (wk) {
        case kind::scalar:
            if (scalar_kind_of(w) != scalar_kind_of(r)) {
                add("FIELD_SCALAR_KIND_CHANGED", "field '" + r.name() + "' changed from " + type_name(w) + " to " +
                                                     type_name(r) + ", which does not read the same bytes");
            } else if (wl != label::none && rl != label::none && wl != rl &&
                       scalar_kind_of(w) != scalar_kind::string_or_bytes) {
                add("FIELD_NUMERIC_LABEL_CHANGED", "numeric field '" + r.name() + "' changed from " +
                                                       std::string(label_name(wl)) + " to " + std::string(label_name(rl)));
            }
            break;
        case kind::map: {
            const auto& we = *w.message_type();
            const auto& re = *r.message_type();
            compare_types(*we.map_key(), label::none, *re.map_key(), label::none);
            compare_types(*we.map_value(), label::none, *re.map_value(), label::none);
            break;
        }
        case kind::message: compare_named_types(r.name(), *w.message_type(), *r.message_type()); break;
        }
    }

    void compare_named_types(const std::string& field, const pb::Descriptor& w, const pb::Descriptor& r) {
        std::string name = local_name(w);
        if (name != local_name(r)) {
            add("FIELD_NAMED_TYPE_CHANGED", "field '" + field + "' changed type from " + w.full_name() + " to " + r.full_name());
            return;
        }
        auto memo = state_.named_types.find({&w, &r});
        if (memo == state_.named_types.end()) {
            differ sub(state_);
            for (size_t start = 0, dot; start <= name.size(); start = dot + 1) {
                dot = std::min(name.find('.', start), name.size());
                sub.path_.push_back(name.substr(start, dot - start));
            }
            sub.compare_message(w, r);
            memo = state_.named_types.insert_or_assign({&w, &r}, std::move(sub.found)).first;
        }
        if (memo->second.empty()) return;
        found.insert(found.end(), memo->second.begin(), memo->second.end());
        add("FIELD_NAMED_TYPE_CHANGED", "field '" + field + "' has type " + r.full_name() + ", which changed incompatibly");
    }

    void add(std::string_view type, const std::string& why) {
        std::string where = "#/";
        for (size_t i = 0; i < path_.size(); ++i) where += (i == 0 ? "" : "/") + path_[i];
        found.push_back(std::string(type) + " at " + where + ": " + why);
    }

    diff_state& state_;
    std::vector<std::string> path_;
};

} // namespace

std::vector<std::string> schema_diff::incompatibilities() const {
    diff_state state;
    differ d(state);
    d.compare_files(writer_, reader_);
    // A local message type is reached both by name and through the fields using it.
    std::vector<std::string> unique;
    for (auto& line : d.found) {
        if (std::find(unique.begin(), unique.end(), line) == unique.end()) unique.push_back(std::move(line));
    }
    return unique;
}

} // namespace strata::schema::proto
