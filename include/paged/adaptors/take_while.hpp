#pragma once
// gen | paged::take_while(pred): items up to, not including, the first for which pred is false (that one is pulled
// to be tested, and nothing after it). pred may return a paged::task<bool>.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/detail/pipe.hpp>

#include <type_traits>
#include <utility>

namespace paged {

namespace detail {
template <class T, class Pred>
async_generator<T> take_items_while(async_generator<T> source, Pred pred) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        if (!co_await await_call(pred, std::as_const(*it))) co_return;
        co_yield *it;
    }
}
}  // namespace detail

struct take_while_fn {
    template <class T, class Pred>
    async_generator<T> operator()(async_generator<T> source, Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::take_items_while(std::move(source), std::decay_t<Pred>(std::forward<Pred>(pred)));
    }
    template <class Pred>
    auto operator()(Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<take_while_fn, std::decay_t<Pred>>(std::forward<Pred>(pred));
    }
};
inline constexpr take_while_fn take_while{};

}  // namespace paged
