#pragma once
// A single-threaded event loop: it resumes coroutines when their timers are due or their I/O completes, and waits
// without spinning when there is nothing to do. Coroutines find the loop that runs them with event_loop::current().

#include <paged/clock.hpp>
#include <paged/error.hpp>

#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

namespace paged {

// The seam for a source of I/O completions (libcurl's multi interface plugs in here). One per loop.
class io_source {
public:
    virtual ~io_source() = default;
    // What a poll did.
    enum class polled {
        resumed,    // operations completed and their coroutines were resumed
        progressed, // I/O happened (or a wake()), nothing completed yet
        timed_out,  // the whole timeout passed without any I/O
    };

    // True while an operation is in flight, that is while the source may still resume a coroutine.
    virtual bool busy() const noexcept = 0;
    // Waits at most `timeout` (no limit when empty, not at all when zero) for I/O, then resumes the coroutines whose
    // operations completed. Must not resume a coroutine whose operation was cancelled. Only `timed_out` lets a manual
    // clock jump to the deadline: a poll cut short by I/O has not seen the time pass.
    virtual polled poll(std::optional<clock::duration> timeout) = 0;
    // Called from any thread: make a poll() in progress return soon (curl_multi_wakeup). Nothing to do by default.
    virtual void wake() noexcept {}
};

class event_loop;

namespace detail {

// A coroutine waiting for a deadline. Awaiters derive from it; the loop links it into its timer queue.
struct timer_node {
    std::coroutine_handle<> waiter;
    event_loop* loop = nullptr;  // set while armed
    std::multimap<clock::time_point, timer_node*>::iterator position;
};

// A coroutine that another thread (or a std::stop_callback) wants resumed on the loop's thread at its next turn.
struct posted_node {
    std::coroutine_handle<> waiter;
    bool posted = false;  // guarded by the loop's mutex
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
        const std::lock_guard lock(mutex_);
        if (io_ != nullptr && io_ != &source) {
            throw usage_error("paged::event_loop: this loop has an HTTP client already (one per loop): share that "
                              "client, or give the second one a loop of its own");
        }
        io_ = &source;
    }
    void detach(io_source& source) noexcept {
        const std::lock_guard lock(mutex_);
        if (io_ == &source) io_ = nullptr;
    }

    // Thread-safe: resume `node.waiter` on this loop's thread at its next turn, waking the loop if it waits. The only
    // member another thread may call; it is how a std::stop_callback reaches a walk. Posting twice is posting once.
    void post(detail::posted_node& node) noexcept {
        const std::lock_guard lock(mutex_);
        if (node.posted) return;
        node.posted = true;
        posted_.push_back(&node);
        if (io_ != nullptr) io_->wake();
        woken_.notify_one();
    }
    // Withdraws a post not yet run (its coroutine resumed some other way, or is being destroyed).
    void unpost(detail::posted_node& node) noexcept {
        const std::lock_guard lock(mutex_);
        if (!node.posted) return;
        node.posted = false;
        std::erase(posted_, &node);
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
            bool progressed = resume_posted(done) > 0;
            if (done()) return;
            progressed = fire_due_timers(done) > 0 || progressed;
            if (done()) return;
            if (io_ != nullptr && io_->busy()) {
                poll_io(progressed);
            } else if (!progressed) {
                wait_for_timer_or_post();
            }
        }
    }

    // Resumes every timer due now and returns how many it resumed; never waits. For tests that move a manual_clock.
    std::size_t run_due() {
        const scope running(*this);
        return resume_posted([] { return false; }) + fire_due_timers([] { return false; });
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

    // One post at a time, for the same reason as timers.
    template <class Done>
    std::size_t resume_posted(Done&& done) {
        std::size_t resumed = 0;
        for (;;) {
            std::unique_lock lock(mutex_);
            if (posted_.empty()) return resumed;
            detail::posted_node& node = *posted_.front();
            posted_.pop_front();
            node.posted = false;
            lock.unlock();
            ++resumed;
            node.waiter.resume();
            if (done()) return resumed;
        }
    }

    // Nothing due and no I/O: sleep until the next timer, unless another thread posts first. A clock that is not real
    // time (manual_clock) jumps instead of sleeping.
    void wait_for_timer_or_post() {
        std::unique_lock lock(mutex_);
        if (!posted_.empty()) return;
        if (timers_.empty()) {
            // A stop_token could still end the work, but never finish it: say so rather than wait for the token.
            throw usage_error("paged::event_loop: the awaited work can never finish: no timer and no I/O on this "
                              "loop (is the walk's client on another loop? pass that loop)");
        } else if (clock_->is_real_time()) {
            woken_.wait_until(lock, timers_.begin()->first, [this] { return !posted_.empty(); });
        } else {
            lock.unlock();
            clock_->wait_until(timers_.begin()->first);
        }
    }

    // Without a wait when timers just ran (they may have more to do), else until the next timer is due.
    void poll_io(bool timers_ran) {
        if (timers_ran) {
            io_->poll(clock::duration::zero());
        } else if (io_->poll(time_to_next_timer()) == io_source::polled::timed_out && !timers_.empty()) {
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
    // What other threads touch: posts, and the io_source they wake.
    std::mutex mutex_;
    std::condition_variable woken_;
    std::deque<detail::posted_node*> posted_;
};

}  // namespace paged
