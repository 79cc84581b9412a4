#pragma once
// co_await paged::collect(gen): every item in a std::vector. The eager baseline: prefer consuming the stream.

#include <paged/async_generator.hpp>
#include <paged/task.hpp>

#include <type_traits>
#include <vector>

namespace paged {

template <class T>
task<std::vector<std::remove_cvref_t<T>>> collect(async_generator<T> source) {
    std::vector<std::remove_cvref_t<T>> items;
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        items.push_back(detail::claim<T>(*it));
    }
    co_return items;
}

}  // namespace paged
