#include <paged/event_loop.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>
#include <paged/when_all.hpp>

#include "support/start.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::task;
using time_point = paged::clock::time_point;

namespace {

task<void> sleep_then_log(std::chrono::milliseconds delay, std::string name, std::vector<std::string>& order) {
    co_await paged::sleep_for(delay);
    order.push_back(name);
}

}  // namespace

TEST_CASE("timers fire in deadline order, ties in the order they were armed", "[event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    std::vector<std::string> order;
    paged::sync_wait(loop, paged::when_all(sleep_then_log(30ms, "c", order), sleep_then_log(10ms, "a", order),
                                           sleep_then_log(20ms, "b1", order), sleep_then_log(20ms, "b2", order)));
    CHECK(order == std::vector<std::string>{"a", "b1", "b2", "c"});
    // Virtual time: the loop jumped from deadline to deadline, and the waits overlapped.
    CHECK(clock.now() == time_point(30ms));
}

TEST_CASE("a manual clock moves only when the test advances it", "[event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    std::vector<std::string> order;
    auto first = sleep_then_log(10ms, "first", order);
    auto second = sleep_then_log(25ms, "second", order);
    paged_test::start(loop, first);
    paged_test::start(loop, second);
    CHECK(loop.pending_timers() == 2);

    CHECK(loop.run_due() == 0);
    clock.advance(9ms);
    CHECK(loop.run_due() == 0);
    clock.advance(1ms);
    CHECK(loop.run_due() == 1);
    CHECK(order == std::vector<std::string>{"first"});
    CHECK(first.is_ready());
    clock.advance(1h);
    CHECK(loop.run_due() == 1);
    CHECK(order == std::vector<std::string>{"first", "second"});
    CHECK(loop.pending_timers() == 0);
}

TEST_CASE("sleep_for of zero or less does not suspend", "[event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    std::vector<std::string> order;
    auto now = sleep_then_log(0ms, "now", order);
    paged_test::start(loop, now);
    CHECK(now.is_ready());
    CHECK(order == std::vector<std::string>{"now"});
}

TEST_CASE("many tasks share one loop and wait concurrently", "[event_loop][when_all]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    std::vector<task<int>> tasks;
    for (int i = 0; i < 1000; ++i) {
        tasks.push_back([](int id) -> task<int> {
            co_await paged::sleep_for(std::chrono::milliseconds(id % 10 + 1));
            co_await paged::sleep_for(std::chrono::milliseconds(10 - id % 10));
            co_return id;
        }(i));
    }
    auto results = paged::sync_wait(loop, paged::when_all(std::move(tasks)));
    REQUIRE(results.size() == 1000);
    for (int i = 0; i < 1000; ++i) CHECK(results[static_cast<std::size_t>(i)] == i);
    CHECK(clock.now() == time_point(11ms));  // each waits 11 ms in all; sequentially it would be 11 s
}

TEST_CASE("when_all returns results in argument order and rethrows the first failure after all finish",
          "[when_all]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    std::vector<std::string> order;
    auto slow_failure = [](std::vector<std::string>& log) -> task<int> {
        co_await paged::sleep_for(5ms);
        log.push_back("failing");
        throw std::runtime_error("first");
    };
    auto late = [](std::vector<std::string>& log) -> task<void> {
        co_await paged::sleep_for(50ms);
        log.push_back("late finished");
    };
    auto second_failure = []() -> task<int> {
        throw std::runtime_error("second");
        co_return 0;  // makes this lambda a coroutine: it throws when awaited, not when called
    };
    CHECK_THROWS_WITH(paged::sync_wait(loop, paged::when_all(slow_failure(order), late(order), second_failure())),
                      "first");
    CHECK(order == std::vector<std::string>{"failing", "late finished"});

    auto [number, nothing, text] = paged::sync_wait(loop, paged::when_all([]() -> task<int> { co_return 1; }(),
                                                                          []() -> task<void> { co_return; }(),
                                                                          []() -> task<std::string> {
                                                                              co_await paged::sleep_for(1ms);
                                                                              co_return "x";
                                                                          }()));
    CHECK(number == 1);
    CHECK(nothing == std::monostate{});
    CHECK(text == "x");
    CHECK(paged::sync_wait(paged::when_all(std::vector<task<int>>{})).empty());
}

