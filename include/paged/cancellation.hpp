#pragma once
// Ending work from outside: a std::stop_token, a deadline, or both.
//
//     std::stop_source stop;  // stop.request_stop() from any thread (not from inside a signal handler: it locks)
//     auto response = co_await paged::cancellable(client.send(request(url)),
//                                                 paged::cancellation().token(stop.get_token()).timeout(5s));
//     auto records = paged::paginate(api, paged::walk_options().stop_token(stop.get_token()).timeout(10min));
//
// The work is raced against the token and the deadline on the running event_loop: whichever comes first wins, within
// one turn of the loop. When the token or the deadline wins, the work's coroutine frame is destroyed on the loop's
// thread (its transfer cancelled, its timers disarmed, every destructor run) and `paged::cancelled` or
// `paged::deadline_exceeded` is thrown. Work that has finished wins over a deadline that passed meanwhile.

#include <paged/clock.hpp>
#include <paged/error.hpp>
#include <paged/event_loop.hpp>
#include <paged/sleep_for.hpp>
#include <paged/task.hpp>

#include <coroutine>
#include <optional>
#include <stop_token>
#include <utility>

namespace paged {

// The stop_token was triggered.
class cancelled : public error {
public:
    cancelled() : error("paged: cancelled (its std::stop_token was triggered)") {}
};

// The deadline (or timeout) passed first.
class deadline_exceeded : public error {
public:
    deadline_exceeded() : error("paged: the deadline passed before the work finished") {}
};

// When to give up. Built with setters (detail/gcc12_temporaries.hpp): paged::cancellation().token(t).timeout(5s).
class cancellation {
public:
    cancellation() noexcept {}

    cancellation& token(std::stop_token stop) & {
        token_ = std::move(stop);
        return *this;
    }
    cancellation&& token(std::stop_token stop) && { return std::move(token(std::move(stop))); }
    const std::stop_token& token() const noexcept { return token_; }

    // A point on the event loop's clock.
    cancellation& deadline(clock::time_point at) & {
        deadline_ = at;
        return *this;
    }
    cancellation&& deadline(clock::time_point at) && { return std::move(deadline(at)); }
    // Counted from when the work is first awaited; the earlier of deadline and timeout applies.
    cancellation& timeout(clock::duration limit) & {
        timeout_ = limit;
        return *this;
    }
    cancellation&& timeout(clock::duration limit) && { return std::move(timeout(limit)); }

    // The deadline that applies from `now` on, if any.
    std::optional<clock::time_point> deadline_from(clock::time_point now) const noexcept {
        std::optional<clock::time_point> at = deadline_;
        if (timeout_ && (!at || now + *timeout_ < *at)) at = now + *timeout_;
        return at;
    }

    bool empty() const noexcept { return !token_.stop_possible() && !deadline_ && !timeout_; }

    // Throws cancelled or deadline_exceeded if either has come: for checks between awaits.
    void check(clock::time_point now) const {
        if (token_.stop_requested()) throw cancelled();
        const auto at = deadline_from(now);
        if (at && now >= *at) throw deadline_exceeded();
    }

private:
    std::stop_token token_;
    std::optional<clock::time_point> deadline_;
    std::optional<clock::duration> timeout_;
};

template <class T>
class cancellable_operation : private detail::timer_node, private detail::posted_node {
public:
    cancellable_operation(task<T> work, cancellation when)
        : work_(std::move(work)), inner_(std::move(work_).operator co_await()), when_(std::move(when)) {}
    cancellable_operation(const cancellable_operation&) = delete;
    cancellable_operation& operator=(const cancellable_operation&) = delete;
    // The awaiting coroutine was destroyed while the work ran: nothing may resume it (coroutine-hazards.md, row 3).
    ~cancellable_operation() { stop_watching(); }

    bool await_ready() {
        if (when_.empty()) return inner_.await_ready();
        loop_ = &detail::running_loop("paged::cancellable");  // before the work starts, not after
        deadline_ = when_.deadline_from(loop_->clock().now());
        if (when_.token().stop_requested() || (deadline_ && loop_->clock().now() >= *deadline_)) {
            return true;  // not started at all
        }
        return inner_.await_ready();
    }

    bool await_suspend(std::coroutine_handle<> waiting) {
        if (!inner_.await_suspend(waiting)) return false;  // finished without waiting for anything
        if (when_.empty()) return true;
        timer_node::waiter = waiting;
        posted_node::waiter = waiting;
        if (deadline_) loop_->arm(*this, *deadline_);
        if (when_.token().stop_possible()) callback_.emplace(when_.token(), poster{this});
        return true;
    }

    T await_resume() {
        stop_watching();
        if (work_.is_ready()) return inner_.await_resume();  // finished work wins over a deadline passed meanwhile
        work_ = task<T>();  // destroys the unfinished work: its transfer and timers go with it
        if (when_.token().stop_requested()) throw cancelled();
        throw deadline_exceeded();
    }

private:
    struct poster {
        cancellable_operation* self;
        void operator()() const noexcept { self->loop_->post(*self); }
    };

    void stop_watching() noexcept {
        callback_.reset();  // waits for a callback running on another thread: it cannot post afterwards
        if (loop_ == nullptr) return;
        loop_->disarm(*this);
        loop_->unpost(*this);
    }

    task<T> work_;
    typename task<T>::awaiter inner_;
    cancellation when_;
    event_loop* loop_ = nullptr;
    std::optional<clock::time_point> deadline_;
    std::optional<std::stop_callback<poster>> callback_;
};

// Awaitable: the result of `work`, unless `when` comes first (see the top of this file).
template <class T>
[[nodiscard]] cancellable_operation<T> cancellable(task<T> work, cancellation when) {
    return cancellable_operation<T>(std::move(work), std::move(when));
}

}  // namespace paged
