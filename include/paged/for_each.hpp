#pragma once
// co_await paged::for_each(gen, f): f(item) for every item, in order. f may return a paged::task, awaited before the
// next item is pulled.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/task.hpp>

#include <type_traits>
#include <utility>

namespace paged {

namespace detail {
template <class T, class F>
task<void> for_each_item(async_generator<T> source, F f) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        co_await detail::await_call(f, *it);
    }
}
}  // namespace detail

template <class T, class F>
task<void> for_each(async_generator<T> source, F&& f) {
    static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
    return detail::for_each_item(std::move(source), std::decay_t<F>(std::forward<F>(f)));
}

}  // namespace paged
