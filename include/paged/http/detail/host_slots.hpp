#pragma once
// At most n requests in flight per origin, for client_options::max_requests_per_host. One loop, one thread (the
// client's); waiters are served first come, first served, and resumed by a zero-length timer on the loop rather than
// from inside the releasing coroutine (coroutine-hazards.md, row 9).

#include <paged/event_loop.hpp>
#include <paged/http/detail/linkage.hpp>

#include <algorithm>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <utility>

namespace paged::http::detail {

class host_slots {
public:
    class acquire_operation;

    // A slot held; released by the destructor (a cancelled walk frees its slot too).
    class permit {
    public:
        permit() noexcept = default;
        permit(host_slots* owner, std::string origin) noexcept : owner_(owner), origin_(std::move(origin)) {}
        permit(permit&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), origin_(std::move(other.origin_)) {}
        permit& operator=(permit&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
                origin_ = std::move(other.origin_);
            }
            return *this;
        }
        ~permit() { release(); }

    private:
        void release() noexcept {
            if (owner_ != nullptr) std::exchange(owner_, nullptr)->release(origin_);
        }
        host_slots* owner_ = nullptr;
        std::string origin_;
    };

    host_slots(event_loop& loop, std::size_t per_origin) noexcept : loop_(&loop), limit_(per_origin) {}
    host_slots(const host_slots&) = delete;
    host_slots& operator=(const host_slots&) = delete;

    // Awaitable: a permit for `origin` (at once when no limit is set).
    [[nodiscard]] acquire_operation acquire(std::string origin);

private:
    struct origin_state {
        std::size_t in_use = 0;
        std::deque<acquire_operation*> waiting;
    };

    void release(const std::string& origin) noexcept;

    event_loop* loop_;
    std::size_t limit_;  // 0: no limit
    std::map<std::string, origin_state> origins_;
};

class host_slots::acquire_operation : private paged::detail::timer_node {
public:
    acquire_operation(host_slots& owner, std::string origin) noexcept : owner_(&owner), origin_(std::move(origin)) {}
    acquire_operation(const acquire_operation&) = delete;
    acquire_operation& operator=(const acquire_operation&) = delete;
    // Destroyed while waiting: leave the queue; destroyed after being handed a slot but before resuming: pass it on.
    ~acquire_operation();

    bool await_ready();
    void await_suspend(std::coroutine_handle<> waiting);
    permit await_resume();

private:
    friend class host_slots;

    // The slot of a releasing request passes straight to this waiter; it resumes on the loop's next turn.
    void grant();

    host_slots* owner_;
    std::string origin_;
    bool granted_ = false;  // counted in in_use
    bool taken_ = false;    // owned by a permit now
};

inline host_slots::acquire_operation host_slots::acquire(std::string origin) {
    return acquire_operation(*this, std::move(origin));
}

}  // namespace paged::http::detail

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/host_slots.ipp>
#endif
