#pragma once
// paged::blocking(gen): a std::ranges::input_range over an async_generator for code that is not a coroutine.
//
//     for (auto&& record : paged::blocking(records())) ...
//
// Each step runs an event loop until the generator has its next item: the one given, or this thread's
// (event_loop::for_this_thread(), which an http::client built without a loop uses too). Leaving the loop early
// destroys the range and with it the generator (every local destructor runs, pending timers are cancelled).

#include <paged/async_generator.hpp>
#include <paged/event_loop.hpp>

#include <cstddef>
#include <iterator>
#include <utility>

namespace paged {

template <class T>
class blocking_range {
public:
    using reference = typename async_generator<T>::reference;
    using value_type = typename async_generator<T>::value_type;

    blocking_range(async_generator<T> source, event_loop& loop) noexcept : loop_(&loop), source_(std::move(source)) {}

    class iterator {
    public:
        using iterator_concept = std::input_iterator_tag;
        using value_type = blocking_range::value_type;
        using reference = blocking_range::reference;
        using difference_type = std::ptrdiff_t;

        iterator() noexcept = default;
        explicit iterator(blocking_range& range) noexcept : range_(&range) {}

        reference operator*() const noexcept { return range_->producer().promise().value(); }
        iterator& operator++() {
            range_->advance();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.at_end(); }

    private:
        bool at_end() const noexcept {
            const auto producer = range_->producer();
            return !producer || producer.done();
        }
        blocking_range* range_ = nullptr;
    };

    // Starts the generator and runs it to its first item: call once.
    iterator begin() {
        advance();
        return iterator(*this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    auto producer() const noexcept { return detail::generator_access::handle(source_); }

    void advance() {
        const auto frame = producer();
        if (!frame || frame.done()) return;
        auto& promise = frame.promise();
        detail::inline_handoff::parked_consumer link;
        bool parked = false;
        {
            const event_loop::scope running(*loop_);
            parked = promise.resume(std::noop_coroutine(), frame, link);
        }
        if (parked) loop_->run_until([&promise] { return !promise.consumer_waiting(); });
        frame.promise().rethrow_if_failed();
    }

    event_loop* loop_;
    async_generator<T> source_;
};

template <class T>
blocking_range<T> blocking(async_generator<T> source) {
    return blocking_range<T>(std::move(source), event_loop::for_this_thread());
}

template <class T>
blocking_range<T> blocking(async_generator<T> source, event_loop& loop) {
    return blocking_range<T>(std::move(source), loop);
}

}  // namespace paged
