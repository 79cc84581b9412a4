#pragma once
// How a synchronous adaptor (filter, map, take, drop, take_while) runs without a coroutine layer of its own.
//
// A coroutine layer per adaptor costs a resume and a hand-back per item per layer: `filter | map | take` was 3.7x the
// bare generator. Instead the consumer of the outermost adaptor resumes the innermost producer directly
// (fused_chain::advance), and once the producer has suspended at its co_yield, offers the item to the adaptors, merged
// into one sink when they were written in one expression (detail/fused_adaptor.hpp). The sink decides: skip the item
// (the chain resumes the producer again, in a loop: rejecting any number of items in a row costs no stack), hand it
// on to the consumer, or end the stream. A generator without adaptors pays nothing for this: its co_yield neither
// tests nor calls anything, and only the consumer of an adaptor runs the chain's loop.
//
// When the producer waits on I/O the consumer is parked, and the producer, woken by the loop, hands its next item to
// the chain's relay instead of the consumer: a small coroutine that runs the same loop and then hands control on to
// the consumer. A producer never offers items itself, so a throwing callable never unwinds into its body.
//
// Each adaptor still gives an async_generator<T> (a fused_generator, derived from it): its coroutine frame owns the
// adaptor's state and the generator it adapts, and runs only once, when the stream ends, to take over the source's
// exception or its end.

#include <paged/detail/inline_handoff.hpp>

#include <coroutine>
#include <exception>
#include <utility>

namespace paged::detail {

enum class offered {
    skipped,   // not for the consumer: the chain resumes the producer for its next item
    accepted,  // handed to the consumer
    ended,     // the stream ends before the item handed to the consumer next: the producer is not resumed again
};

// Told when the generator it is installed on has ended (its body returned or threw, or a sink ended the stream).
class end_listener {
public:
    virtual void source_ended() noexcept = 0;

protected:
    end_listener() noexcept = default;
    end_listener(const end_listener&) = delete;
    end_listener& operator=(const end_listener&) = delete;
    ~end_listener() = default;
};

// The chain's relay: a coroutine that stands in for a parked consumer (see fused_chain::advance).
class relay_frame {
public:
    class promise_type {
    public:
        relay_frame get_return_object() noexcept {
            return relay_frame(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        std::suspend_always final_suspend() const noexcept { return {}; }
        [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }  // its awaiter is noexcept
        void return_void() const noexcept {}
    };

    relay_frame(relay_frame&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    relay_frame& operator=(relay_frame&&) = delete;
    ~relay_frame() {
        if (handle_) handle_.destroy();
    }
    std::coroutine_handle<> handle() const noexcept { return handle_; }

private:
    explicit relay_frame(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
    std::coroutine_handle<promise_type> handle_;
};

// Shared by every adaptor fused onto one producer: whom the outermost consumer resumes, the first adaptor, which is
// offered each item, and whether an adaptor (take) has asked to end the stream before the next item is pulled.
class fused_chain {
public:
    // `First::offer_current()` offers the item at the producer's co_yield to the adaptors (noexcept: what a callable
    // throws is already the stream's failure there). The relay's frame is made here, with the pipeline: were it made
    // when first needed, a failed allocation would lose the item the producer then yields.
    template <class Promise, class First>
    fused_chain(std::coroutine_handle<Promise> producer, First& first)
        : producer_(producer), handoff_(&producer.promise().handoff), first_(&first),
          offer_([](end_listener* first) noexcept { return static_cast<First*>(first)->offer_current(); }),
          relay_(run_relay(*this)) {}
    fused_chain(const fused_chain&) = delete;
    fused_chain& operator=(const fused_chain&) = delete;

    // As inline_handoff::resume_producer: true when the consumer stays suspended until the producer wakes it. Out of
    // line: the consumer of a generator without adaptors then keeps its registers for its own loop.
    [[gnu::noinline]] bool advance(std::coroutine_handle<> consumer, inline_handoff::parked_consumer& link) {
        if (end_requested_) {
            first_->source_ended();  // ends every adaptor in turn, the consumer's last
            return false;
        }
        consumer_ = consumer;
        link_ = &link;
        if (!pull(consumer, false)) return false;
        // The producer parked on I/O, holding the consumer's link: the relay is to wake instead, and pulls the items
        // after it the same way before it hands control to the consumer.
        inline_handoff::wake_instead(link, relay_.handle());
        return true;
    }

    // After the item being handed out, the stream ends: the producer is not resumed again.
    void end_after_this() noexcept { end_requested_ = true; }

    bool consumer_waiting() const noexcept { return handoff_->consumer_waiting(); }

private:
    // Resumes the producer inline and offers its items to the adaptors until one is for the consumer or the stream
    // ends (false), or the producer parks on I/O with `waiter` to wake (true). Skipped items cost a resume each, never
    // a stack frame. `item_waiting`: the producer has already yielded an item not yet offered.
    bool pull(std::coroutine_handle<> waiter, bool item_waiting) {
        for (;; item_waiting = false) {
            if (!item_waiting && !handoff_->run_inline(producer_) && handoff_->park_or_report_failure(waiter, *link_)) {
                return true;
            }
            if (producer_.done()) return false;  // its final awaiter has already ended the adaptors
            const offered verdict = offer_(first_);
            if (verdict == offered::skipped) continue;
            // The consumer's await looks for an error when the stream ended here.
            if (verdict == offered::ended) inline_handoff::report_end(consumer_, *link_);
            return false;
        }
    }

    // The relay's step, each time the producer wakes it with an item or its end: pull until the consumer is to have
    // control, then hand it over; or the producer parks again, and the relay waits with it.
    class relay_operation {
    public:
        explicit relay_operation(fused_chain& chain) noexcept : chain_(&chain) {}
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> relay) noexcept {
            if (chain_->pull(relay, true)) return std::noop_coroutine();
            return chain_->consumer_;
        }
        void await_resume() const noexcept {}

    private:
        fused_chain* chain_;
    };

    static relay_frame run_relay(fused_chain& chain) {
        for (;;) co_await relay_operation(chain);
    }

    std::coroutine_handle<> producer_;
    inline_handoff* handoff_;
    end_listener* first_;
    offered (*offer_)(end_listener*) noexcept;
    bool end_requested_ = false;
    std::coroutine_handle<> consumer_;                 // the consumer of the last advance()
    inline_handoff::parked_consumer* link_ = nullptr;  // its awaiter's link
    relay_frame relay_;
};

}  // namespace paged::detail
