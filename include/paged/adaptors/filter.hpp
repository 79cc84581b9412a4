#pragma once
// gen | paged::filter(pred): the items for which pred(item) is true. pred may return a paged::task<bool>, awaited
// one item at a time. Rejecting any number of items in a row does not grow the stack. A synchronous pred sees each
// item while the source is suspended at its co_yield (detail/fused_adaptor.hpp): no coroutine layer of its own.

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
async_generator<T> filter_items(async_generator<T> source, Pred pred) {
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        if (co_await await_call(pred, std::as_const(*it))) co_yield *it;
    }
}

template <class Pred>
class filter_stage : public stage_base {
public:
    explicit filter_stage(Pred pred) : pred_(std::move(pred)) {}
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        if (!std::invoke(pred_, std::as_const(item))) return offered::skipped;
        return out.offer(item);
    }

private:
    Pred pred_;
};
}  // namespace detail

struct filter_fn {
    template <detail::generator Source, class Pred>
    auto operator()(Source source, Pred&& pred) const {
        using T = detail::generator_item_t<Source>;
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        using predicate = std::decay_t<Pred>;
        if constexpr (detail::returns_task<predicate, const typename async_generator<T>::value_type&>) {
            return detail::filter_items(std::move(source), predicate(std::forward<Pred>(pred)));
        } else {
            return detail::fuse<T>(std::move(source), detail::filter_stage<predicate>(std::forward<Pred>(pred)));
        }
    }
    template <class Pred>
    auto operator()(Pred&& pred) const {
        static_assert(detail::callable_argument_is_safe<Pred&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<filter_fn, std::decay_t<Pred>>(std::forward<Pred>(pred));
    }
};
inline constexpr filter_fn filter{};

}  // namespace paged
