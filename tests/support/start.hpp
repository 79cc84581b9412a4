#pragma once
// Starts a task on a loop without waiting for it, so a test can look at (or destroy) it while it is suspended.

#include <paged/event_loop.hpp>
#include <paged/task.hpp>

namespace paged_test {

template <class T>
void start(paged::event_loop& loop, paged::task<T>& work) {
    const paged::event_loop::scope running(loop);
    paged::detail::task_access::handle(work).resume();
}

}  // namespace paged_test
