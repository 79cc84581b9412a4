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
    //
    // consumer_ is null unless the consumer parked or the producer failed; handoff_ means something only while
    // consumer_ is set. So the item path stores one null, in the constructor, and after the resume loads it once for
    // the awaiter's error check (must_check_error) and the destructor's. (Storing the null after the resume instead
    // lets g++ drop the check, but the store and the load back to back after the return measured 0.25 ns per item
    // slower on both compilers.)
    class parked_consumer {
    public:
        parked_consumer() noexcept : consumer_(nullptr) {}  // handoff_ is left alone (see above)
        parked_consumer(const parked_consumer&) = delete;
        parked_consumer& operator=(const parked_consumer&) = delete;
        ~parked_consumer() {
            if (consumer_ != nullptr && handoff_ != nullptr) handoff_->parked_ = nullptr;
        }

        // True when the await has to look for the producer's error: the consumer was parked, or the producer
        // failed. False after an inline item or end.
        bool must_check_error() const noexcept { return consumer_ != nullptr; }

    private:
        friend class inline_handoff;
        inline_handoff* handoff_;  // no initialiser (see above)
        void* consumer_;  // the parked consumer's frame (coroutine_handle<>::address())
    };

    inline_handoff() noexcept = default;
    inline_handoff(const inline_handoff&) = delete;
    inline_handoff& operator=(const inline_handoff&) = delete;
    ~inline_handoff() {
        if (parked_ != nullptr) parked_->handoff_ = nullptr;
    }

    // From the consumer's await_suspend. Returns true when the consumer must stay suspended (the producer parked
    // on I/O and will resume the consumer itself), false when the producer already has its result. `link` is fresh
    // (one per await).
    bool resume_producer(std::coroutine_handle<> consumer, std::coroutine_handle<> producer, parked_consumer& link) {
        if (run_inline(producer)) [[likely]] return false;  // an item or the end came back inline: the item path
        return park_or_report_failure(consumer, link);
    }

    // The first half of resume_producer, for a caller that keeps the consumer and its link elsewhere: true when the
    // producer came back inline with an item or its end. Otherwise call park_or_report_failure next.
    bool run_inline(std::coroutine_handle<> producer) {
        state_ = running_inline;
        producer.resume();
        return state_ == 0;
    }

    // The second half: the producer parked on I/O (true: the consumer stays suspended) or failed (false).
    [[gnu::noinline]] bool park_or_report_failure(std::coroutine_handle<> consumer, parked_consumer& link) noexcept {
        link.consumer_ = consumer.address();
        if ((state_ & running_inline) == 0) {  // it failed: the consumer's await_resume rethrows
            link.handoff_ = nullptr;
            return false;
        }
        // The producer parked on I/O: only now does it need to know whom to resume when the loop wakes it.
        state_ = 0;
        link.handoff_ = this;
        parked_ = &link;
        return true;
    }

    // From the consumer's await_suspend, for a producer already started and now parked on I/O (an eager task): the
    // consumer waits without resuming it.
    void wait_for_parked_producer(std::coroutine_handle<> consumer, parked_consumer& link) noexcept {
        link.consumer_ = consumer.address();
        link.handoff_ = this;
        parked_ = &link;
    }

    // The stream ended (or failed) outside the producer's body, in an adaptor: the consumer's await looks for an error.
    static void report_end(std::coroutine_handle<> consumer, parked_consumer& link) noexcept {
        link.consumer_ = consumer.address();
        link.handoff_ = nullptr;
    }

    // For an await that finds the producer already finished, without resuming it: it may have failed while nobody
    // waited (its consumer destroyed while parked), and then the error is this await's.
    static void look_for_error(parked_consumer& link) noexcept {
        link.consumer_ = &link;  // any non-null address: must_check_error() holds
        link.handoff_ = nullptr;
    }

    // Whom the producer wakes once it has its result, in place of the parked consumer (detail/item_sink.hpp's relay).
    static void wake_instead(parked_consumer& link, std::coroutine_handle<> waiter) noexcept {
        link.consumer_ = waiter.address();
    }

    // From the producer's promise, when its body failed (before its final suspend): the consumer's await takes the
    // slow path and looks for the error. Optional: a consumer that always looks (task) does not need it.
    void mark_failed() noexcept { state_ = static_cast<unsigned char>(state_ | failed); }

    // From the producer's yield or final awaiter: where control goes once the producer has its result.
    std::coroutine_handle<> producer_suspended() noexcept {
        if (state_ == running_inline) [[likely]] {
            state_ = 0;
            return std::noop_coroutine();  // back into resume_producer(): the item path
        }
        if ((state_ & running_inline) != 0) {  // running inline, and failed
            state_ = failed;
            return std::noop_coroutine();  // back into resume_producer(), which reports the failure
        }
        if (parked_ == nullptr) return std::noop_coroutine();  // nobody waits: the consumer was destroyed
        const auto consumer = std::coroutine_handle<>::from_address(parked_->consumer_);
        parked_->handoff_ = nullptr;
        parked_ = nullptr;
        return consumer;  // the single hop after I/O: the loop woke the producer, the consumer waits for it
    }

    // True while a consumer waits for a producer parked on I/O (used by drivers that are not coroutines).
    bool consumer_waiting() const noexcept { return parked_ != nullptr; }

private:
    static constexpr unsigned char running_inline = 1;  // a consumer is inside resume_producer()
    static constexpr unsigned char failed = 2;          // the producer's body failed (mark_failed)

    parked_consumer* parked_ = nullptr;
    unsigned char state_ = 0;
};

}  // namespace paged::detail
