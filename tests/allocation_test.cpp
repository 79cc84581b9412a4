// Steady-state item pulls allocate nothing: one frame per coroutine, nothing per co_yield or ++.
// This executable replaces the global operator new to count every allocation.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/count_allocations.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>

using paged::async_generator;
using paged_test::allocations;
using paged_test::live_bytes;
using paged::task;

namespace {

constexpr long warm_up = 100;
constexpr long measured = 100'000;

async_generator<long> count_up() {
    for (long i = 0;; ++i) co_yield i;
}

// Pulls warm_up items, then measures the allocations made while pulling `measured` more.
task<long> allocations_while_pulling(async_generator<long> gen) {
    auto it = co_await gen.begin();
    for (long i = 0; i < warm_up; ++i) (void)co_await ++it;
    const long before = allocations;
    long sum = 0;
    for (long i = 0; i < measured; ++i) {
        (void)co_await ++it;
        sum += *it;
    }
    const long during = allocations - before;
    CHECK(sum > 0);
    co_return during;
}

}  // namespace

TEST_CASE("pulling items from a generator allocates nothing", "[allocation]") {
    CHECK(paged::sync_wait(allocations_while_pulling(count_up())) == 0);
}

TEST_CASE("pulling items through filter | map | take allocates nothing", "[allocation]") {
    auto chain = count_up() | paged::filter([](long x) { return x % 2 == 0; }) |
                 paged::map([](long x) { return x + 1; }) | paged::take(10'000'000);
    CHECK(paged::sync_wait(allocations_while_pulling(std::move(chain))) == 0);
}

TEST_CASE("stepping a blocking range allocates nothing", "[allocation]") {
    auto range = paged::blocking(count_up());
    auto it = range.begin();
    for (long i = 0; i < warm_up; ++i) ++it;
    const long before = allocations;
    for (long i = 0; i < measured; ++i) ++it;
    CHECK(allocations - before == 0);
    CHECK(*it == warm_up + measured);
}

TEST_CASE("the allocation counter does count (the tests above can fail)", "[allocation]") {
    const long before = allocations;
    void* block = ::operator new(16);  // a direct call: the compiler may not elide it
    ::operator delete(block);
    CHECK(allocations - before == 1);
}

namespace {

// Pages of one item whose next cursors are `cursor_size` bytes long: the page number, then padding.
struct long_cursor_fetcher {
    using value_type = int;
    using cursor_type = std::string;
    std::size_t cursor_size;
    int pages;

    std::string first_cursor() const { return ""; }
    paged::task<paged::page<int, std::string>> fetch(std::string at) {
        const int index = at.empty() ? 0 : std::stoi(at);
        paged::page<int, std::string> result;
        result.items.push_back(index);
        if (index + 1 < pages) {
            result.next = std::to_string(index + 1);
            result.next->resize(cursor_size, 'x');
        }
        co_return result;
    }
};

// Heap bytes the walk keeps per page, measured over 1,000 pages after 100 of warm-up.
long kept_per_page(std::size_t cursor_size) {
    constexpr std::size_t from = 100;
    constexpr std::size_t to = from + 1'000;
    long at_from = 0;
    long at_to = 0;
    const auto measure = [&](const paged::page_event& event) {
        if (event.index == from) at_from = live_bytes;
        if (event.index == to) at_to = live_bytes;
    };
    paged::event_loop loop;
    int items = 0;
    // One page past `to`, so that the pages measured both have a next cursor.
    for (int item : paged::blocking(paged::paginate(long_cursor_fetcher{cursor_size, static_cast<int>(to) + 2},
                                                    paged::walk_options().on_page(measure)),
                                    loop)) {
        items += item >= 0 ? 1 : 0;
    }
    CHECK(items == static_cast<int>(to) + 2);
    return (at_to - at_from) / static_cast<long>(to - from);
}

}  // namespace

TEST_CASE("the progress guard keeps the same few bytes per page whatever the cursor's size", "[allocation]") {
    const long small = kept_per_page(16);
    const long large = kept_per_page(60'000);
    CAPTURE(small, large);
    CHECK(small > 0);  // the guard does remember every page
    CHECK(small <= 80);  // a 56-byte tree node: a 16-byte digest and a page index
    CHECK(large == small);
}
