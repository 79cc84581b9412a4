#pragma once
// gen | paged::drop(n): every item after the first n. No coroutine layer of its own (detail/fused_adaptor.hpp).

#include <paged/async_generator.hpp>
#include <paged/detail/fused_adaptor.hpp>
#include <paged/detail/pipe.hpp>

#include <cstddef>
#include <utility>

namespace paged {

namespace detail {
class drop_stage : public stage_base {
public:
    explicit drop_stage(std::size_t count) noexcept : left_(count) {}
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        if (left_ != 0) {
            --left_;
            return offered::skipped;
        }
        return out.offer(item);
    }

private:
    std::size_t left_;
};
}  // namespace detail

struct drop_fn {
    template <detail::generator Source>
    auto operator()(Source source, std::size_t count) const {
        return detail::fuse<detail::generator_item_t<Source>>(std::move(source), detail::drop_stage(count));
    }
    auto operator()(std::size_t count) const { return detail::bound_adaptor<drop_fn, std::size_t>(count); }
};
inline constexpr drop_fn drop{};

}  // namespace paged
