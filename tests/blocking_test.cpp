#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/sleep_for.hpp>

#include "support/lifetime_log.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ranges>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::async_generator;
using paged_test::lifetime_log;
using paged_test::scoped_probe;

static_assert(std::ranges::input_range<paged::blocking_range<int>>);
static_assert(std::ranges::input_range<paged::blocking_range<const std::string&>>);
static_assert(std::same_as<std::ranges::range_reference_t<paged::blocking_range<int>>, int&>);

namespace {

async_generator<int> ticks(int n, lifetime_log& log) {
    scoped_probe probe(log, "ticks");
    for (int i = 0; i < n; ++i) {
        co_await paged::sleep_for(1s);
        log.add("tick " + std::to_string(i));
        co_yield i;
    }
}

async_generator<int> broken() {
    co_yield 1;
    throw std::runtime_error("broken stream");
}

}  // namespace

TEST_CASE("blocking() walks a generator from ordinary code", "[blocking]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;
    std::vector<int> seen;
    for (int value : paged::blocking(ticks(3, log), loop)) seen.push_back(value);
    CHECK(seen == std::vector<int>{0, 1, 2});
    CHECK(clock.now() == paged::clock::time_point(3s));
    CHECK(log.events().back() == "-ticks");
}

TEST_CASE("breaking out of a blocking loop destroys the generator", "[blocking]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;
    for (int value : paged::blocking(ticks(100, log), loop)) {
        if (value == 1) break;
    }
    CHECK(log.events() == std::vector<std::string>{"+ticks", "tick 0", "tick 1", "-ticks"});
    CHECK(clock.now() == paged::clock::time_point(2s));
}

TEST_CASE("blocking() rethrows the generator's exception from the step that hit it", "[blocking]") {
    std::vector<int> seen;
    auto walk = [&seen] {
        for (int value : paged::blocking(broken())) seen.push_back(value);
    };
    CHECK_THROWS_WITH(walk(), "broken stream");
    CHECK(seen == std::vector<int>{1});
}

TEST_CASE("blocking() on its own loop waits on the real clock", "[blocking]") {
    auto naps = [](int n) -> async_generator<int> {
        for (int i = 0; i < n; ++i) {
            co_await paged::sleep_for(20ms);
            co_yield i;
        }
    };
    const auto start = std::chrono::steady_clock::now();
    int count = 0;
    for (int value : paged::blocking(naps(2))) count += value + 1;
    CHECK(count == 3);
    CHECK(std::chrono::steady_clock::now() - start >= 40ms);
}
