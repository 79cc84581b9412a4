// Ending work from outside: stop_token and deadline, for a single task (paged::cancellable) and for whole walks.

#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/cancellation.hpp>
#include <paged/collect.hpp>
#include <paged/event_loop.hpp>
#include <paged/paginate.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>
#include <paged/when_all.hpp>

#include "support/memory_source.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using paged::task;
using time_point = paged::clock::time_point;

namespace {

struct counted {
    int* destroyed;
    ~counted() { ++*destroyed; }
};

// Sleeps, then answers 7; notes its own destruction.
task<int> slow_answer(paged::clock::duration delay, int& destroyed) {
    const counted guard{&destroyed};
    co_await paged::sleep_for(delay);
    co_return 7;
}

task<int> answer_within(paged::clock::duration delay, int& destroyed, paged::cancellation when) {
    co_return co_await paged::cancellable(slow_answer(delay, destroyed), std::move(when));
}

task<void> stop_after(paged::clock::duration delay, std::stop_source& source) {
    co_await paged::sleep_for(delay);
    source.request_stop();
}

}  // namespace

TEST_CASE("a deadline ends the work at that instant, destroying its frame and its timer", "[cancellation]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    int destroyed = 0;
    CHECK_THROWS_AS(paged::sync_wait(loop, answer_within(10s, destroyed, paged::cancellation().timeout(1500ms))),
                    paged::deadline_exceeded);
    CHECK(clock.now() == time_point(1500ms));
    CHECK(destroyed == 1);
    CHECK(loop.pending_timers() == 0);

    CHECK_THROWS_AS(paged::sync_wait(loop, answer_within(10s, destroyed, paged::cancellation().deadline(time_point(2s)))),
                    paged::deadline_exceeded);
    CHECK(clock.now() == time_point(2s));
}

TEST_CASE("work that finishes first wins, and leaves no timer behind", "[cancellation]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    int destroyed = 0;
    std::stop_source never;
    CHECK(paged::sync_wait(loop, answer_within(1s, destroyed, paged::cancellation().timeout(5s).token(never.get_token()))) ==
          7);
    CHECK(clock.now() == time_point(1s));
    CHECK(loop.pending_timers() == 0);
    // Nothing to race: the work runs as it is.
    CHECK(paged::sync_wait(loop, answer_within(1s, destroyed, paged::cancellation())) == 7);
    CHECK(destroyed == 2);
}

TEST_CASE("a stop_token triggered by another coroutine on the loop cancels at once", "[cancellation]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    int destroyed = 0;
    std::stop_source stop;
    auto both = paged::when_all(answer_within(1h, destroyed, paged::cancellation().token(stop.get_token())),
                                stop_after(250ms, stop));
    CHECK_THROWS_AS(paged::sync_wait(loop, std::move(both)), paged::cancelled);
    CHECK(clock.now() == time_point(250ms));
    CHECK(destroyed == 1);
    CHECK(loop.pending_timers() == 0);

    // Already stopped: the work never starts.
    int never_started = 0;
    CHECK_THROWS_AS(paged::sync_wait(loop, answer_within(1s, never_started, paged::cancellation().token(stop.get_token()))),
                    paged::cancelled);
    CHECK(never_started == 0);  // its body never ran
}

TEST_CASE("a stop requested from another thread wakes a loop asleep on the real clock", "[cancellation]") {
    paged::event_loop loop;  // real clock: the loop sleeps until the work's one-hour timer
    int destroyed = 0;
    std::stop_source stop;
    std::promise<void> registered;
    std::thread stopper([&, waiting = registered.get_future()]() mutable {
        waiting.wait();
        stop.request_stop();
    });
    const auto work = [&]() -> task<int> {
        // The 60 s deadline only keeps a broken wake-up from hanging the suite: it would fail as deadline_exceeded.
        co_return co_await paged::cancellable(slow_answer(1h, destroyed),
                                              paged::cancellation().token(stop.get_token()).timeout(60s));
    };
    // Runs once the work above has parked on its timer and registered its stop_callback (when_all starts it first);
    // the loop then sleeps towards the one-hour timer until the other thread's stop wakes it.
    const auto signal = [&]() -> task<void> {
        co_await paged::sleep_for(1ms);
        registered.set_value();
    };
    CHECK_THROWS_AS(paged::sync_wait(loop, paged::when_all(work(), signal())), paged::cancelled);
    stopper.join();
    CHECK(destroyed == 1);
    CHECK(loop.pending_timers() == 0);
}

