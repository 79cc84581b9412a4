#pragma once
// co_await await_call(f, args...): calls f; when f returns a paged::task, the task is awaited, otherwise the result
// is ready at once (the awaiter never suspends). This lets every adaptor accept plain and asynchronous callables.

#include <paged/task.hpp>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace paged::detail {

template <class R>
class ready_result {
public:
    template <class F, class... Args>
    explicit ready_result(F& f, Args&&... args) : value_(std::invoke(f, std::forward<Args>(args)...)) {}
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    R await_resume() { return std::move(value_); }

private:
    R value_;
};

template <class R>
class ready_result<R&> {
public:
    template <class F, class... Args>
    explicit ready_result(F& f, Args&&... args)
        : value_(std::addressof(std::invoke(f, std::forward<Args>(args)...))) {}
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    R& await_resume() const noexcept { return *value_; }

private:
    R* value_;
};

template <>
class ready_result<void> {
public:
    template <class F, class... Args>
    explicit ready_result(F& f, Args&&... args) {
        std::invoke(f, std::forward<Args>(args)...);
    }
    bool await_ready() const noexcept { return true; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
};

template <class F, class... Args>
auto await_call(F& f, Args&&... args) {
    using result = std::invoke_result_t<F&, Args&&...>;
    if constexpr (is_task_v<result>) {
        return std::invoke(f, std::forward<Args>(args)...);
    } else {
        return ready_result<result>(f, std::forward<Args>(args)...);
    }
}

template <class R>
struct awaited {
    using type = R;
};
template <class R>
struct awaited<task<R>> {
    using type = R;
};

// What `co_await await_call(f, args...)` produces.
template <class F, class... Args>
using await_call_result_t = typename awaited<std::invoke_result_t<F&, Args&&...>>::type;

}  // namespace paged::detail
