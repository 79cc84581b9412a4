#pragma once
// gen | paged::chunk(n): std::vectors of n items (the last one may be shorter, never empty), for bulk inserts.
// Items are moved in when the generator yields values, copied when it yields references.

#include <paged/async_generator.hpp>
#include <paged/detail/pipe.hpp>
#include <paged/error.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace paged {

namespace detail {
template <class T>
async_generator<std::vector<std::remove_cvref_t<T>>> chunk_items(async_generator<T> source, std::size_t size) {
    std::vector<std::remove_cvref_t<T>> batch;
    batch.reserve(size);
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        batch.push_back(claim<T>(*it));
        if (batch.size() == size) {
            co_yield batch;
            batch.clear();  // the consumer may have moved the batch away
            batch.reserve(size);
        }
    }
    if (!batch.empty()) co_yield batch;
}
}  // namespace detail

struct chunk_fn {
    template <class T>
    auto operator()(async_generator<T> source, std::size_t size) const {
        check(size);
        return detail::chunk_items(std::move(source), size);
    }
    auto operator()(std::size_t size) const {
        check(size);
        return detail::bound_adaptor<chunk_fn, std::size_t>(size);
    }

private:
    static void check(std::size_t size) {
        if (size == 0) throw usage_error("paged::chunk: the chunk size must be at least 1");
    }
};
inline constexpr chunk_fn chunk{};

}  // namespace paged
