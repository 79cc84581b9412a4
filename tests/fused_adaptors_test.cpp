// Synchronous adaptors run inside their source's co_yield (include/paged/detail/fused_adaptor.hpp): these tests pin
// what that must not change (order, how many items are pulled, ends, exceptions, destruction, sources that wait on
// I/O) and what it adds (a pipeline written in one expression is one layer; adapting it later continues its stages).
#include <paged/adaptors.hpp>
#include <paged/collect.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>

#include "support/lifetime_log.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <concepts>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::async_generator;
using paged::task;

namespace {

async_generator<int> numbers(int& pulled, int limit = 1'000'000) {
    for (int i = 0; i < limit; ++i) {
        ++pulled;
        co_yield i;
    }
}

// Waits a millisecond on the loop's clock before each item, so the consumer is parked when each item arrives.
async_generator<int> slow_numbers(int& pulled, int limit, paged_test::lifetime_log& log) {
    const paged_test::scoped_probe probe(log, "source");
    for (int i = 0; i < limit; ++i) {
        co_await paged::sleep_for(1ms);
        ++pulled;
        co_yield i;
    }
}

async_generator<int> slow_failing(int fail_at) {
    for (int i = 0;; ++i) {
        co_await paged::sleep_for(1ms);
        if (i == fail_at) throw std::runtime_error("source failed at " + std::to_string(i));
        co_yield i;
    }
}

bool even(int x) { return x % 2 == 0; }

template <class G>
std::vector<paged::detail::generator_item_t<G>> all(G gen) {
    return paged::sync_wait(paged::collect(std::move(gen)));
}

// What a library user's function returning a plain async_generator gives: the adaptors' static type is gone.
async_generator<int> erased(async_generator<int> gen) { return gen; }

}  // namespace

TEST_CASE("a pipeline written in one expression merges its stages, in order", "[adaptors][fused]") {
    int pulled = 0;
    auto chain = numbers(pulled) | paged::drop(1) | paged::filter(even) | paged::map([](int x) { return x * 10; }) |
                 paged::take_while([](int x) { return x < 100; }) | paged::take(3);
    STATIC_REQUIRE(paged::detail::is_fused_generator<decltype(chain)>);
    CHECK(all(std::move(chain)) == std::vector<int>{20, 40, 60});
    CHECK(pulled == 7);  // 0 dropped, then 1..6: take's 3rd item ends the stream at once
}

TEST_CASE("adapting a partly read pipeline continues its stages where they are", "[adaptors][fused]") {
    int pulled = 0;
    auto first = numbers(pulled) | paged::filter(even) | paged::take(4);
    auto rest = paged::sync_wait([](auto& gen) -> task<int> {
        auto it = co_await gen.begin();
        co_return *it;
    }(first));
    CHECK(rest == 0);
    CHECK(all(std::move(first) | paged::map([](int x) { return x + 1; })) == std::vector<int>{3, 5, 7});
    CHECK(pulled == 7);  // 0..6: take's count went on from 1, and nothing was pulled after its 4th item
}

TEST_CASE("a pipeline whose end was reached stays ended when adapted again", "[adaptors][fused]") {
    int pulled = 0;
    auto two = numbers(pulled) | paged::take(2);
    CHECK(all(std::move(two)).size() == 2);  // moved into all(): nothing left here
    auto taken = numbers(pulled) | paged::take_while([](int x) { return x < 2; });
    const bool ended = paged::sync_wait([](auto& gen) -> task<bool> {
        for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) {
        }
        co_return true;
    }(taken));
    CHECK(ended);
    pulled = 0;
    CHECK(all(std::move(taken) | paged::filter(even)).empty());
    CHECK(pulled == 0);  // the source, suspended at the item that ended it, is not resumed by the new stage
}

TEST_CASE("a pipeline ended by a stage stays ended when adapted twice before it is read again", "[adaptors][fused]") {
    int pulled = 0;
    auto failing = numbers(pulled) | paged::filter([](int x) {
                       if (x == 2) throw std::invalid_argument("refused 2");
                       return true;
                   });
    CHECK_THROWS_WITH(paged::sync_wait([](auto& gen) -> task<void> {
                          for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) {
                          }
                      }(failing)),
                      "refused 2");
    auto again = std::move(failing) | paged::map([](int x) { return x; });  // not read
    pulled = 0;
    CHECK(all(std::move(again) | paged::map([](int x) { return x; })).empty());
    CHECK(pulled == 0);
}

TEST_CASE("adaptors over a generator whose adaptor type was erased chain at run time", "[adaptors][fused]") {
    int pulled = 0;
    auto chain = erased(numbers(pulled) | paged::filter(even)) | paged::take(3);
    CHECK(all(std::move(chain)) == std::vector<int>{0, 2, 4});
    CHECK(pulled == 5);

    pulled = 0;
    auto stopped = erased(numbers(pulled) | paged::take(2)) | paged::map([](int x) { return -x; });
    CHECK(all(std::move(stopped)) == std::vector<int>{0, -1});
    CHECK(pulled == 2);
}

TEST_CASE("take counts the items it hands on, whatever the adaptors after it keep", "[adaptors][fused]") {
    int pulled = 0;
    CHECK(all(numbers(pulled) | paged::take(4) | paged::filter([](int x) { return x % 2 == 1; })) ==
          std::vector<int>{1, 3});
    CHECK(pulled == 4);

    pulled = 0;
    CHECK(all(numbers(pulled) | paged::take(3) | paged::filter([](int x) { return x % 2 == 1; })) ==
          std::vector<int>{1});
    CHECK(pulled == 3);  // take's 3rd item (2), dropped after it, still ends the stream: no 4th is pulled
}

