#pragma once
// gen | paged::map(f): f(item) for each item, one at a time. f may return a paged::task<R> (a lookup per record, say),
// which is awaited before the next item is pulled. f may also return a reference (a member projection): the result
// is then an async_generator of that reference type and nothing is copied. A synchronous f sees each
// item while the source is suspended at its co_yield (detail/fused_adaptor.hpp): no coroutine layer of its own.

#include <paged/async_generator.hpp>
#include <paged/detail/await_call.hpp>
#include <paged/detail/fused_adaptor.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/detail/pipe.hpp>

#include <functional>
#include <optional>
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

// A mapped value lives in the stage until the next item replaces it; a mapped reference is handed on as it is.
template <class In, class F>
class map_stage : public stage_base {
public:
    using result = mapped_t<In, F>;

    explicit map_stage(F f) : f_(std::move(f)) {}
    // The current value stays where it is: the consumer may still hold it (fused_layer's `retired`).
    map_stage(map_stage&& other) : f_(std::move(other.f_)) {}
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        using in_reference = typename async_generator<In>::reference;
        if constexpr (std::is_reference_v<result>) {
            auto&& mapped = std::invoke(f_, static_cast<in_reference>(item));
            return out.offer(mapped);
        } else {
            current_.emplace(std::invoke(f_, static_cast<in_reference>(item)));
            return out.offer(*current_);
        }
    }

private:
    struct nothing_kept {};
    F f_;
    [[no_unique_address]] std::conditional_t<std::is_reference_v<result>, nothing_kept, std::optional<result>> current_;
};
}  // namespace detail

struct map_fn {
    template <detail::generator Source, class F>
    auto operator()(Source source, F&& f) const {
        using T = detail::generator_item_t<Source>;
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        using function = std::decay_t<F>;
        if constexpr (detail::returns_task<function, typename async_generator<T>::reference>) {
            return detail::map_items(std::move(source), function(std::forward<F>(f)));
        } else {
            return detail::fuse<detail::mapped_t<T, function>>(std::move(source),
                                                               detail::map_stage<T, function>(std::forward<F>(f)));
        }
    }
    template <class F>
    auto operator()(F&& f) const {
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return detail::bound_adaptor<map_fn, std::decay_t<F>>(std::forward<F>(f));
    }
};
inline constexpr map_fn map{};

}  // namespace paged
