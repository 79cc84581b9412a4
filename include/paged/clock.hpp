#pragma once
// The time source of an event_loop. Injectable so that code built on timers (backoff, Retry-After, rate limits)
// is tested exactly and instantly: a manual_clock only moves when a test advances it, or when the loop has nothing
// left to do but wait for its next timer (virtual time).

#include <chrono>
#include <thread>

namespace paged {

class clock {
public:
    using duration = std::chrono::steady_clock::duration;
    using time_point = std::chrono::steady_clock::time_point;

    virtual ~clock() = default;
    virtual time_point now() const noexcept = 0;
    // Called by the loop when nothing can happen before `deadline`: wait for it, costing no CPU.
    virtual void wait_until(time_point deadline) = 0;
    // Called by the loop when it polled I/O with a timeout that ends at `deadline` and nothing completed. Time that
    // moves by itself needs nothing here (the loop polls again if the wait ended early); a manual clock, which did not
    // move while the I/O was polled, jumps to the deadline.
    virtual void io_wait_ended(time_point deadline) { (void)deadline; }
    // True for std::chrono::steady_clock time: the loop then sleeps on its own condition variable until the deadline,
    // so that another thread can wake it (a stop_token), instead of calling wait_until.
    virtual bool is_real_time() const noexcept { return false; }
};

// std::chrono::steady_clock. Waiting blocks the thread (no polling).
class real_clock final : public clock {
public:
    time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
    void wait_until(time_point deadline) override { std::this_thread::sleep_until(deadline); }
    bool is_real_time() const noexcept override { return true; }

    static real_clock& instance() noexcept {
        static real_clock shared;  // stateless, so one for every loop and thread
        return shared;
    }
};

// Time that moves only when told to. Waiting for a deadline jumps straight to it.
class manual_clock final : public clock {
public:
    explicit manual_clock(time_point start = time_point{}) noexcept : now_(start) {}

    time_point now() const noexcept override { return now_; }
    void wait_until(time_point deadline) override {
        if (deadline > now_) now_ = deadline;
    }
    void io_wait_ended(time_point deadline) override { wait_until(deadline); }
    void advance(duration by) noexcept { now_ += by; }

private:
    time_point now_;
};

}  // namespace paged
