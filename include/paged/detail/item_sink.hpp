#pragma once
// How a synchronous adaptor (filter, map, take, drop, take_while) runs without a coroutine layer of its own.
//
// A coroutine layer per adaptor costs a resume and a hand-back per item per layer: `filter | map | take` was 3.7x the
// bare generator. Instead an adaptor becomes the sink of the generator it adapts (async_generator_promise::set_sink),
// and the producer offers each item to it from inside its co_yield, before suspending. The sink decides: skip the item
// (the producer goes on without suspending, so rejecting any number of items in a row costs no stack), hand it on to
// the next sink or to the consumer (the producer suspends as it always does), or end the stream. The consumer of the
// outermost adaptor resumes the innermost producer directly (fused_chain): a pipeline costs one resume per item, and
// adaptors written in one expression are merged into one sink (detail/fused_adaptor.hpp).
//
// Each adaptor still gives an async_generator<T> (a fused_generator, derived from it): its coroutine frame owns the
// adaptor's state and the generator it adapts, and runs only once, when the stream ends, to take over the source's
// exception or its end. What an adaptor's callable throws is caught at the producer's co_yield and becomes the
// stream's failure: it never unwinds into the producer's body.

#include <paged/detail/inline_handoff.hpp>

#include <coroutine>

namespace paged::detail {

enum class offered {
    skipped,   // not for the consumer: the producer goes on without suspending
    accepted,  // handed to the consumer: the producer suspends
    ended,     // the stream ends before the item handed to the consumer next: the producer suspends for the last time
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

// Shared by every adaptor fused onto one producer: whom the outermost consumer resumes, and whether an adaptor (take)
// has asked to end the stream before the next item is pulled.
class fused_chain {
public:
    fused_chain(std::coroutine_handle<> producer, inline_handoff& handoff, end_listener& first) noexcept
        : producer_(producer), handoff_(&handoff), first_(&first) {}
    fused_chain(const fused_chain&) = delete;
    fused_chain& operator=(const fused_chain&) = delete;

    // As inline_handoff::resume_producer: true when the consumer stays suspended until the producer wakes it.
    bool advance(std::coroutine_handle<> consumer, inline_handoff::parked_consumer& link) {
        if (end_requested_) {
            first_->source_ended();  // ends every adaptor in turn, the consumer's last
            return false;
        }
        return handoff_->resume_producer(consumer, producer_, link);
    }

    // After the item being handed out, the stream ends: the producer is not resumed again.
    void end_after_this() noexcept { end_requested_ = true; }

    bool consumer_waiting() const noexcept { return handoff_->consumer_waiting(); }

private:
    std::coroutine_handle<> producer_;
    inline_handoff* handoff_;
    end_listener* first_;
    bool end_requested_ = false;
};

}  // namespace paged::detail
