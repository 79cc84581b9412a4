#pragma once
// gen | paged::take(n): the first n items. It stops right after the n-th: the n+1-th is never pulled, and take(0)
// pulls nothing.

#include <paged/async_generator.hpp>
#include <paged/detail/pipe.hpp>

#include <cstddef>
#include <utility>

namespace paged {

namespace detail {
template <class T>
async_generator<T> take_items(async_generator<T> source, std::size_t count) {
    if (count == 0) co_return;
    std::size_t taken = 0;
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        co_yield *it;
        if (++taken == count) co_return;
    }
}
}  // namespace detail

struct take_fn {
    template <class T>
    async_generator<T> operator()(async_generator<T> source, std::size_t count) const {
        return detail::take_items(std::move(source), count);
    }
    auto operator()(std::size_t count) const { return detail::bound_adaptor<take_fn, std::size_t>(count); }
};
inline constexpr take_fn take{};

}  // namespace paged
