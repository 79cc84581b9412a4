// Per-item cost of pulling ints: a plain std::vector loop, a bare async_generator, filter | map | take over it, and
// paged::blocking. Every benchmark pulls `batch` items per iteration from one long-lived source, so the figures are
// the steady state; heap allocations are counted with a replaced global operator new and reported per item.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/count_allocations.hpp"

#include <benchmark/benchmark.h>

#include <numeric>
#include <vector>

using paged_test::allocations;

namespace {

constexpr long batch = 1024;

// Allocations are counted inside the timed batches only: Google Benchmark allocates at the start and end of its loop.
void report(benchmark::State& state, long allocations_in_batches) {
    const auto items = static_cast<double>(state.iterations() * batch);
    state.SetItemsProcessed(static_cast<std::int64_t>(items));
    state.counters["time/item"] = benchmark::Counter(items, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["allocs/item"] = static_cast<double>(allocations_in_batches) / items;
}

void plain_vector_loop(benchmark::State& state) {
    std::vector<long> values(batch);
    std::iota(values.begin(), values.end(), 0L);
    long allocated = 0;
    for (auto _ : state) {
        const long before = allocations;
        for (long& v : values) benchmark::DoNotOptimize(v);
        allocated += allocations - before;
    }
    report(state, allocated);
}
BENCHMARK(plain_vector_loop);

paged::async_generator<long> count_up() {
    for (long i = 0;; ++i) co_yield i;
}

paged::task<void> pull(benchmark::State& state, paged::async_generator<long> gen) {
    auto it = co_await gen.begin();
    long allocated = 0;
    for (auto _ : state) {
        const long before = allocations;
        for (long i = 0; i < batch; ++i) {
            benchmark::DoNotOptimize(*it);
            (void)co_await ++it;
        }
        allocated += allocations - before;
    }
    report(state, allocated);
}

void async_generator_bare(benchmark::State& state) { paged::sync_wait(pull(state, count_up())); }
BENCHMARK(async_generator_bare);

void filter_map_take(benchmark::State& state) {
    auto chain = count_up() | paged::filter([](long x) { return x >= 0; }) |
                 paged::map([](long x) { return x + 1; }) | paged::take(1L << 62);
    paged::sync_wait(pull(state, std::move(chain)));
}
BENCHMARK(filter_map_take);

void blocking_range(benchmark::State& state) {
    auto range = paged::blocking(count_up());
    auto it = range.begin();
    long allocated = 0;
    for (auto _ : state) {
        const long before = allocations;
        for (long i = 0; i < batch; ++i) {
            benchmark::DoNotOptimize(*it);
            ++it;
        }
        allocated += allocations - before;
    }
    report(state, allocated);
}
BENCHMARK(blocking_range);

}  // namespace

BENCHMARK_MAIN();