TEST_CASE("a walk's stop_token ends it at the consumer's next pull and during a fetch", "[cancellation][paginate]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    const auto rows = paged_test::iota_rows(200);
    int fetches = 0;
    paged_test::memory_fetcher fetcher{&rows, 50, &fetches, 1s};
    std::stop_source stop;
    std::vector<int> seen;
    try {
        for (int row : paged::blocking(paged::paginate(fetcher, paged::walk_options().stop_token(stop.get_token())), loop)) {
            seen.push_back(row);
            if (row == 4) stop.request_stop();
        }
        FAIL("not cancelled");
    } catch (const paged::cancelled&) {
    }
    CHECK(seen.size() == 5);
    CHECK(fetches == 1);

    // During a fetch: the stop comes while page 2 is on its way.
    std::stop_source later;
    seen.clear();
    const auto walk = [&]() -> task<void> {
        auto records = paged::paginate(fetcher, paged::walk_options().stop_token(later.get_token()));
        for (auto it = co_await records.begin(); it != records.end(); (void)co_await ++it) seen.push_back(*it);
    };
    CHECK_THROWS_AS(paged::sync_wait(loop, paged::when_all(walk(), stop_after(1500ms, later))), paged::cancelled);
    CHECK(seen.size() == 50);
    CHECK(clock.now() == time_point(1s) + 1500ms);  // no later: page 2 (due at 2 s) was not waited for
    CHECK(loop.pending_timers() == 0);
}

TEST_CASE("a walk's timeout covers the whole walk, not each page", "[cancellation][paginate]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    const auto rows = paged_test::iota_rows(500);
    paged_test::memory_fetcher fetcher{&rows, 50, nullptr, 1s};
    std::size_t seen = 0;
    try {
        for ([[maybe_unused]] int row : paged::blocking(paged::paginate(fetcher, paged::walk_options().timeout(2500ms)),
                                                        loop)) {
            ++seen;
        }
        FAIL("no deadline");
    } catch (const paged::deadline_exceeded&) {
    }
    CHECK(seen == 100);  // pages at 1 s and 2 s; the third was due at 3 s
    CHECK(clock.now() == time_point(2500ms));

    // A deadline already passed ends the walk before its first request.
    int fetches = 0;
    paged_test::memory_fetcher counting{&rows, 50, &fetches, 1s};
    CHECK_THROWS_AS(paged::sync_wait(loop, paged::collect(paged::paginate(
                                               counting, paged::walk_options().deadline(clock.now() - 1s)))),
                    paged::deadline_exceeded);
    CHECK(fetches == 0);
}

namespace {

// Yields 1 at once; after `pause`, ends or throws.
paged::async_generator<int> one_then(bool fails, paged::clock::duration pause) {
    co_yield 1;
    co_await paged::sleep_for(pause);
    if (fails) throw std::runtime_error("source failed");
}

task<int> next_item(paged::async_generator<int>& items) {
    int* item = co_await items.next();
    co_return item == nullptr ? -1 : *item;
}

// Reads the first item, gives up waiting for the next after 10 ms (the source needs 50 ms), lets the source end or fail
// while nobody waits, then reads again.
task<std::vector<int>> read_around_a_timeout(bool fails) {
    std::vector<int> seen;
    auto items = one_then(fails, 50ms);
    seen.push_back(co_await next_item(items));
    bool timed_out = false;
    try {
        (void)co_await paged::cancellable(next_item(items), paged::cancellation().timeout(10ms));
    } catch (const paged::deadline_exceeded&) {
        timed_out = true;
    }
    CHECK(timed_out);
    co_await paged::sleep_for(100ms);
    seen.push_back(co_await next_item(items));
    co_return seen;
}

}  // namespace

TEST_CASE("a source that fails while its consumer is gone reports the failure to the next read", "[cancellation]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    CHECK(paged::sync_wait(loop, read_around_a_timeout(false)) == std::vector<int>{1, -1});
    // Before: the next read found the source finished and reported a plain end, a silently short stream.
    CHECK_THROWS_WITH(paged::sync_wait(loop, read_around_a_timeout(true)), "source failed");
}
