#pragma once
// gen | paged::take(n): the first n items. It stops right after the n-th: the n+1-th is never pulled, and take(0)
// pulls nothing. No coroutine layer of its own (detail/fused_adaptor.hpp).

#include <paged/async_generator.hpp>
#include <paged/detail/fused_adaptor.hpp>
#include <paged/detail/pipe.hpp>

#include <cstddef>
#include <utility>

namespace paged {

namespace detail {
class take_stage {
public:
    explicit take_stage(std::size_t count) noexcept : left_(count) {}
    template <class Output>
    void start(Output& out) noexcept {
        if (left_ == 0) out.end_after_this();
    }
    // The n-th item ends the stream whatever the adaptors after this one make of it.
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        const offered verdict = out.offer(item);
        if (--left_ != 0 || verdict == offered::ended) return verdict;
        if (verdict == offered::skipped) return offered::ended;
        out.end_after_this();
        return verdict;
    }

private:
    std::size_t left_;
};
}  // namespace detail

struct take_fn {
    template <detail::generator Source>
    auto operator()(Source source, std::size_t count) const {
        return detail::fuse<detail::generator_item_t<Source>>(std::move(source), detail::take_stage(count));
    }
    auto operator()(std::size_t count) const { return detail::bound_adaptor<take_fn, std::size_t>(count); }
};
inline constexpr take_fn take{};

}  // namespace paged
