#include <paged/adaptors.hpp>
#include <paged/collect.hpp>
#include <paged/for_each.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>

#include "support/lifetime_log.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::async_generator;
using paged::task;

namespace {

// Counts how many items were pulled out of it.
async_generator<int> numbers(int& pulled, int limit = 1'000'000) {
    for (int i = 0; i < limit; ++i) {
        ++pulled;
        co_yield i;
    }
}

bool even(int x) { return x % 2 == 0; }

template <class T>
std::vector<std::remove_cvref_t<T>> all(async_generator<T> gen) {
    return paged::sync_wait(paged::collect(std::move(gen)));
}

}  // namespace

TEST_CASE("filter | take pulls exactly as many items as it needs", "[adaptors]") {
    int pulled = 0;
    CHECK(all(numbers(pulled) | paged::filter(even) | paged::take(5)) == std::vector<int>{0, 2, 4, 6, 8});
    CHECK(pulled == 9);  // 0..8: the 5th even number is the 9th item, and nothing after it is pulled
}

TEST_CASE("take(n) stops after the n-th item; take(0) pulls nothing", "[adaptors]") {
    int pulled = 0;
    CHECK(all(numbers(pulled) | paged::take(3)) == std::vector<int>{0, 1, 2});
    CHECK(pulled == 3);

    pulled = 0;
    CHECK(all(numbers(pulled) | paged::take(0)).empty());
    CHECK(pulled == 0);

    pulled = 0;
    CHECK(all(numbers(pulled, 2) | paged::take(10)) == std::vector<int>{0, 1});
    CHECK(pulled == 2);
}

TEST_CASE("take_while stops at the first failing item, drop skips the first n", "[adaptors]") {
    int pulled = 0;
    CHECK(all(numbers(pulled) | paged::take_while([](int x) { return x < 4; })) == std::vector<int>{0, 1, 2, 3});
    CHECK(pulled == 5);  // the 5th item is pulled to be tested

    pulled = 0;
    CHECK(all(numbers(pulled, 6) | paged::drop(4)) == std::vector<int>{4, 5});
    CHECK(pulled == 6);
    CHECK(all(numbers(pulled, 3) | paged::drop(10)).empty());
}

TEST_CASE("chunk groups items into vectors of at most n, never an empty one", "[adaptors]") {
    int pulled = 0;
    CHECK(all(numbers(pulled, 7) | paged::chunk(3)) == std::vector<std::vector<int>>{{0, 1, 2}, {3, 4, 5}, {6}});
    CHECK(all(numbers(pulled, 6) | paged::chunk(3)) == std::vector<std::vector<int>>{{0, 1, 2}, {3, 4, 5}});
    CHECK(all(numbers(pulled, 0) | paged::chunk(3)).empty());

    pulled = 0;
    CHECK(all(numbers(pulled) | paged::chunk(4) | paged::take(1)) == std::vector<std::vector<int>>{{0, 1, 2, 3}});
    CHECK(pulled == 4);
    CHECK_THROWS_AS(paged::chunk(0), paged::usage_error);
}

TEST_CASE("map transforms one item at a time", "[adaptors]") {
    int pulled = 0;
    auto squares = numbers(pulled) | paged::map([](int x) { return std::to_string(x * x); }) | paged::take(4);
    CHECK(all(std::move(squares)) == std::vector<std::string>{"0", "1", "4", "9"});
    CHECK(pulled == 4);
}

namespace {

struct record {
    int id;
    paged_test::counted payload;
};

async_generator<record> records(paged_test::copy_counter& counter) {
    for (int i = 0; i < 3; ++i) {
        record r{i, paged_test::counted(counter, i * 10)};
        co_yield r;
    }
}

}  // namespace

TEST_CASE("map with a member projection yields references, copying nothing", "[adaptors]") {
    paged_test::copy_counter counter;
    auto payloads = records(counter) | paged::map(&record::payload);
    static_assert(std::derived_from<decltype(payloads), async_generator<paged_test::counted&>>);
    std::vector<int> seen;
    paged::sync_wait(paged::for_each(std::move(payloads), [&seen](const paged_test::counted& c) {
        seen.push_back(c.value());
    }));
    CHECK(seen == std::vector<int>{0, 10, 20});
    CHECK(counter.copies == 0);
    CHECK(counter.moves == 0);
}

