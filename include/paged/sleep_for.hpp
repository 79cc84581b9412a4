#pragma once
// co_await paged::sleep_for(d) suspends the calling coroutine on the running event_loop's clock; other coroutines go
// on meanwhile. Destroying the coroutine while it sleeps cancels the timer.

#include <paged/error.hpp>
#include <paged/event_loop.hpp>

#include <coroutine>
#include <string>

namespace paged {

class sleep_operation : private detail::timer_node {
public:
    sleep_operation(event_loop& loop, clock::time_point deadline) noexcept : loop_(&loop), deadline_(deadline) {}
    sleep_operation(const sleep_operation&) = delete;
    sleep_operation& operator=(const sleep_operation&) = delete;
    // The coroutine was destroyed while asleep: the loop must never resume it (shared/coroutine-hazards.md, row 3).
    ~sleep_operation() {
        if (timer_node::loop != nullptr) timer_node::loop->disarm(*this);
    }

    bool await_ready() const noexcept { return deadline_ <= loop_->clock().now(); }
    void await_suspend(std::coroutine_handle<> waiting) {
        waiter = waiting;
        loop_->arm(*this, deadline_);
    }
    void await_resume() const noexcept {}

private:
    event_loop* loop_;
    clock::time_point deadline_;
};

namespace detail {
inline event_loop& running_loop(const char* who) {
    event_loop* loop = event_loop::current();
    if (loop == nullptr) {
        throw usage_error(std::string(who) + ": no paged::event_loop is running on this thread: run the coroutine "
                                             "with paged::sync_wait or paged::blocking");
    }
    return *loop;
}
}  // namespace detail

[[nodiscard]] inline sleep_operation sleep_until(clock::time_point deadline) {
    return sleep_operation(detail::running_loop("paged::sleep_until"), deadline);
}

[[nodiscard]] inline sleep_operation sleep_for(clock::duration duration) {
    event_loop& loop = detail::running_loop("paged::sleep_for");
    return sleep_operation(loop, loop.clock().now() + duration);
}

}  // namespace paged
