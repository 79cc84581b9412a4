#pragma once
// co_await paged::when_all(a, b, ...) runs tasks concurrently on the current loop and resumes when all have
// finished; it returns their results (std::monostate for task<void>) in argument order. When any task threw, the
// first such exception (in argument order) is rethrown after all of them have finished.

#include <paged/task.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace paged {

namespace detail {

// Counts the children still running, plus one held by the parent while it starts them.
class when_all_latch {
public:
    explicit when_all_latch(std::size_t children) noexcept : remaining_(children + 1) {}

    // The last child to finish resumes the parent, with one symmetric transfer.
    std::coroutine_handle<> child_finished() noexcept {
        return --remaining_ == 0 ? parent_ : std::noop_coroutine();
    }
    void set_parent(std::coroutine_handle<> parent) noexcept { parent_ = parent; }
    // The parent's own count: true when every child has already finished.
    bool release_start() noexcept { return --remaining_ == 0; }

private:
    std::size_t remaining_;
    std::coroutine_handle<> parent_ = std::noop_coroutine();
};

// The coroutine that awaits one child task and reports to the latch.
class when_all_runner {
public:
    class promise_type {
    public:
        when_all_runner get_return_object() noexcept {
            return when_all_runner(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct final_awaiter {
            final_awaiter() noexcept = default;
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> self) noexcept {
                return self.promise().latch->child_finished();
            }
            void await_resume() const noexcept {}
        };
        final_awaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() const noexcept { std::terminate(); }  // the body catches everything

        when_all_latch* latch = nullptr;
    };

    when_all_runner(when_all_runner&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    when_all_runner(const when_all_runner&) = delete;
    when_all_runner& operator=(const when_all_runner&) = delete;
    ~when_all_runner() {
        if (handle_) handle_.destroy();
    }

    void start(when_all_latch& latch) {
        handle_.promise().latch = &latch;
        handle_.resume();
    }

private:
    explicit when_all_runner(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
    std::coroutine_handle<promise_type> handle_;
};

// What one child left behind.
template <class T>
struct when_all_slot {
    when_all_slot() noexcept = default;
    using value_type = std::conditional_t<std::is_void_v<T>, std::monostate,
                                          std::conditional_t<std::is_reference_v<T>,
                                                             std::reference_wrapper<std::remove_reference_t<T>>, T>>;
    std::optional<value_type> value;
    std::exception_ptr error;

    decltype(auto) take() {
        if constexpr (std::is_reference_v<T>) {
            return value->get();
        } else {
            return std::move(*value);
        }
    }
};

template <class T>
when_all_runner run_child(task<T>& child, when_all_slot<T>& slot) {
    try {
        if constexpr (std::is_void_v<T>) {
            co_await child;
            slot.value.emplace();
        } else {
            decltype(auto) result = co_await child;
            slot.value.emplace(static_cast<decltype(result)&&>(result));
        }
    } catch (...) {
        slot.error = std::current_exception();
    }
}

class when_all_operation {
public:
    when_all_operation(std::vector<when_all_runner>& runners, when_all_latch& latch) noexcept
        : runners_(&runners), latch_(&latch) {}
    bool await_ready() const noexcept { return runners_->empty(); }
    bool await_suspend(std::coroutine_handle<> parent) {
        latch_->set_parent(parent);
        for (auto& runner : *runners_) runner.start(*latch_);
        return !latch_->release_start();
    }
    void await_resume() const noexcept {}

private:
    std::vector<when_all_runner>* runners_;
    when_all_latch* latch_;
};

template <class T>
void rethrow_if_failed(const when_all_slot<T>& slot) {
    if (slot.error) std::rethrow_exception(slot.error);
}

template <class T>
using when_all_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

}  // namespace detail

template <class... Ts>
task<std::tuple<detail::when_all_value_t<Ts>...>> when_all(task<Ts>... children) {
    std::tuple<detail::when_all_slot<Ts>...> slots;
    detail::when_all_latch latch(sizeof...(Ts));
    std::vector<detail::when_all_runner> runners;
    runners.reserve(sizeof...(Ts));
    std::apply([&](auto&... slot) { (runners.push_back(detail::run_child(children, slot)), ...); }, slots);
    co_await detail::when_all_operation(runners, latch);
    std::apply([](const auto&... slot) { (detail::rethrow_if_failed(slot), ...); }, slots);
    co_return std::apply(
        [](auto&... slot) { return std::tuple<detail::when_all_value_t<Ts>...>(slot.take()...); }, slots);
}

// A run-time number of tasks of one type; results in the same order.
template <class T>
    requires(!std::is_reference_v<T>)
task<std::vector<detail::when_all_value_t<T>>> when_all(std::vector<task<T>> children) {
    std::vector<detail::when_all_slot<T>> slots(children.size());
    detail::when_all_latch latch(children.size());
    std::vector<detail::when_all_runner> runners;
    runners.reserve(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) runners.push_back(detail::run_child(children[i], slots[i]));
    co_await detail::when_all_operation(runners, latch);
    for (const auto& slot : slots) detail::rethrow_if_failed(slot);
    std::vector<detail::when_all_value_t<T>> results;
    results.reserve(slots.size());
    for (auto& slot : slots) results.push_back(slot.take());
    co_return results;
}

}  // namespace paged
