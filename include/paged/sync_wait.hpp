#pragma once
// paged::sync_wait(task): the bridge from ordinary code. Runs the task on an event loop until it completes and
// returns its result or rethrows its exception.

#include <paged/event_loop.hpp>
#include <paged/task.hpp>

#include <utility>

namespace paged {

// On `loop`, e.g. one with a manual_clock. Other coroutines already waiting on the loop run meanwhile.
template <class T>
T sync_wait(event_loop& loop, task<T> work) {
    const auto frame = detail::task_access::handle(work);
    if (!frame) throw usage_error("paged::sync_wait: the task is empty (moved from, or already awaited)");
    {
        const event_loop::scope running(loop);
        frame.resume();
    }
    loop.run_until([frame] { return frame.done(); });
    return frame.promise().take_result();
}

// On this thread's loop (event_loop::for_this_thread(), the one an http::client built without a loop uses).
template <class T>
T sync_wait(task<T> work) {
    return sync_wait(event_loop::for_this_thread(), std::move(work));
}

}  // namespace paged
