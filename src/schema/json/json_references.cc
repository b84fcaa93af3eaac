#include "strata/schema/json/json_references.h"

#include <charconv>
#include <set>

#include "strata/schema/json/json_uri.h"
#include "strata/schema/json/json_subschemas.h"

namespace strata::schema {
namespace {

constexpr std::string_view scheme = "strata://ref/";
// valijson matches reference URIs against a regex that recurses per character.
constexpr size_t max_reference_length = 2048;

std::string_view without_fragment(std::string_view uri) {
    return uri.substr(0, uri.find('#'));
}

// Every subschema below `node` declaring an "$id" (draft 4: "id"), copied.
void collect_ids(const boost::json::value& node, std::vector<std::pair<std::string, boost::json::value>>& out) {
    if (const auto* array = node.if_array()) {
        for (const auto& element : *array) collect_ids(element, out);
        return;
    }
    const auto* object = node.if_object();
    if (!object) return;
    for (const char* keyword : {"$id", "id"}) {
        const auto* id = object->if_contains(keyword);
        if (id && id->is_string() && !without_fragment(id->get_string()).empty()) {
            out.emplace_back(std::string(without_fragment(id->get_string())), node);
        }
    }
    (void)for_each_subschema(*object, "", [&](const boost::json::value& child, const std::string&) {
        collect_ids(child, out);
        return result<void, std::string>();
    });
}

// Finds subschemas that apply to the same value as the schema at (document,
// pointer): following only those, a schema must never come back to itself.
class cycle_finder {
public:
    explicit cycle_finder(const std::vector<boost::json::value>& documents) : documents_(documents) {}

    result<void, std::string> walk(const boost::json::value& document, const boost::json::value& node,
                                   const std::string& pointer) {
        if (const auto* array = node.if_array()) {
            for (size_t i = 0; i < array->size(); ++i) {
                if (auto r = walk(document, (*array)[i], pointer + "/" + std::to_string(i)); !r) return r;
            }
            return {};
        }
        if (!node.is_object()) return {};
        if (auto r = visit(document, node, pointer); !r) return r;
        return for_each_subschema(node.get_object(), pointer, [&](const boost::json::value& child,
                                                                   const std::string& at) {
            return walk(document, child, at);
        });
    }

private:
    using key = std::pair<const boost::json::value*, std::string>;

    result<void, std::string> visit(const boost::json::value& document, const boost::json::value& node,
                                    const std::string& pointer) {
        key here{&document, pointer};
        if (done_.contains(here)) return {};
        if (!open_.insert(here).second) {
            return fail("schema at #" + pointer + " applies itself to the same value, forever ($ref cycle)");
        }
        const auto& object = node.get_object();
        auto follow = [&](const boost::json::value& doc, const std::string& ptr) -> result<void, std::string> {
            boost::system::error_code ec;
            const auto* child = doc.find_pointer(ptr, ec);
            if (!child || !child->is_object()) return {};
            return visit(doc, *child, ptr);
        };
        for (const char* keyword : {"allOf", "anyOf", "oneOf"}) {
            const auto* list = object.if_contains(keyword);
            if (!list || !list->is_array()) continue;
            for (size_t i = 0; i < list->get_array().size(); ++i) {
                if (auto r = follow(document, pointer + "/" + keyword + "/" + std::to_string(i)); !r) return r;
            }
        }
        for (const char* keyword : {"not", "if", "then", "else"}) {
            if (object.contains(keyword)) {
                if (auto r = follow(document, pointer + "/" + keyword); !r) return r;
            }
        }
        if (const auto* dependencies = object.if_contains("dependencies"); dependencies && dependencies->is_object()) {
            for (const auto& member : dependencies->get_object()) {
                if (auto r = follow(document, pointer + "/dependencies/" + pointer_token(member.key())); !r) return r;
            }
        }
        if (const auto* ref = object.if_contains("$ref"); ref && ref->is_string()) {
            std::string_view text = ref->get_string();
            const boost::json::value* target = &document;
            if (text.starts_with(scheme)) {
                size_t index = 0;
                std::from_chars(text.data() + scheme.size(), text.data() + text.size(), index);
                target = index < documents_.size() ? &documents_[index] : nullptr;
            }
            size_t hash = text.find('#');
            std::string_view fragment = hash == std::string_view::npos ? "" : text.substr(hash + 1);
            if (target && (fragment.empty() || fragment.starts_with('/'))) {
                if (auto r = follow(*target, std::string(fragment)); !r) return r;
            }
        }
        open_.erase(here);
        done_.insert(here);
        return {};
    }

