#include "strata/schema/registry_types.h"

#include <array>
#include <utility>

namespace strata::schema {
namespace {

constexpr std::array<std::pair<compatibility_level, std::string_view>, 7> level_names{{
    {compatibility_level::none, "NONE"},
    {compatibility_level::backward, "BACKWARD"},
    {compatibility_level::backward_transitive, "BACKWARD_TRANSITIVE"},
    {compatibility_level::forward, "FORWARD"},
    {compatibility_level::forward_transitive, "FORWARD_TRANSITIVE"},
    {compatibility_level::full, "FULL"},
    {compatibility_level::full_transitive, "FULL_TRANSITIVE"},
}};

constexpr std::array<std::pair<registry_mode, std::string_view>, 3> mode_names{{
    {registry_mode::readwrite, "READWRITE"},
    {registry_mode::readonly, "READONLY"},
    {registry_mode::import, "IMPORT"},
}};

template<class E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return names.front().second;
}

template<class E, size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
    for (const auto& [v, n] : names)
        if (n == name) return v;
    return std::nullopt;
}

} // namespace

std::string_view to_string(compatibility_level l) { return name_of(level_names, l); }

std::optional<compatibility_level> parse_compatibility_level(std::string_view name) {
    return value_of(level_names, name);
}

bool checks_backward(compatibility_level l) {
    return l == compatibility_level::backward || l == compatibility_level::backward_transitive ||
           l == compatibility_level::full || l == compatibility_level::full_transitive;
}

bool checks_forward(compatibility_level l) {
    return l == compatibility_level::forward || l == compatibility_level::forward_transitive ||
           l == compatibility_level::full || l == compatibility_level::full_transitive;
}

bool is_transitive(compatibility_level l) {
    return l == compatibility_level::backward_transitive || l == compatibility_level::forward_transitive ||
           l == compatibility_level::full_transitive;
}

std::string_view to_string(registry_mode m) { return name_of(mode_names, m); }

std::optional<registry_mode> parse_registry_mode(std::string_view name) { return value_of(mode_names, name); }

} // namespace strata::schema