TEST_CASE("all six adaptors compose, as pipes and as function calls", "[adaptors]") {
    int pulled = 0;
    auto pipeline = numbers(pulled) | paged::drop(1) | paged::filter(even) |
                    paged::map([](int x) { return x * 10; }) | paged::take_while([](int x) { return x < 200; }) |
                    paged::take(6) | paged::chunk(4);
    CHECK(all(std::move(pipeline)) == std::vector<std::vector<int>>{{20, 40, 60, 80}, {100, 120}});
    CHECK(pulled == 13);  // 0 dropped, then 1..12: the 6th even number after the drop is 12

    pulled = 0;
    auto called = paged::chunk(paged::take(paged::map(paged::filter(paged::drop(numbers(pulled), 1), even),
                                                      [](int x) { return x * 10; }),
                                           3),
                               2);
    CHECK(all(std::move(called)) == std::vector<std::vector<int>>{{20, 40}, {60}});
    CHECK(pulled == 7);
}

TEST_CASE("closures compose before they meet a generator and can be reused", "[adaptors]") {
    const auto first_even_tens = paged::filter(even) | paged::map([](int x) { return x * 10; }) | paged::take(2);
    int pulled = 0;
    CHECK(all(numbers(pulled) | first_even_tens) == std::vector<int>{0, 20});
    CHECK(all(numbers(pulled, 3) | first_even_tens) == std::vector<int>{0, 20});
}

namespace {

task<bool> is_even_later(int x) {
    co_await paged::sleep_for(1ms);
    co_return x % 2 == 0;
}

task<std::string> lookup(int id) {
    co_await paged::sleep_for(10ms);
    co_return "user" + std::to_string(id);
}

}  // namespace

TEST_CASE("filter and map await callables that return a task, one item at a time", "[adaptors]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    int pulled = 0;
    auto users = numbers(pulled) | paged::filter(is_even_later) | paged::map(lookup) | paged::take(3);
    CHECK(paged::sync_wait(loop, paged::collect(std::move(users))) ==
          std::vector<std::string>{"user0", "user2", "user4"});
    CHECK(pulled == 5);
    CHECK(clock.now() == paged::clock::time_point(5 * 1ms + 3 * 10ms));  // sequential: one item at a time
}

TEST_CASE("for_each visits every item in order and awaits asynchronous callables", "[adaptors]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    int pulled = 0;
    std::vector<int> seen;
    paged::sync_wait(loop, paged::for_each(numbers(pulled, 4), [&seen](int x) { seen.push_back(x); }));
    CHECK(seen == std::vector<int>{0, 1, 2, 3});

    std::vector<int> slow;
    auto visit = [&slow](int x) -> task<void> {
        co_await paged::sleep_for(2ms);
        slow.push_back(x);
    };
    paged::sync_wait(loop, paged::for_each(numbers(pulled, 3), visit));
    CHECK(slow == std::vector<int>{0, 1, 2});
    CHECK(clock.now() == paged::clock::time_point(6ms));
}

TEST_CASE("collect moves move-only items out", "[adaptors]") {
    auto boxes = []() -> async_generator<std::unique_ptr<int>> {
        for (int i = 0; i < 3; ++i) co_yield std::make_unique<int>(i);
    };
    auto collected = paged::sync_wait(paged::collect(boxes() | paged::take(2)));
    REQUIRE(collected.size() == 2);
    CHECK(*collected[1] == 1);
}

TEST_CASE("an exception in a stage reaches the consumer through the whole pipeline", "[adaptors]") {
    int pulled = 0;
    auto failing = numbers(pulled) | paged::map([](int x) {
                       if (x == 3) throw std::runtime_error("bad record 3");
                       return x;
                   }) |
                   paged::filter(even);
    CHECK_THROWS_WITH(all(std::move(failing)), "bad record 3");
    CHECK(pulled == 4);
}
