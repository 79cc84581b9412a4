#pragma once
// Replaces the global operator new and delete to count heap allocations. Include it in exactly one translation unit
// of an executable (the replacements are program-wide definitions).
//
// Every replaceable form that can be reached is replaced, so that no allocation escapes the count and no block is
// freed by another allocator than the one that made it (ASan checks that).

#include <cstddef>
#include <cstdlib>
#include <new>

namespace paged_test {

inline long allocations = 0;

inline void* counted_allocation(std::size_t size) noexcept {
    ++allocations;
    return std::malloc(size == 0 ? 1 : size);
}
inline void* counted_allocation_or_throw(std::size_t size) {
    if (void* p = counted_allocation(size)) return p;
    throw std::bad_alloc();
}

}  // namespace paged_test

void* operator new(std::size_t size) { return paged_test::counted_allocation_or_throw(size); }
void* operator new[](std::size_t size) { return paged_test::counted_allocation_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return paged_test::counted_allocation(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return paged_test::counted_allocation(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
