#pragma once
// The pages a walk has fetched ahead of its consumer (walk_options::prefetch): one producer coroutine fills it, the
// walk's generator empties it, both on the loop's thread. Each side parks when it cannot go on (the producer when
// `capacity` pages wait, the consumer when none does) and the other side wakes it through the loop, never inline:
// neither coroutine resumes the other from inside its own frame (coroutine-hazards.md, row 9), and no chain of
// resumptions nests however many pages pass.

#include <paged/event_loop.hpp>

#include <coroutine>
#include <cstddef>
#include <deque>
#include <exception>
#include <optional>
#include <utility>

namespace paged::detail {

template <class Page>
class read_ahead_buffer {
public:
    // On the running loop, which wakes each side (a walk with prefetch checks there is one).
    explicit read_ahead_buffer(std::size_t capacity) : loop_(event_loop::current()), capacity_(capacity) {}
    read_ahead_buffer(const read_ahead_buffer&) = delete;
    read_ahead_buffer& operator=(const read_ahead_buffer&) = delete;
    // A wake-up still queued on the loop must not resume a frame that is gone.
    ~read_ahead_buffer() {
        loop_->unpost(consumer_.wake_up);
        loop_->unpost(producer_.wake_up);
    }

    // --- the producer's side
    class room_awaiter {
    public:
        explicit room_awaiter(read_ahead_buffer& buffer) noexcept : buffer_(&buffer) {}
        bool await_ready() const noexcept { return buffer_->pages_.size() < buffer_->capacity_; }
        void await_suspend(std::coroutine_handle<> producer) noexcept { buffer_->park(buffer_->producer_, producer); }
        void await_resume() const noexcept {}

    private:
        read_ahead_buffer* buffer_;
    };
    // Resumes once fewer than `capacity` pages wait to be handed out.
    room_awaiter room() noexcept { return room_awaiter(*this); }

    void push(Page fetched) {
        pages_.push_back(std::move(fetched));
        wake(consumer_);
    }
    // No page will follow; `failure`, if any, reaches the consumer after the pages before it.
    void close(std::exception_ptr failure = nullptr) noexcept {
        closed_ = true;
        failure_ = std::move(failure);
        wake(consumer_);
    }

    // --- the consumer's side
    class page_awaiter {
    public:
        explicit page_awaiter(read_ahead_buffer& buffer) noexcept : buffer_(&buffer) {}
        bool await_ready() const noexcept { return !buffer_->pages_.empty() || buffer_->closed_; }
        void await_suspend(std::coroutine_handle<> consumer) noexcept { buffer_->park(buffer_->consumer_, consumer); }
        // The next page, or nothing once the producer has closed the buffer (then its failure, if any, is thrown).
        std::optional<Page> await_resume() { return buffer_->take(); }

    private:
        read_ahead_buffer* buffer_;
    };
    page_awaiter next_page() noexcept { return page_awaiter(*this); }

private:
    std::optional<Page> take() {
        if (pages_.empty()) {
            if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
            return std::nullopt;
        }
        std::optional<Page> front(std::move(pages_.front()));
        pages_.pop_front();
        wake(producer_);
        return front;
    }

    struct side {
        posted_node wake_up;
        bool parked = false;
    };

    static void park(side& waiting, std::coroutine_handle<> handle) noexcept {
        waiting.wake_up.waiter = handle;
        waiting.parked = true;
    }

    // Only a parked side is woken, and once.
    void wake(side& waiting) noexcept {
        if (!waiting.parked) return;
        waiting.parked = false;
        loop_->post(waiting.wake_up);
    }

    event_loop* loop_;
    std::size_t capacity_;
    std::deque<Page> pages_;
    bool closed_ = false;
    std::exception_ptr failure_;
    side consumer_;
    side producer_;
};

}  // namespace paged::detail
