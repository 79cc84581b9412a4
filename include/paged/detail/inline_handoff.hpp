#pragma once
// The hand-off between a coroutine that waits (the consumer) and the coroutine it waits for (the producer),
// shared by task<T> and async_generator<T>.
//
// Why not plain symmetric transfer: on g++ 12 a returned handle is a real tail call only when sibling-call
// optimisation is on, so at -O0/-O1 and under ASan a long run of synchronous hand-offs grows the stack until it
// overflows (shared/coroutine-hazards.md, row 1; libcoro #273, YACLib PR #222). Instead the consumer resumes the
// producer inline, from a bool await_suspend, and does not suspend at all when the producer comes back with a result.
// Only when the producer parks on real I/O (a timer, a transfer) does the consumer stay suspended; the producer then
// hands control back with one symmetric transfer when the loop wakes it. No chain of synchronous hand-offs ever
// nests, whatever the compiler does with tail calls.

#include <coroutine>

namespace paged::detail {

class inline_handoff {
public:
    // From the consumer's await_suspend. Returns true when the consumer must stay suspended (the producer parked
    // on I/O and will resume the consumer itself), false when the producer already has its result.
    bool resume_producer(std::coroutine_handle<> consumer, std::coroutine_handle<> producer) {
        state_ = state::producer_running_inline;
        producer.resume();
        if (state_ == state::producer_running_inline) {
            // Only now can the producer need to know whom to resume: it will get there from the event loop.
            consumer_ = consumer;
            state_ = state::consumer_parked;
            return true;
        }
        return false;
    }

    // From the producer's yield or final awaiter: where control goes once the producer has its result.
    std::coroutine_handle<> producer_suspended() noexcept {
        if (state_ == state::producer_running_inline) {
            state_ = state::result_ready;
            return std::noop_coroutine();  // back into resume_producer(), which returns false
        }
        state_ = state::result_ready;
        return consumer_;  // the single hop after I/O: the loop woke the producer, the consumer waits for it
    }

    // True while the consumer waits for a producer parked on I/O (used by drivers that are not coroutines).
    bool consumer_waiting() const noexcept { return state_ == state::consumer_parked; }

private:
    enum class state : unsigned char { result_ready, producer_running_inline, consumer_parked };
    std::coroutine_handle<> consumer_ = std::noop_coroutine();
    state state_ = state::result_ready;
};

}  // namespace paged::detail
