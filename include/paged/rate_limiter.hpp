#pragma once
// paged::rate_limiter: one request budget for every walk that spends the same account's quota. APIs limit per account
// or token, not per connection, so walks that each paced themselves at the limit would together go over it; they
// share one limiter and take a token before each request:
//
//     auto limiter = std::make_shared<paged::rate_limiter>(10.0, 5);  // 10 a second, up to 5 at once after a pause
//     paged::task<void> export_orders(paged::rate_limiter& limiter, api& client) {
//         for (int page = 0; page < client.page_count(); ++page) {
//             co_await limiter.acquire();  // suspends only this coroutine; the others on its loop go on meanwhile
//             co_await client.fetch_page(page);
//         }
//     }
//
// Threads that each run their own event_loop may share one limiter (a std::shared_ptr that outlives all of them): the
// budget is kept under a mutex, and each waiter waits on a timer of its own loop.
//
// The algorithm is GCRA, a token bucket that hands out reservations: acquire() takes the next free slot at once and
// then only waits for it. Hence, over any window of length L there are at most burst + L * per_second grants, a queue
// of waiters is served one each 1/per_second with no idle gap, and waiters are served in the order they asked.
// Grants may be late (a busy loop, a preempted thread) but never early.

#include <paged/clock.hpp>
#include <paged/error.hpp>
#include <paged/event_loop.hpp>
#include <paged/request_budget.hpp>
#include <paged/sleep_for.hpp>  // detail::running_loop
#include <paged/task.hpp>

#include <algorithm>
#include <cmath>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace paged {

class rate_limiter : public request_budget {
public:
    class acquire_operation;

    // `per_second` tokens a second (finite, > 0), `burst` (>= 1) of them at once when the bucket is full. Time is read
    // from `time`; the loops that wait on the limiter should run on the same clock (one manual_clock in tests).
    explicit rate_limiter(double per_second, std::size_t burst = 1, paged::clock& time = real_clock::instance())
        : interval_(checked_interval(per_second, burst)),
          tolerance_(interval_ * static_cast<clock::duration::rep>(burst - 1)),
          per_second_(per_second),
          burst_(burst),
          clock_(&time) {}
    rate_limiter(const rate_limiter&) = delete;
    rate_limiter& operator=(const rate_limiter&) = delete;

    // co_await it before each request: resumes the awaiting coroutine when its token is granted, at once when one is
    // available. Throws usage_error outside a running event_loop. The limiter must outlive the operation.
    [[nodiscard]] acquire_operation acquire();

    // The same as a task, for a client that holds any request_budget (client_options().limiter(...)).
    task<void> take() override;

    double per_second() const noexcept { return per_second_; }
    std::size_t burst() const noexcept { return burst_; }

private:
    struct reservation {
        clock::time_point slot;
        clock::time_point now;
        std::uint64_t ticket;
    };

    reservation reserve() {
        const std::lock_guard lock(mutex_);
        const auto now = clock_->now();
        // An idle bucket refills up to `burst`, not beyond: the schedule never starts earlier than now.
        const auto start = std::max(tat_, now);
        tat_ = start + interval_;
        return reservation{std::max(now, start - tolerance_), now, ++tickets_};
    }

    // Only the newest reservation can be returned: a later one was placed after it, and moving that one earlier
    // would break FIFO for the waiters in between. An older cancelled slot is therefore lost (one token's worth).
    void give_back(std::uint64_t ticket) noexcept {
        const std::lock_guard lock(mutex_);
        if (ticket != tickets_) return;
        // The holder was waiting, so its reservation started at the old tat_ (not at now): this restores it exactly.
        tat_ -= interval_;
        --tickets_;
    }

    // Whole nanoseconds, rounded up: the limiter may be a hair slower than asked, never faster.
    static clock::duration checked_interval(double per_second, std::size_t burst) {
        if (!std::isfinite(per_second) || !(per_second > 0)) {
            throw usage_error("paged::rate_limiter: per_second must be a finite number above 0 (tokens per second)");
        }
        if (burst < 1) throw usage_error("paged::rate_limiter: burst must be at least 1 (tokens granted at once)");
        const double nanoseconds = std::max(1.0, std::ceil(1e9 / per_second));
        // Keeps burst * interval far from overflowing a time_point.
        if (nanoseconds * static_cast<double>(burst) > 1e18) {
            throw usage_error("paged::rate_limiter: burst / per_second must be under 1e9 seconds (about 31 years)");
        }
        return clock::duration(static_cast<clock::duration::rep>(nanoseconds));
    }

    const clock::duration interval_;   // one token's worth of time
    const clock::duration tolerance_;  // (burst - 1) tokens' worth: how far ahead of tat_ a grant may be
    const double per_second_;
    const std::size_t burst_;
    paged::clock* const clock_;
    std::mutex mutex_;
    clock::time_point tat_ = clock::time_point::min();  // when the bucket would be full again; long ago: full
    std::uint64_t tickets_ = 0;                         // reservations made and not given back
};

// A user-declared constructor and destructor, returned by value (../shared/coroutine-hazards.md, rows 3 and 6).
class rate_limiter::acquire_operation : private detail::timer_node {
public:
    acquire_operation(rate_limiter& limiter, event_loop& loop) noexcept : limiter_(&limiter), loop_(&loop) {}
    acquire_operation(const acquire_operation&) = delete;
    acquire_operation& operator=(const acquire_operation&) = delete;
    // Destroyed while waiting (its coroutine was destroyed): the loop must never resume it, and its reservation goes
    // back if nobody reserved after it, so that a cancelled waiter leaves no gap in the schedule.
    ~acquire_operation() {
        if (timer_node::loop == nullptr) return;  // granted, or never awaited
        timer_node::loop->disarm(*this);
        limiter_->give_back(ticket_);
    }

    // The reservation is made here, not in acquire(), so that an operation that is never awaited costs no token.
    bool await_ready() {
        const reservation taken = limiter_->reserve();
        ticket_ = taken.ticket;
        slot_ = taken.slot;
        delay_ = taken.slot - taken.now;
        return delay_ <= clock::duration::zero();
    }
    void await_suspend(std::coroutine_handle<> waiting) {
        waiter = waiting;
        // On the limiter's clock the slot itself, so waiters on one loop wake in reservation order; on another clock
        // the same delay from now.
        const auto deadline = &loop_->clock() == limiter_->clock_ ? slot_ : loop_->clock().now() + delay_;
        try {
            loop_->arm(*this, deadline);
        } catch (...) {
            limiter_->give_back(ticket_);
            throw;
        }
    }
    void await_resume() const noexcept {}

private:
    rate_limiter* limiter_;
    event_loop* loop_;
    clock::time_point slot_{};
    clock::duration delay_{};
    std::uint64_t ticket_ = 0;
};

inline rate_limiter::acquire_operation rate_limiter::acquire() {
    return acquire_operation(*this, detail::running_loop("paged::rate_limiter::acquire"));
}

inline task<void> rate_limiter::take() {
    co_await acquire();
}

}  // namespace paged
