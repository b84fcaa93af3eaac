#pragma once
// Strong types: offsets, epochs and ids are distinct types, so an epoch can
// never be passed where an offset is expected.

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

#include <fmt/format.h>

namespace strata {

template<class T, class Tag>
class named_type {
public:
    using value_type = T;
    constexpr named_type() = default;
    constexpr explicit named_type(T v) : v_(v) {}
    constexpr T operator()() const { return v_; }
    constexpr T value() const { return v_; }

    constexpr auto operator<=>(const named_type&) const = default;

    constexpr named_type& operator+=(T d) { v_ += d; return *this; }
    constexpr named_type& operator-=(T d) { v_ -= d; return *this; }
    constexpr named_type& operator++() { ++v_; return *this; }
    constexpr named_type operator+(T d) const { return named_type(v_ + d); }
    constexpr named_type operator-(T d) const { return named_type(v_ - d); }

    friend std::ostream& operator<<(std::ostream& o, const named_type& v) { return o << v.v_; }

private:
    T v_{};
};

} // namespace strata

template<class T, class Tag>
struct std::hash<strata::named_type<T, Tag>> {
    size_t operator()(const strata::named_type<T, Tag>& v) const noexcept { return std::hash<T>{}(v()); }
};

template<class T, class Tag>
struct fmt::formatter<strata::named_type<T, Tag>> : fmt::formatter<T> {
    auto format(const strata::named_type<T, Tag>& v, fmt::format_context& ctx) const {
        return fmt::formatter<T>::format(v(), ctx);
    }
};
