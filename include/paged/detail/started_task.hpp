#pragma once
// A task started now and awaited later: the fetches a walk sends out ahead of time (walk_options::concurrency). The
// task runs until it parks on I/O; the loop drives it from there; awaiting it gives its result, at once if it has
// finished. Destroying it first destroys the task's frame, which cancels what it waits for (a transfer, a timer).

#include <paged/detail/inline_handoff.hpp>
#include <paged/task.hpp>

#include <coroutine>
#include <utility>

namespace paged::detail {

template <class T>
class started_task {
public:
    explicit started_task(task<T> work) : work_(std::move(work)) {
        if (const auto handle = task_access::handle(work_)) handle.resume();
    }

    class awaiter {
    public:
        explicit awaiter(task<T>& work) noexcept : work_(&work) {}
        bool await_ready() const noexcept { return work_->is_ready(); }
        void await_suspend(std::coroutine_handle<> waiting) noexcept {
            task_access::handle(*work_).promise().handoff.wait_for_parked_producer(waiting, parked_);
        }
        T await_resume() { return task_access::handle(*work_).promise().take_result(); }

    private:
        task<T>* work_;
        inline_handoff::parked_consumer parked_;
    };
    awaiter operator co_await() noexcept { return awaiter(work_); }

private:
    task<T> work_;
};

}  // namespace paged::detail
