// Long runs of synchronous hand-offs must not grow the stack, at any optimisation level and under ASan
// (coroutine-hazards.md, row 1). Each test records the stack position of a frame that is resumed once per item;
// a leak of even one stack frame per item would move it by gigabytes over ten million items and overflow first.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>

using paged::async_generator;
using paged::task;

namespace {

constexpr long ten_million = 10'000'000;

struct stack_span {
    std::uintptr_t lowest = UINTPTR_MAX;
    std::uintptr_t highest = 0;

    void record() noexcept {
        const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        lowest = std::min(lowest, here);
        highest = std::max(highest, here);
    }
    std::uintptr_t width() const noexcept { return highest - lowest; }
};

// Deliberately out of line, so that record() sees the stack position of the coroutine that calls it.
[[gnu::noinline]] void record_position(stack_span& span) { span.record(); }

async_generator<long> count_up(long n, stack_span& span) {
    for (long i = 0; i < n; ++i) {
        record_position(span);
        co_yield i;
    }
}

task<long> sum(async_generator<long> gen) {
    long total = 0;
    for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) total += *it;
    co_return total;
}

}  // namespace

TEST_CASE("pulling ten million synchronous items does not grow the stack", "[stack]") {
    stack_span producer;
    CHECK(paged::sync_wait(sum(count_up(ten_million, producer))) == ten_million * (ten_million - 1) / 2);
    CHECK(producer.width() < 1024);
}

namespace {

async_generator<long> odd_then_even(long odd_count, stack_span& span) {
    for (long i = 0; i < odd_count; ++i) {
        record_position(span);
        co_yield 2 * i + 1;
    }
    co_yield 42;
}

}  // namespace

TEST_CASE("a filter that rejects ten million items in a row does not grow the stack", "[stack]") {
    stack_span producer;
    auto evens = odd_then_even(ten_million, producer) | paged::filter([](long x) { return x % 2 == 0; });
    CHECK(paged::sync_wait(sum(std::move(evens))) == 42);
    CHECK(producer.width() < 1024);
}

namespace {

// Waits on I/O first, so that every item reaches the filter through the chain's relay (detail/item_sink.hpp).
async_generator<long> wait_then_odd_then_even(long odd_count, stack_span& span) {
    co_await paged::sleep_for(std::chrono::nanoseconds(1));
    for (long i = 0; i < odd_count; ++i) {
        record_position(span);
        co_yield 2 * i + 1;
    }
    co_yield 42;
}

}  // namespace

TEST_CASE("after the source waited on I/O, a filter that rejects ten million items in a row does not grow the stack",
          "[stack]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    stack_span producer;
    auto evens = wait_then_odd_then_even(ten_million, producer) | paged::filter([](long x) { return x % 2 == 0; });
    CHECK(paged::sync_wait(loop, sum(std::move(evens))) == 42);
    CHECK(producer.width() < 1024);
}

namespace {

task<long> one(stack_span& span) {
    record_position(span);
    co_return 1;
}

task<long> await_many(long n, stack_span& span) {
    long total = 0;
    for (long i = 0; i < n; ++i) total += co_await one(span);
    co_return total;
}

}  // namespace

TEST_CASE("awaiting a million tasks that complete synchronously does not grow the stack", "[stack]") {
    stack_span task_frames;
    CHECK(paged::sync_wait(await_many(1'000'000, task_frames)) == 1'000'000);
    CHECK(task_frames.width() < 1024);
}

namespace {

async_generator<long> tick_every_nanosecond(long n, stack_span& span) {
    for (long i = 0; i < n; ++i) {
        co_await paged::sleep_for(std::chrono::nanoseconds(1));
        record_position(span);
        co_yield i;
    }
}

}  // namespace

TEST_CASE("items that each wait for a timer hand over in constant stack depth", "[stack]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    stack_span producer;
    const long n = 200'000;
    auto chain = tick_every_nanosecond(n, producer) | paged::filter([](long) { return true; }) |
                 paged::map([](long x) { return x; });
    CHECK(paged::sync_wait(loop, sum(std::move(chain))) == n * (n - 1) / 2);
    CHECK(producer.width() < 1024);
    CHECK(clock.now() == paged::clock::time_point(std::chrono::nanoseconds(n)));
}

TEST_CASE("items that each wait for a timer and are mostly rejected hand over in constant stack depth", "[stack]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    stack_span producer;
    const long n = 200'000;
    auto multiples = tick_every_nanosecond(n, producer) | paged::filter([](long x) { return x % 1000 == 0; });
    CHECK(paged::sync_wait(loop, sum(std::move(multiples))) == 1000 * (n / 1000) * (n / 1000 - 1) / 2);
    CHECK(producer.width() < 1024);
}
