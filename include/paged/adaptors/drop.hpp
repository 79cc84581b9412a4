#pragma once
// gen | paged::drop(n): every item after the first n.

#include <paged/async_generator.hpp>
#include <paged/detail/pipe.hpp>

#include <cstddef>
#include <utility>

namespace paged {

namespace detail {
template <class T>
async_generator<T> drop_items(async_generator<T> source, std::size_t count) {
    std::size_t seen = 0;
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        if (seen < count) {
            ++seen;
            continue;
        }
        co_yield *it;
    }
}
}  // namespace detail

struct drop_fn {
    template <class T>
    async_generator<T> operator()(async_generator<T> source, std::size_t count) const {
        return detail::drop_items(std::move(source), count);
    }
    auto operator()(std::size_t count) const { return detail::bound_adaptor<drop_fn, std::size_t>(count); }
};
inline constexpr drop_fn drop{};

}  // namespace paged
