#pragma once
// Replaces the global operator new and delete to count heap allocations and the bytes they hold (as the allocator
// counts them: malloc_usable_size). Include it in exactly one translation unit of an executable (the replacements are
// program-wide definitions).
//
// Every replaceable form that can be reached is replaced, so that no allocation escapes the count and no block is
// freed by another allocator than the one that made it (ASan checks that).

#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace paged_test {

inline long allocations = 0;
inline long live_bytes = 0;  // held by blocks from operator new, not yet deleted

inline void* counted_allocation(std::size_t size) noexcept {
    ++allocations;
    void* block = std::malloc(size == 0 ? 1 : size);
    if (block != nullptr) live_bytes += static_cast<long>(malloc_usable_size(block));
    return block;
}
inline void counted_free(void* block) noexcept {
    if (block != nullptr) live_bytes -= static_cast<long>(malloc_usable_size(block));
    std::free(block);
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
void operator delete(void* p) noexcept { paged_test::counted_free(p); }
void operator delete[](void* p) noexcept { paged_test::counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { paged_test::counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { paged_test::counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { paged_test::counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { paged_test::counted_free(p); }
