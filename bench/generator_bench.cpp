// Per-item cost of pulling ints: a plain std::vector loop, a bare async_generator, a minimal reference generator
// (below), filter | map | take over the async_generator, and paged::blocking. Every benchmark pulls `batch` items per
// iteration from one long-lived source, so the figures are the steady state; heap allocations are counted with a
// replaced global operator new and reported per item.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/count_allocations.hpp"

#include <benchmark/benchmark.h>

#include <coroutine>
#include <cstdlib>
#include <exception>
#include <memory>
#include <numeric>
#include <string_view>
#include <utility>
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

// The simplest correct async generator, the yardstick for paged::async_generator's per-item cost: the promise keeps a
// pointer to the yielded object, a co_yield hands control to the consumer by symmetric transfer, and the consumer's
// await resumes the producer by symmetric transfer. Nothing else: an exception escaping the body terminates, and a
// long run of synchronous items is stack-safe only where the compiler makes symmetric transfer a tail call (-O2; not
// g++ 12 at -O0 or under ASan, coroutine-hazards.md row 1), which is what paged::async_generator pays to avoid.
namespace reference {

template <class T>
class generator {
public:
    class promise_type;
    using handle_type = std::coroutine_handle<promise_type>;

    // Hands control back to whoever resumed the producer: after a co_yield and at the end.
    class to_consumer {
    public:
        to_consumer() noexcept = default;  // never an aggregate (coroutine-hazards.md, row 3)
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(handle_type producer) noexcept { return producer.promise().consumer_; }
        void await_resume() const noexcept {}
    };

    class promise_type {
    public:
        generator get_return_object() noexcept { return generator(handle_type::from_promise(*this)); }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        to_consumer final_suspend() const noexcept { return {}; }
        to_consumer yield_value(T& value) noexcept {
            value_ = std::addressof(value);
            return {};
        }
        to_consumer yield_value(T&& value) noexcept {
            value_ = std::addressof(value);
            return {};
        }
        void return_void() const noexcept {}
        [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }

    private:
        friend generator;
        T* value_ = nullptr;
        std::coroutine_handle<> consumer_;
    };

    // Awaitable: runs the producer to its next co_yield or its end.
    class advance {
    public:
        explicit advance(handle_type producer) noexcept : producer_(producer) {}
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> consumer) noexcept {
            producer_.promise().consumer_ = consumer;
            return producer_;
        }
        void await_resume() const noexcept {}

    protected:
        handle_type producer_;
    };

    class iterator {
    public:
        explicit iterator(handle_type producer) noexcept : producer_(producer) {}
        T& operator*() const noexcept { return *producer_.promise().value_; }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.producer_.done(); }

        class increment_operation : public advance {
        public:
            explicit increment_operation(iterator& it) noexcept : advance(it.producer_), iterator_(&it) {}
            iterator& await_resume() const noexcept { return *iterator_; }

        private:
            iterator* iterator_;
        };
        increment_operation operator++() noexcept { return increment_operation(*this); }

    private:
        handle_type producer_;
    };

    class begin_operation : public advance {
    public:
        using advance::advance;
        iterator await_resume() const noexcept { return iterator(this->producer_); }
    };

    generator(generator&& other) noexcept : producer_(std::exchange(other.producer_, nullptr)) {}
    generator& operator=(generator&&) = delete;
    ~generator() {
        if (producer_) producer_.destroy();
    }

    begin_operation begin() noexcept { return begin_operation(producer_); }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    explicit generator(handle_type producer) noexcept : producer_(producer) {}
    handle_type producer_;
};

}  // namespace reference

paged::async_generator<long> count_up() {
    for (long i = 0;; ++i) co_yield i;
}

reference::generator<long> reference_count_up() {
    for (long i = 0;; ++i) co_yield i;
}

template <class Generator>
paged::task<void> pull(benchmark::State& state, Generator gen) {
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

void reference_generator_bare(benchmark::State& state) { paged::sync_wait(pull(state, reference_count_up())); }

// The filter keeps every item and the take never ends: three coroutine layers over count_up().
paged::async_generator<long> chain() {
    return count_up() | paged::filter([](long x) { return x >= 0; }) | paged::map([](long x) { return x + 1; }) |
           paged::take(1L << 62);
}

void filter_map_take(benchmark::State& state) { paged::sync_wait(pull(state, chain())); }

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

}  // namespace

// `--iterations=N` (before Google Benchmark's own flags) runs each benchmark for exactly N iterations of `batch`
// items: under callgrind, two runs with different N give exact instructions per item.
int main(int argc, char** argv) {
    long iterations = 0;
    if (argc > 1 && std::string_view(argv[1]).starts_with("--iterations=")) {
        iterations = std::atol(argv[1] + std::string_view("--iterations=").size());
        argv[1] = argv[0];
        --argc;
        ++argv;
    }
    const std::pair<const char*, void (*)(benchmark::State&)> benchmarks[] = {
        {"plain_vector_loop", plain_vector_loop},
        {"async_generator_bare", async_generator_bare},
        {"reference_generator_bare", reference_generator_bare},
        {"filter_map_take", filter_map_take},
        {"blocking_range", blocking_range},
    };
    for (const auto& [name, run] : benchmarks) {
        auto* registered = benchmark::RegisterBenchmark(name, run);
        if (iterations > 0) registered->Iterations(iterations);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