TEST_CASE("sleep_for outside a running loop is a clear error", "[event_loop]") {
    CHECK_THROWS_AS(paged::sleep_for(1ms), paged::usage_error);
}

namespace {

// A coroutine that waits for something nobody will ever deliver.
struct never_operation {
    never_operation() noexcept = default;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
};

task<void> wait_forever() { co_await never_operation(); }

}  // namespace

TEST_CASE("the loop reports work that can never finish instead of hanging", "[event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    CHECK_THROWS_AS(paged::sync_wait(loop, wait_forever()), paged::usage_error);
}

TEST_CASE("waiting on the real clock costs no CPU time", "[event_loop]") {
    const std::clock_t cpu_before = std::clock();
    const auto wall_before = std::chrono::steady_clock::now();
    paged::sync_wait([]() -> task<void> { co_await paged::sleep_for(200ms); }());
    const auto wall = std::chrono::steady_clock::now() - wall_before;
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_before) / CLOCKS_PER_SEC;
    CHECK(wall >= 200ms);
    CHECK(cpu_seconds < 0.05);  // a spinning loop would burn about 0.2 s
}

namespace {

// A scripted I/O source: one operation that completes at the n-th poll; it records the timeouts it was given.
class scripted_io final : public paged::io_source {
public:
    class operation {
    public:
        explicit operation(scripted_io& io) noexcept : io_(&io) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> waiter) noexcept { io_->waiter_ = waiter; }
        int await_resume() const noexcept { return io_->polls_; }

    private:
        scripted_io* io_;
    };

    explicit scripted_io(int complete_at_poll) : complete_at_(complete_at_poll) {}
    bool busy() const noexcept override { return static_cast<bool>(waiter_); }
    polled poll(std::optional<paged::clock::duration> timeout) override {
        timeouts.push_back(timeout);
        if (++polls_ != complete_at_) return polled::timed_out;
        std::exchange(waiter_, nullptr).resume();
        return polled::resumed;
    }
    operation receive() noexcept { return operation(*this); }

    std::vector<std::optional<paged::clock::duration>> timeouts;

private:
    std::coroutine_handle<> waiter_;
    int polls_ = 0;
    int complete_at_;
};

task<int> receive(scripted_io& io) { co_return co_await io.receive(); }

}  // namespace

TEST_CASE("an io_source is polled with the time left until the next timer", "[event_loop][io_source]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    scripted_io io(2);
    loop.attach(io);
    std::vector<std::string> order;
    auto [polls, ignored] = paged::sync_wait(loop, paged::when_all(receive(io), sleep_then_log(7ms, "timer", order)));
    (void)ignored;
    CHECK(polls == 2);
    // The first poll was offered the 7 ms left to the timer and nothing came; the manual clock then jumped to the
    // timer, which ran, and right after running timers the loop polls without waiting.
    CHECK(io.timeouts == std::vector<std::optional<paged::clock::duration>>{7ms, 0ms});
    CHECK(order == std::vector<std::string>{"timer"});
    CHECK(clock.now() == time_point(7ms));

    scripted_io other(1);
    CHECK_THROWS_AS(loop.attach(other), paged::usage_error);
    loop.detach(io);
    loop.attach(other);
    CHECK(paged::sync_wait(loop, receive(other)) == 1);
    REQUIRE(other.timeouts.size() == 1);
    CHECK_FALSE(other.timeouts[0].has_value());  // nothing else pending: wait for I/O without a limit
}

TEST_CASE("timers on a manual clock still fire while slow I/O is in flight", "[event_loop][io_source]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    scripted_io io(4);
    loop.attach(io);
    std::vector<std::string> order;
    paged::sync_wait(loop, paged::when_all(receive(io), sleep_then_log(5ms, "first", order),
                                           sleep_then_log(9ms, "second", order)));
    CHECK(order == std::vector<std::string>{"first", "second"});
    CHECK(io.timeouts == std::vector<std::optional<paged::clock::duration>>{5ms, 0ms, 4ms, 0ms});
    CHECK(clock.now() == time_point(9ms));
    loop.detach(io);
}
