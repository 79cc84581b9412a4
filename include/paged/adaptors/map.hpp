#pragma once
// gen | paged::map(f): f(item) for each item, one at a time. f may return a paged::task<R> (a lookup per record, say),
// which is awaited before the next item is pulled. f may also return a reference (a member projection): the result
// is then an async_generator of that reference type and nothing is copied.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/detail/pipe.hpp>

#include <type_traits>
#include <utility>

namespace paged {

namespace detail {
template <class T, class F>
using mapped_t = await_call_result_t<F, typename async_generator<T>::reference>;

template <class T, class F>
async_generator<mapped_t<T, F>> map_items(async_generator<T> source, F f) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        // A named local, not a temporary inside the co_yield: g++ 12 destroys an aggregate temporary built in a
        // co_await/co_yield full-expression twice (GCC PR 107288, PR 100611; coroutine-hazards.md, row 2).
        decltype(auto) value = co_await await_call(f, *it);
        co_yield static_cast<decltype(value)&&>(value);
    }
}
}  // namespace detail

struct map_fn {
    template <class T, class F>
    auto operator()(async_generator<T> source, F&& f) const {
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::map_items(std::move(source), std::decay_t<F>(std::forward<F>(f)));
    }
    template <class F>
    auto operator()(F&& f) const {
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<map_fn, std::decay_t<F>>(std::forward<F>(f));
    }
};
inline constexpr map_fn map{};

}  // namespace paged
