#pragma once
// result<T, E>: a value or an error, used for every fallible operation on the
// data path (no exceptions there). Each module defines its own error enum;
// handlers translate it to a Kafka error code once.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace strata {

template<class E>
struct failure {
    E error;
};

template<class E>
failure<E> fail(E e) {
    return failure<E>{e};
}

template<class T, class E>
class [[nodiscard]] result {
public:
    result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    result(failure<E> f) : v_(std::in_place_index<1>, f.error) {}

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(v_); }
    const T& value() const& { assert(has_value()); return std::get<0>(v_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    E error() const { assert(!has_value()); return std::get<1>(v_); }

private:
    std::variant<T, E> v_;
};

// result<void, E>: success or an error.
template<class E>
class [[nodiscard]] result<void, E> {
public:
    result() = default;
    result(failure<E> f) : error_(f.error), failed_(true) {}

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    E error() const { assert(failed_); return error_; }

private:
    E error_{};
    bool failed_ = false;
};

} // namespace strata
