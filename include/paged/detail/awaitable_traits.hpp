#pragma once
// What `co_await a` produces, for any awaitable: an awaiter itself, or a type with a member or free operator co_await.
// The page_fetcher and transport concepts use it to accept whatever a user's fetch()/send() returns.

#include <concepts>
#include <coroutine>
#include <utility>

namespace paged::detail {

template <class A>
concept has_member_co_await = requires(A&& a) { std::forward<A>(a).operator co_await(); };

template <class A>
concept has_free_co_await = requires(A&& a) { operator co_await(std::forward<A>(a)); };

template <class A>
decltype(auto) awaiter_of(A&& awaitable) {
    if constexpr (has_member_co_await<A>) {
        return std::forward<A>(awaitable).operator co_await();
    } else if constexpr (has_free_co_await<A>) {
        return operator co_await(std::forward<A>(awaitable));
    } else {
        return std::forward<A>(awaitable);
    }
}

template <class W>
concept awaiter = requires(W& w, std::coroutine_handle<> h) {
    { w.await_ready() } -> std::convertible_to<bool>;
    w.await_suspend(h);
    w.await_resume();
};

template <class A>
concept awaitable = awaiter<std::remove_reference_t<decltype(awaiter_of(std::declval<A>()))>>;

template <awaitable A>
using await_result_t = decltype(std::declval<decltype(awaiter_of(std::declval<A>()))&>().await_resume());

}  // namespace paged::detail
