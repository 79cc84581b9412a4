#include <paged/event_loop.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>
#include <paged/when_all.hpp>

#include "support/start.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <initializer_list>
#include <limits>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using paged::task;
using time_point = paged::clock::time_point;

namespace {

// Takes `count` tokens one after the other and notes the time of each grant.
task<void> take_tokens(paged::rate_limiter& limiter, const paged::clock& time, int count,
                       std::vector<time_point>& grants) {
    for (int i = 0; i < count; ++i) {
        co_await limiter.acquire();
        grants.push_back(time.now());
    }
}

std::vector<time_point> at(std::initializer_list<paged::clock::duration> offsets) {
    std::vector<time_point> points;
    for (auto offset : offsets) points.push_back(time_point(offset));
    return points;
}

}  // namespace

TEST_CASE("coroutines sharing a limiter get exactly its rate, in turn, with no idle gap", "[rate_limiter]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged::rate_limiter limiter(10, 1, clock);
    std::vector<std::vector<time_point>> grants(4);
    paged::sync_wait(loop, paged::when_all(take_tokens(limiter, clock, 10, grants[0]),
                                           take_tokens(limiter, clock, 10, grants[1]),
                                           take_tokens(limiter, clock, 10, grants[2]),
                                           take_tokens(limiter, clock, 10, grants[3])));

    std::vector<time_point> all;
    for (const auto& mine : grants) all.insert(all.end(), mine.begin(), mine.end());
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == 40);
    // One grant every 100 ms from 0 to 3.9 s: never two closer, never a slot left unused.
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i] == time_point(100ms * static_cast<int>(i)));

    // First come, first served: with 4 coroutines asking again right after each grant, none waits more than 4 slots.
    for (const auto& mine : grants) {
        REQUIRE(mine.size() == 10);
        CHECK(mine.front() <= time_point(400ms));
        for (std::size_t i = 1; i < mine.size(); ++i) CHECK(mine[i] - mine[i - 1] <= 400ms);
    }
}

TEST_CASE("a burst is granted at once, then one token each interval", "[rate_limiter]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged::rate_limiter limiter(10, 5, clock);
    CHECK(limiter.per_second() == 10);
    CHECK(limiter.burst() == 5);

    std::vector<time_point> grants;
    auto first_five = take_tokens(limiter, clock, 5, grants);
    paged_test::start(loop, first_five);
    CHECK(first_five.is_ready());  // tokens were there: no suspension, no timer
    CHECK(loop.pending_timers() == 0);

    paged::sync_wait(loop, take_tokens(limiter, clock, 5, grants));
    CHECK(grants == at({0ms, 0ms, 0ms, 0ms, 0ms, 100ms, 200ms, 300ms, 400ms, 500ms}));
}

TEST_CASE("an idle limiter refills up to its burst and no further", "[rate_limiter]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged::rate_limiter limiter(10, 3, clock);
    std::vector<time_point> grants;
    paged::sync_wait(loop, take_tokens(limiter, clock, 3, grants));
    CHECK(grants == at({0ms, 0ms, 0ms}));

    clock.advance(1s);  // ten tokens' worth of idle time; the bucket holds three
    grants.clear();
    paged::sync_wait(loop, take_tokens(limiter, clock, 5, grants));
    CHECK(grants == at({1000ms, 1000ms, 1000ms, 1100ms, 1200ms}));

    clock.advance(150ms);  // one and a half tokens' worth: one now, the next 50 ms later
    grants.clear();
    paged::sync_wait(loop, take_tokens(limiter, clock, 3, grants));
    CHECK(grants == at({1350ms, 1400ms, 1500ms}));
}

