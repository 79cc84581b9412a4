#pragma once
// gen | paged::filter(pred): the items for which pred(item) is true. pred may return a paged::task<bool>, awaited
// one item at a time. Rejecting any number of items in a row does not grow the stack.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/detail/pipe.hpp>

#include <type_traits>
#include <utility>

namespace paged {

namespace detail {
template <class T, class Pred>
async_generator<T> filter_items(async_generator<T> source, Pred pred) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        if (co_await await_call(pred, std::as_const(*it))) co_yield *it;
    }
}
}  // namespace detail

struct filter_fn {
    template <class T, class Pred>
    async_generator<T> operator()(async_generator<T> source, Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::filter_items(std::move(source), std::decay_t<Pred>(std::forward<Pred>(pred)));
    }
    template <class Pred>
    auto operator()(Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<filter_fn, std::decay_t<Pred>>(std::forward<Pred>(pred));
    }
};
inline constexpr filter_fn filter{};

}  // namespace paged
