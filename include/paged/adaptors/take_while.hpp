#pragma once
// gen | paged::take_while(pred): items up to, not including, the first for which pred is false (that one is pulled
// to be tested, and nothing after it). pred may return a paged::task<bool>.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/fused_adaptor.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/detail/pipe.hpp>

#include <functional>
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

template <class Pred>
class take_while_stage : public stage_base {
public:
    explicit take_while_stage(Pred pred) : pred_(std::move(pred)) {}
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        if (!std::invoke(pred_, std::as_const(item))) return offered::ended;
        return out.offer(item);
    }

private:
    Pred pred_;
};
}  // namespace detail

struct take_while_fn {
    template <detail::generator Source, class Pred>
    auto operator()(Source source, Pred&& pred) const {
        using T = detail::generator_item_t<Source>;
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        using predicate = std::decay_t<Pred>;
        if constexpr (detail::returns_task<predicate, const typename async_generator<T>::value_type&>) {
            return detail::take_items_while(std::move(source), predicate(std::forward<Pred>(pred)));
        } else {
            return detail::fuse<T>(std::move(source), detail::take_while_stage<predicate>(std::forward<Pred>(pred)));
        }
    }
    template <class Pred>
    auto operator()(Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<take_while_fn, std::decay_t<Pred>>(std::forward<Pred>(pred));
    }
};
inline constexpr take_while_fn take_while{};

}  // namespace paged
