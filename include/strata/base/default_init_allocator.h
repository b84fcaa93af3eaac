#pragma once
// An allocator whose value-less construct() default-initialises: for trivial
// types such as uint8_t, vector::resize then leaves the new bytes as they are
// instead of zeroing them. Request frames use it because every byte is
// overwritten by the socket read right after the resize; zeroing them first
// cost as many stores as there are request bytes (docs/performance.md).
// Stateless; usable on any thread.

#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace strata {

template <typename T, typename A = std::allocator<T>>
class default_init_allocator : public A {
    using traits = std::allocator_traits<A>;

public:
    template <typename U>
    struct rebind {
        using other = default_init_allocator<U, typename traits::template rebind_alloc<U>>;
    };

    using A::A;

    template <typename U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        traits::construct(static_cast<A&>(*this), p, std::forward<Args>(args)...);
    }
};

} // namespace strata