TEST_CASE("fused adaptors over a source that waits on I/O: items, skips, the end and destruction",
          "[adaptors][fused]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged_test::lifetime_log log;
    int pulled = 0;
    auto chain = slow_numbers(pulled, 10, log) | paged::filter(even) | paged::map([](int x) { return x * 3; });
    CHECK(paged::sync_wait(loop, paged::collect(std::move(chain))) == std::vector<int>{0, 6, 12, 18, 24});
    CHECK(pulled == 10);
    CHECK(clock.now() == paged::clock::time_point(10ms));
    CHECK(log.count("-source") == 1);

    // Stopping early destroys the source where it waits, its timer cancelled.
    pulled = 0;
    auto stopped = slow_numbers(pulled, 1'000, log) | paged::filter(even) | paged::take(2);
    CHECK(paged::sync_wait(loop, paged::collect(std::move(stopped))) == std::vector<int>{0, 2});
    CHECK(pulled == 3);
    CHECK(log.count("-source") == 2);
}

TEST_CASE("an exception after the source waited on I/O reaches the consumer through fused adaptors",
          "[adaptors][fused]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    auto chain = slow_failing(5) | paged::filter(even) | paged::map([](int x) { return x; });
    CHECK_THROWS_WITH(paged::sync_wait(loop, paged::collect(std::move(chain))), "source failed at 5");

    auto erased_chain = erased(slow_failing(3) | paged::filter(even)) | paged::take(10);
    CHECK_THROWS_WITH(paged::sync_wait(loop, paged::collect(std::move(erased_chain))), "source failed at 3");
}

TEST_CASE("a throwing predicate ends the source, running its destructors once", "[adaptors][fused]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    paged_test::lifetime_log log;
    int pulled = 0;
    auto chain = slow_numbers(pulled, 100, log) | paged::filter([](int x) {
                     if (x == 4) throw std::invalid_argument("predicate refused 4");
                     return true;
                 });
    CHECK_THROWS_WITH(paged::sync_wait(loop, paged::collect(std::move(chain))), "predicate refused 4");
    CHECK(pulled == 5);
    CHECK(log.count("-source") == 1);
}

TEST_CASE("a fused pipeline is still an async_generator of its item type", "[adaptors][fused]") {
    int pulled = 0;
    auto chain = numbers(pulled) | paged::map([](int x) { return x * 0.5; }) | paged::take(2);
    STATIC_REQUIRE(std::derived_from<decltype(chain), async_generator<double>>);
    async_generator<double> plain = std::move(chain);  // what a function returning async_generator<double> does
    CHECK(all(std::move(plain)) == std::vector<double>{0.0, 0.5});
}

namespace {
int caught_in_producer = 0;

// A producer that guards its co_yield for its own reasons (a retry, a log-and-continue).
async_generator<int> guarded(int n) {
    for (int i = 0; i < n; ++i) {
        try {
            co_yield i;
        } catch (const std::exception&) {
            ++caught_in_producer;
        }
    }
}

bool refuses_2(int x) {
    if (x == 2) throw std::runtime_error("predicate refused 2");
    return true;
}
}  // namespace

TEST_CASE("what an adaptor's callable throws reaches the consumer, never the producer's own catch",
          "[adaptors][fused]") {
    caught_in_producer = 0;
    CHECK_THROWS_WITH(all(guarded(5) | paged::filter(refuses_2)), "predicate refused 2");
    auto twice = [](int x) {
        if (x == 4) throw std::runtime_error("map threw at 4");
        return 2 * x;
    };
    CHECK_THROWS_WITH(all(guarded(5) | paged::filter(even) | paged::map(twice) | paged::take(9)), "map threw at 4");
    CHECK(caught_in_producer == 0);
}

TEST_CASE("the item read last stays valid when its pipeline is adapted again", "[adaptors][fused]") {
    int pulled = 0;
    auto texts = numbers(pulled) | paged::map([](int x) { return std::string(40, static_cast<char>('a' + x)); });
    const std::string* first = paged::sync_wait([](auto& gen) -> task<const std::string*> {
        co_return co_await gen.next();
    }(texts));
    REQUIRE(first != nullptr);
    auto rest = std::move(texts) | paged::take(2);
    CHECK(*first == std::string(40, 'a'));  // not moved away, not freed
    CHECK(all(std::move(rest)) == std::vector<std::string>{std::string(40, 'b'), std::string(40, 'c')});
}

TEST_CASE("a pipeline replaced through a reference to its base is refused when adapted, never misread",
          "[adaptors][fused]") {
    int pulled = 0;
    auto pipeline = numbers(pulled) | paged::filter(even);
    static_cast<async_generator<int>&>(pipeline) = numbers(pulled);  // a plain generator now: no adaptor layer
    CHECK_THROWS_AS(std::move(pipeline) | paged::take(3), paged::usage_error);

    auto same_type = numbers(pulled) | paged::filter(even);
    same_type = numbers(pulled) | paged::filter(even);  // the same pipeline type: assignable, and adapted as usual
    CHECK(all(std::move(same_type) | paged::take(2)) == std::vector<int>{0, 2});
}