    const std::vector<boost::json::value>& documents_;
    std::set<key> open_, done_;
};

} // namespace

result<json_references, std::string> json_references::resolve(boost::json::value& root,
                                                               std::map<std::string, boost::json::value> dependencies) {
    json_references out;
    for (auto& [name, document] : dependencies) {
        out.names_.push_back({name, out.documents_.size()});
        out.documents_.push_back(std::move(document));
    }
    std::vector<std::pair<std::string, boost::json::value>> ids;
    collect_ids(root, ids);
    for (const auto& document : out.documents_) collect_ids(document, ids);
    for (auto& [id, subschema] : ids) {
        out.names_.push_back({id, out.documents_.size()});
        out.documents_.push_back(std::move(subschema));
    }
    if (auto r = out.rewrite(root); !r) return fail(r.error());
    for (auto& document : out.documents_) {
        if (auto r = out.rewrite(document); !r) return fail(r.error());
    }
    cycle_finder cycles(out.documents_);
    if (auto r = cycles.walk(root, root, ""); !r) return fail(r.error());
    for (const auto& document : out.documents_) {
        if (auto r = cycles.walk(document, document, ""); !r) return fail(r.error());
    }
    return out;
}

// Valijson also fetches the "$id" around a fragment-only reference by name.
const boost::json::value* json_references::fetch(std::string_view uri) const {
    uri = without_fragment(uri);
    if (!uri.starts_with(scheme)) {
        size_t document = find(uri);
        return document == std::string::npos ? nullptr : &documents_[document];
    }
    size_t index = 0;
    auto [end, ec] = std::from_chars(uri.data() + scheme.size(), uri.data() + uri.size(), index);
    if (ec != std::errc() || end != uri.data() + uri.size() || index >= documents_.size()) return nullptr;
    return &documents_[index];
}

// The document named exactly `uri`, else the only one whose name shares its
// path tail; npos when none or several do.
size_t json_references::find(std::string_view uri) const {
    for (const auto& n : names_) {
        if (without_fragment(n.name) == uri) return n.document;
    }
    size_t found = std::string::npos;
    for (const auto& n : names_) {
        if (!same_path_tail(without_fragment(n.name), uri) || found == n.document) continue;
        if (found != std::string::npos) return std::string::npos;
        found = n.document;
    }
    return found;
}

result<void, std::string> json_references::rewrite(boost::json::value& node) {
    if (auto* array = node.if_array()) {
        for (auto& element : *array) {
            if (auto r = rewrite(element); !r) return r;
        }
        return {};
    }
    auto* object = node.if_object();
    if (!object) return {};
    if (auto* member = object->if_contains("$ref"); member && member->is_string()) {
        std::string_view ref = member->get_string();
        if (ref.size() > max_reference_length) return fail(std::string("a $ref is longer than 2048 characters"));
        if (!ref.starts_with('#')) {
            size_t document = find(without_fragment(ref));
            if (document == std::string::npos) {
                return fail("$ref " + std::string(ref) +
                            " names no schema: neither one of its references nor a subschema's $id");
            }
            std::string fragment(ref.substr(without_fragment(ref).size()));
            *member = std::string(scheme) + std::to_string(document) + fragment;
        }
    }
    return for_each_subschema(*object, "", [&](boost::json::value& child, const std::string&) {
        return rewrite(child);
    });
}

} // namespace strata::schema
