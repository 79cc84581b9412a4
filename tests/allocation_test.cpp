// Steady-state item pulls allocate nothing: one frame per coroutine, nothing per co_yield or ++.
// This executable replaces the global operator new to count every allocation.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/count_allocations.hpp"

#include <catch2/catch.hpp>

using paged::async_generator;
using paged_test::allocations;
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
