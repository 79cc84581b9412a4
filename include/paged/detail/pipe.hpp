#pragma once
// The `|` of the adaptors: `gen | closure` is closure(std::move(gen)), and `closure | closure` composes them into one
// closure to apply later. Our own machinery rather than <ranges>' (coroutine-hazards.md, row 8).

#include <paged/async_generator.hpp>
#include <paged/detail/dependent_false.hpp>

#include <concepts>
#include <type_traits>
#include <utility>

namespace paged::detail {

template <class Derived>
struct adaptor_closure {};

template <class C>
concept closure_object = std::derived_from<std::remove_cvref_t<C>, adaptor_closure<std::remove_cvref_t<C>>>;

// An adaptor with its arguments bound, waiting for the generator: Adaptor{}(std::move(gen), args...).
template <class Adaptor, class Arg>
class bound_adaptor : public adaptor_closure<bound_adaptor<Adaptor, Arg>> {
public:
    explicit bound_adaptor(Arg arg) noexcept(std::is_nothrow_move_constructible_v<Arg>) : arg_(std::move(arg)) {}

    // The argument is passed on as an lvalue (a copy, once per pipeline): as an rvalue, an owning callable would meet
    // the g++ 12 guard of detail/gcc12_temporaries.hpp although it is no temporary.
    template <generator Source>
    auto operator()(Source source) const {
        return Adaptor{}(std::move(source), arg_);
    }

private:
    Arg arg_;
};

template <class First, class Second>
class composed_closure : public adaptor_closure<composed_closure<First, Second>> {
public:
    composed_closure(First first, Second second) : first_(std::move(first)), second_(std::move(second)) {}

    template <generator Source>
    auto operator()(Source source) const& {
        return second_(first_(std::move(source)));
    }
    template <generator Source>
    auto operator()(Source source) && {
        return std::move(second_)(std::move(first_)(std::move(source)));
    }

private:
    First first_;
    Second second_;
};

// The generator is consumed: pass an rvalue (std::move an lvalue generator explicitly). Its own type is kept (not
// converted to async_generator<T>), so that fused adaptors merge (detail/fused_adaptor.hpp).
template <generator Source, closure_object Closure>
    requires(!std::is_reference_v<Source>)
auto operator|(Source&& source, Closure&& closure) {
    return std::forward<Closure>(closure)(std::move(source));
}

// A named generator: moving from it must be visible where it happens.
template <generator Source, closure_object Closure>
    requires std::is_lvalue_reference_v<Source>
void operator|(Source&&, Closure&&) {
    static_assert(dependent_false<Source>, "paged: `gen | adaptor` consumes the generator: write "
                                           "`std::move(gen) | adaptor` for a named one (it is not usable afterwards)");
}

template <closure_object First, closure_object Second>
auto operator|(First&& first, Second&& second) {
    return composed_closure<std::remove_cvref_t<First>, std::remove_cvref_t<Second>>(std::forward<First>(first),
                                                                                     std::forward<Second>(second));
}

}  // namespace paged::detail
