#pragma once
// A single-threaded event loop: it resumes coroutines when their timers are due or their I/O completes, and waits
// without spinning when there is nothing to do. Coroutines find the loop that runs them with event_loop::current().

#include <paged/clock.hpp>
#include <paged/error.hpp>

#include <coroutine>
#include <cstddef>
#include <map>
#include <optional>

namespace paged {

// The seam for a source of I/O completions (libcurl's multi interface plugs in here). One per loop.
class io_source {
public:
    virtual ~io_source() = default;
    // True while an operation is in flight, that is while the source may still resume a coroutine.
    virtual bool busy() const noexcept = 0;
    // Waits at most `timeout` (no limit when empty, not at all when zero) for I/O, then resumes the coroutines whose
    // operations completed and returns whether there were any. Must not resume a coroutine whose operation was
    // cancelled.
    virtual bool poll(std::optional<clock::duration> timeout) = 0;
};

class event_loop;

namespace detail {

// A coroutine waiting for a deadline. Awaiters derive from it; the loop links it into its timer queue.
struct timer_node {
    std::coroutine_handle<> waiter;
    event_loop* loop = nullptr;  // set while armed
    std::multimap<clock::time_point, timer_node*>::iterator position;
};

}  // namespace detail

class event_loop {
public:
    explicit event_loop(paged::clock& time = real_clock::instance()) noexcept : clock_(&time) {}
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;
    // Coroutines still waiting here must be destroyed before the loop; their timers are disowned so that doing it
    // afterwards is at least not a use-after-free of the loop.
    ~event_loop() {
        for (auto& entry : timers_) entry.second->loop = nullptr;
    }

    paged::clock& clock() const noexcept { return *clock_; }

    // The loop that is running on this thread, or nullptr outside of run_until()/run_due().
    static event_loop* current() noexcept { return current_slot(); }

    // This thread's own loop, on the real clock: what blocking(gen), sync_wait(task) and an http::client built without
    // a loop use, so that they meet without naming one. Lives until the thread ends.
    static event_loop& for_this_thread() {
        thread_local event_loop loop;
        return loop;
    }

    void attach(io_source& source) {
        if (io_ != nullptr && io_ != &source) {
            throw usage_error("paged::event_loop: this loop has an HTTP client already (one per loop): share that "
                              "client, or give the second one a loop of its own");
        }
        io_ = &source;
    }
    void detach(io_source& source) noexcept {
        if (io_ == &source) io_ = nullptr;
    }

    // Runs timers and I/O until done() holds. Waits (without spinning) when nothing is due. Throws usage_error when
    // nothing is left that could ever make done() true (no timer pending, no I/O in flight), and when called from a
    // coroutine this loop is running (sync_wait or blocking inside a coroutine: co_await instead).
    template <class Done>
    void run_until(Done done) {
        if (running_) {
            throw usage_error("paged::event_loop: run from inside a coroutine it is running (sync_wait or blocking "
                              "called in a coroutine?): co_await the task or the stream instead");
        }
        const scope running(*this);
        running_ = true;
        const reset_on_exit reset{running_};
        while (!done()) {
            const bool progressed = fire_due_timers(done) > 0;
            if (done()) return;
            if (io_ != nullptr && io_->busy()) {
                poll_io(progressed);
            } else if (!progressed) {
                if (timers_.empty())
                    throw usage_error("paged::event_loop: the awaited work can never finish: no timer and no I/O on "
                                      "this loop (is the walk's client on another loop? pass that loop)");
                clock_->wait_until(timers_.begin()->first);
            }
        }
    }

    // Resumes every timer due now and returns how many it resumed; never waits. For tests that move a manual_clock.
    std::size_t run_due() {
        const scope running(*this);
        return fire_due_timers([] { return false; });
    }

    // For awaiter authors: resume `node.waiter` at `deadline` unless disarmed first. Equal deadlines fire in the
    // order they were armed.
    void arm(detail::timer_node& node, clock::time_point deadline) {
        node.position = timers_.emplace(deadline, &node);
        node.loop = this;
    }
    void disarm(detail::timer_node& node) noexcept {
        if (node.loop != this) return;
        timers_.erase(node.position);
        node.loop = nullptr;
    }

    std::size_t pending_timers() const noexcept { return timers_.size(); }

    // Makes `loop` the current one for its lifetime, so that a coroutine started (resumed inline) from outside
    // run_until() finds it. Scopes nest.
    class scope {
    public:
        explicit scope(event_loop& loop) noexcept : previous_(current_slot()) { current_slot() = &loop; }
        ~scope() { current_slot() = previous_; }
        scope(const scope&) = delete;
        scope& operator=(const scope&) = delete;

    private:
        event_loop* previous_;
    };

private:
    struct reset_on_exit {
        bool& flag;
        ~reset_on_exit() { flag = false; }
    };

    static event_loop*& current_slot() noexcept {
        thread_local event_loop* running = nullptr;
        return running;
    }

    // One timer at a time: resuming a coroutine may disarm (destroy) other due timers, so the queue is re-read after
    // every resumption instead of being drained into a batch first.
    template <class Done>
    std::size_t fire_due_timers(Done&& done) {
        const auto now = clock_->now();
        std::size_t fired = 0;
        while (!timers_.empty() && timers_.begin()->first <= now) {
            detail::timer_node& node = *timers_.begin()->second;
            timers_.erase(timers_.begin());
            node.loop = nullptr;
            ++fired;
            node.waiter.resume();
            if (done()) break;
        }
        return fired;
    }

    // Without a wait when timers just ran (they may have more to do), else until the next timer is due.
    void poll_io(bool timers_ran) {
        if (timers_ran) {
            io_->poll(clock::duration::zero());
        } else if (!io_->poll(time_to_next_timer()) && !timers_.empty()) {
            clock_->io_wait_ended(timers_.begin()->first);
        }
    }

    std::optional<clock::duration> time_to_next_timer() const {
        if (timers_.empty()) return std::nullopt;
        const auto left = timers_.begin()->first - clock_->now();
        return left > clock::duration::zero() ? left : clock::duration::zero();
    }

    paged::clock* clock_;
    io_source* io_ = nullptr;
    bool running_ = false;  // inside run_until()
    std::multimap<clock::time_point, detail::timer_node*> timers_;
};

}  // namespace paged
