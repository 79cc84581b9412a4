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
    if (!frame) throw std::logic_error("paged::sync_wait: empty task");
    {
        const event_loop::scope running(loop);
        frame.resume();
    }
    loop.run_until([frame] { return frame.done(); });
    return frame.promise().take_result();
}

// On a fresh loop with the real clock.
template <class T>
T sync_wait(task<T> work) {
    event_loop loop;
    return sync_wait(loop, std::move(work));
}

}  // namespace paged
