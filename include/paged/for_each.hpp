#pragma once
// co_await paged::for_each(gen, f): f(item) for every item, in order. f may return a paged::task, awaited before the
// next item is pulled.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/task.hpp>

namespace paged {

template <class T, class F>
task<void> for_each(async_generator<T> source, F f) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        co_await detail::await_call(f, *it);
    }
}

}  // namespace paged
