#pragma once
// paged::task<T>: a lazy coroutine that produces one T (or void, or a reference). Nothing runs until it is awaited;
// its exception is rethrown from the co_await. The awaiting coroutine resumes it inline and continues without
// suspending when it completes synchronously (stack-safe on every compiler, see detail/inline_handoff.hpp); after
// real I/O it resumes the awaiter with one symmetric transfer.

#include <paged/detail/inline_handoff.hpp>
#include <paged/error.hpp>

#include <concepts>
#include <coroutine>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>

namespace paged {

template <class T = void>
class task;

namespace detail {

struct task_final_awaiter {
    task_final_awaiter() noexcept = default;  // user-declared: never an aggregate (coroutine-hazards.md, row 3)
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
        return self.promise().handoff.producer_suspended();
    }
    void await_resume() const noexcept {}
};

class task_promise_base {
public:
    std::suspend_always initial_suspend() const noexcept { return {}; }
    task_final_awaiter final_suspend() const noexcept { return {}; }

    inline_handoff handoff;
};

template <class T>
class task_promise final : public task_promise_base {
public:
    task<T> get_return_object() noexcept;
    void unhandled_exception() noexcept { result_.template emplace<2>(std::current_exception()); }

    template <class U = T>
        requires std::convertible_to<U&&, T>
    void return_value(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        result_.template emplace<1>(std::forward<U>(value));
    }

    T take_result() {
        if (result_.index() == 2) std::rethrow_exception(std::get<2>(result_));
        return std::move(std::get<1>(result_));
    }

private:
    std::variant<std::monostate, T, std::exception_ptr> result_;
};

template <class T>
class task_promise<T&> final : public task_promise_base {
public:
    task<T&> get_return_object() noexcept;
    void unhandled_exception() noexcept { error_ = std::current_exception(); }
    void return_value(T& value) noexcept { value_ = std::addressof(value); }
    void return_value(std::remove_const_t<T>&&) = delete;  // task<const X&> must not return a dying temporary

    T& take_result() {
        if (error_) std::rethrow_exception(error_);
        return *value_;
    }

private:
    T* value_ = nullptr;
    std::exception_ptr error_;
};

template <>
class task_promise<void> final : public task_promise_base {
public:
    task<void> get_return_object() noexcept;
    void unhandled_exception() noexcept { error_ = std::current_exception(); }
    void return_void() const noexcept {}

    void take_result() {
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::exception_ptr error_;
};

// For drivers that are not coroutines (sync_wait, when_all): the frame behind a task.
struct task_access {
    template <class T>
    static std::coroutine_handle<task_promise<T>> handle(const task<T>& t) noexcept {
        return t.handle_;
    }
};

}  // namespace detail

template <class T>
class [[nodiscard("a paged::task is lazy: nothing runs until it is co_awaited or passed to paged::sync_wait")]] task {
public:
    using promise_type = detail::task_promise<T>;
    using value_type = T;

    task() noexcept = default;
    task(task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    ~task() { destroy(); }

    // Awaiting runs the task to completion and returns its result (moved out: await a task once).
    class awaiter {
    public:
        explicit awaiter(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
        bool await_ready() const noexcept { return !handle_ || handle_.done(); }
        bool await_suspend(std::coroutine_handle<> awaiting) {
            return handle_.promise().handoff.resume_producer(awaiting, handle_, parked_);
        }
        T await_resume() {
            if (!handle_) throw usage_error("paged::task: awaiting an empty task (moved from, or awaited already)");
            return handle_.promise().take_result();
        }

    private:
        std::coroutine_handle<promise_type> handle_;
        detail::inline_handoff::parked_consumer parked_;
    };

    awaiter operator co_await() & noexcept { return awaiter(handle_); }
    awaiter operator co_await() && noexcept { return awaiter(handle_); }

    bool is_ready() const noexcept { return !handle_ || handle_.done(); }

private:
    friend promise_type;
    friend struct detail::task_access;
    explicit task(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}

    void destroy() noexcept {
        if (handle_) std::exchange(handle_, nullptr).destroy();
    }

    std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
    return task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}
template <class T>
task<T&> task_promise<T&>::get_return_object() noexcept {
    return task<T&>(std::coroutine_handle<task_promise>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
    return task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}

template <class>
inline constexpr bool is_task_v = false;
template <class T>
inline constexpr bool is_task_v<task<T>> = true;

}  // namespace detail

}  // namespace paged
