#include "strata/schema/compatibility.h"

namespace strata::schema {
namespace {

void add_reasons(std::vector<std::string>& out, std::vector<std::string> reasons, int32_t version,
                 std::string_view direction) {
    for (auto& r : reasons)
        out.push_back(r + " (" + std::string(direction) + " check against version " + std::to_string(version) + ")");
}

} // namespace

std::vector<std::string> incompatibilities(const format& f, compatibility_level level, const parsed_schema& candidate,
                                           const std::vector<existing_version>& existing) {
    std::vector<std::string> out;
    if (level == compatibility_level::none || existing.empty()) return out;
    auto first = is_transitive(level) ? existing.begin() : existing.end() - 1;
    // Newest first: the reasons about the latest version matter most.
    for (auto it = existing.end(); it != first;) {
        --it;
        if (!it->schema) continue; // an old version no format can read any more: nothing to compare
        if (it->schema->type() != candidate.type()) {
            out.push_back("Incompatible schema type: version " + std::to_string(it->version) + " is " +
                          std::string(to_string(it->schema->type())) + ", the new schema is " +
                          std::string(to_string(candidate.type())));
            continue;
        }
        if (checks_backward(level))
            add_reasons(out, f.read_incompatibilities(candidate, *it->schema), it->version, "BACKWARD");
        if (checks_forward(level))
            add_reasons(out, f.read_incompatibilities(*it->schema, candidate), it->version, "FORWARD");
    }
    return out;
}

} // namespace strata::schema