TEST_CASE("a waiter destroyed while waiting is never resumed and gives back its slot when it was the last",
          "[rate_limiter]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged::rate_limiter limiter(10, 1, clock);
    std::vector<time_point> grants;
    paged::sync_wait(loop, take_tokens(limiter, clock, 1, grants));  // the token of t = 0; the next slot is 100 ms
    std::vector<time_point> cancelled;

    SECTION("the newest waiter: the next one gets its slot") {
        {
            auto waiting = take_tokens(limiter, clock, 1, cancelled);
            paged_test::start(loop, waiting);
            CHECK(loop.pending_timers() == 1);
        }  // destroyed at 0 ms, waiting for 100 ms
        CHECK(loop.pending_timers() == 0);
        clock.advance(50ms);
        paged::sync_wait(loop, take_tokens(limiter, clock, 1, grants));
        CHECK(grants == at({0ms, 100ms}));
    }

    SECTION("an older waiter: its slot is lost, the ones after it keep theirs") {
        std::vector<time_point> kept;
        auto older = take_tokens(limiter, clock, 1, cancelled);  // 100 ms
        auto newer = take_tokens(limiter, clock, 1, kept);       // 200 ms
        paged_test::start(loop, older);
        paged_test::start(loop, newer);
        CHECK(loop.pending_timers() == 2);
        older = task<void>();
        CHECK(loop.pending_timers() == 1);
        paged::sync_wait(loop, take_tokens(limiter, clock, 1, grants));
        CHECK(kept == at({200ms}));
        CHECK(grants == at({0ms, 300ms}));
    }

    SECTION("cancelled newest first, each gives its slot back in turn") {
        auto older = take_tokens(limiter, clock, 1, cancelled);  // 100 ms
        auto newer = take_tokens(limiter, clock, 1, cancelled);  // 200 ms
        paged_test::start(loop, older);
        paged_test::start(loop, newer);
        newer = task<void>();
        older = task<void>();
        CHECK(loop.pending_timers() == 0);
        paged::sync_wait(loop, take_tokens(limiter, clock, 2, grants));
        CHECK(grants == at({0ms, 100ms, 200ms}));
    }

    CHECK(cancelled.empty());  // a resumed destroyed frame would also be a use-after-free under ASan
}

TEST_CASE("threads with their own loops share one limiter and never exceed it", "[rate_limiter][threads]") {
    // Sound on any machine: grants can be late, never early. The k-th reservation (in mutex order) has a slot no
    // earlier than start + (k + 1 - burst) intervals, and a grant is observed no earlier than its slot; so the i-th
    // earliest observed grant is no earlier than start + (i + 1 - burst) intervals, whatever the scheduling.
    const std::size_t burst = GENERATE(std::size_t{1}, std::size_t{4});
    constexpr auto interval = 5ms;
    paged::rate_limiter limiter(200, burst);
    std::vector<std::vector<time_point>> grants(4);
    std::vector<std::exception_ptr> failures(4);
    const time_point start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < grants.size(); ++w) {
        workers.emplace_back([&limiter, &mine = grants[w], &failure = failures[w]] {
            try {
                paged::event_loop loop;  // on the real clock, like the limiter
                paged::sync_wait(loop, take_tokens(limiter, paged::real_clock::instance(), 25, mine));
            } catch (...) {
                failure = std::current_exception();
            }
        });
    }
    for (auto& worker : workers) worker.join();
    for (const auto& failure : failures) {
        if (failure) std::rethrow_exception(failure);
    }

    std::vector<time_point> all;
    for (const auto& mine : grants) {
        CHECK(mine.size() == 25);
        all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == 100);
    std::size_t early = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto tokens = static_cast<int>(i + 1) - static_cast<int>(burst);
        if (all[i] < start + interval * std::max(tokens, 0)) ++early;
    }
    CHECK(early == 0);
}

TEST_CASE("a limiter refuses a rate or burst it cannot honour", "[rate_limiter]") {
    CHECK_THROWS_AS(paged::rate_limiter(0), paged::usage_error);
    CHECK_THROWS_AS(paged::rate_limiter(-5), paged::usage_error);
    CHECK_THROWS_AS(paged::rate_limiter(std::numeric_limits<double>::quiet_NaN()), paged::usage_error);
    CHECK_THROWS_AS(paged::rate_limiter(std::numeric_limits<double>::infinity()), paged::usage_error);
    CHECK_THROWS_WITH(paged::rate_limiter(10, 0), Catch::Contains("burst must be at least 1"));
    CHECK_THROWS_WITH(paged::rate_limiter(0), Catch::Contains("per_second must be a finite number above 0"));
    CHECK_THROWS_AS(paged::rate_limiter(1e-12), paged::usage_error);  // one token in 30,000 years
    CHECK_NOTHROW(paged::rate_limiter(1e12, 1000));                   // faster than the clock ticks: 1 ns apart
}

TEST_CASE("acquire needs a running loop, and costs a token only when awaited", "[rate_limiter]") {
    paged::manual_clock clock;
    paged::rate_limiter limiter(10, 1, clock);
    CHECK_THROWS_WITH((void)limiter.acquire(), Catch::Contains("no paged::event_loop is running"));

    paged::event_loop loop(clock);
    {
        const paged::event_loop::scope running(loop);
        auto unused = limiter.acquire();
        (void)unused;
    }
    std::vector<time_point> grants;
    paged::sync_wait(loop, take_tokens(limiter, clock, 2, grants));
    CHECK(grants == at({0ms, 100ms}));
}
