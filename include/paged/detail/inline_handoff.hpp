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
    // Lives in the consumer's awaiter and links it to the producer while the consumer is parked, so that whichever
    // of the two frames is destroyed first unlinks itself: a destroyed consumer is never resumed, and a consumer
    // never touches a destroyed producer.
    class parked_consumer {
    public:
        parked_consumer() noexcept = default;
        parked_consumer(const parked_consumer&) = delete;
        parked_consumer& operator=(const parked_consumer&) = delete;
        ~parked_consumer() {
            if (handoff_ != nullptr) handoff_->parked_ = nullptr;
        }

    private:
        friend class inline_handoff;
        inline_handoff* handoff_ = nullptr;
        std::coroutine_handle<> consumer_;
    };

    inline_handoff() noexcept = default;
    inline_handoff(const inline_handoff&) = delete;
    inline_handoff& operator=(const inline_handoff&) = delete;
    ~inline_handoff() {
        if (parked_ != nullptr) parked_->handoff_ = nullptr;
    }

    // From the consumer's await_suspend. Returns true when the consumer must stay suspended (the producer parked
    // on I/O and will resume the consumer itself), false when the producer already has its result.
    bool resume_producer(std::coroutine_handle<> consumer, std::coroutine_handle<> producer, parked_consumer& link) {
        running_inline_ = true;
        producer.resume();
        if (!running_inline_) return false;
        // The producer parked on I/O: only now does it need to know whom to resume when the loop wakes it.
        running_inline_ = false;
        link.consumer_ = consumer;
        link.handoff_ = this;
        parked_ = &link;
        return true;
    }

    // From the consumer's await_suspend, for a producer already started and now parked on I/O (an eager task): the
    // consumer waits without resuming it.
    void wait_for_parked_producer(std::coroutine_handle<> consumer, parked_consumer& link) noexcept {
        link.consumer_ = consumer;
        link.handoff_ = this;
        parked_ = &link;
    }

    // From the producer's yield or final awaiter: where control goes once the producer has its result.
    std::coroutine_handle<> producer_suspended() noexcept {
        if (running_inline_) {
            running_inline_ = false;
            return std::noop_coroutine();  // back into resume_producer(), which returns false
        }
        if (parked_ == nullptr) return std::noop_coroutine();  // nobody waits: the consumer was destroyed
        const auto consumer = parked_->consumer_;
        parked_->handoff_ = nullptr;
        parked_ = nullptr;
        return consumer;  // the single hop after I/O: the loop woke the producer, the consumer waits for it
    }

    // True while a consumer waits for a producer parked on I/O (used by drivers that are not coroutines).
    bool consumer_waiting() const noexcept { return parked_ != nullptr; }

private:
    parked_consumer* parked_ = nullptr;
    bool running_inline_ = false;
};

}  // namespace paged::detail
