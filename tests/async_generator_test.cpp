#include <paged/async_generator.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/lifetime_log.hpp"
#include "support/start.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::async_generator;
using paged::task;
using paged_test::lifetime_log;
using paged_test::scoped_probe;

namespace {

async_generator<int> count_to(int n, int& produced) {
    for (int i = 1; i <= n; ++i) {
        ++produced;
        co_yield i;
    }
}

task<std::vector<int>> read_all_with_iterator(async_generator<int> gen) {
    std::vector<int> seen;
    for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) seen.push_back(*it);
    co_return seen;
}

task<std::vector<int>> read_all_with_next(async_generator<int> gen) {
    std::vector<int> seen;
    while (auto* item = co_await gen.next()) seen.push_back(*item);
    co_return seen;
}

}  // namespace

TEST_CASE("nothing runs before the first await, then one item per await", "[async_generator]") {
    int produced = 0;
    auto gen = count_to(3, produced);
    CHECK(produced == 0);

    paged::sync_wait([](async_generator<int>& g, int& counter) -> task<void> {
        auto it = co_await g.begin();
        CHECK(counter == 1);
        CHECK(*it == 1);
        (void)co_await ++it;
        CHECK(counter == 2);
        CHECK(*it == 2);
    }(gen, produced));
    CHECK(produced == 2);
}

TEST_CASE("both loop forms see every item in order", "[async_generator]") {
    int produced = 0;
    CHECK(paged::sync_wait(read_all_with_iterator(count_to(5, produced))) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(paged::sync_wait(read_all_with_next(count_to(5, produced))) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(paged::sync_wait(read_all_with_next(count_to(0, produced))).empty());
}

namespace {

async_generator<paged_test::counted> yield_lvalue(paged_test::copy_counter& counter, const void*& address) {
    paged_test::counted value(counter, 7);
    address = &value;
    co_yield value;
}

async_generator<paged_test::counted> yield_rvalue(paged_test::copy_counter& counter) {
    co_yield paged_test::counted(counter, 8);
}

task<int> read_first(async_generator<paged_test::counted> gen, const void** address) {
    auto it = co_await gen.begin();
    if (address != nullptr) *address = &*it;
    co_return (*it).value();
}

}  // namespace

TEST_CASE("co_yield of an lvalue hands the consumer that very object", "[async_generator]") {
    paged_test::copy_counter counter;
    const void* produced_at = nullptr;
    const void* consumed_at = nullptr;
    CHECK(paged::sync_wait(read_first(yield_lvalue(counter, produced_at), &consumed_at)) == 7);
    CHECK(produced_at == consumed_at);
    CHECK(counter.copies == 0);
    CHECK(counter.moves == 0);
}

TEST_CASE("co_yield of an rvalue neither copies nor moves it", "[async_generator]") {
    paged_test::copy_counter counter;
    CHECK(paged::sync_wait(read_first(yield_rvalue(counter), nullptr)) == 8);
    CHECK(counter.copies == 0);
    CHECK(counter.moves == 0);
}

namespace {

async_generator<std::unique_ptr<int>> boxes(int n) {
    for (int i = 0; i < n; ++i) co_yield std::make_unique<int>(i);
}

async_generator<std::string> from_const_and_convertible() {
    const std::string constant = "constant";
    co_yield constant;     // const lvalue: copied once, the original is untouched
    co_yield "converted";  // const char*: converted to std::string
}

}  // namespace

TEST_CASE("move-only items can be moved out by the consumer", "[async_generator]") {
    auto taken = paged::sync_wait([](async_generator<std::unique_ptr<int>> gen) -> task<std::vector<int>> {
        std::vector<std::unique_ptr<int>> owned;
        for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) owned.push_back(std::move(*it));
        std::vector<int> values;
        for (const auto& box : owned) values.push_back(*box);
        co_return values;
    }(boxes(3)));
    CHECK(taken == std::vector<int>{0, 1, 2});
}

TEST_CASE("const lvalues and convertible values are converted to T", "[async_generator]") {
    auto seen = paged::sync_wait([](async_generator<std::string> gen) -> task<std::vector<std::string>> {
        std::vector<std::string> out;
        while (auto* s = co_await gen.next()) out.push_back(*s);
        co_return out;
    }(from_const_and_convertible()));
    CHECK(seen == std::vector<std::string>{"constant", "converted"});
}

namespace {

async_generator<int&> elements(std::vector<int>& values) {
    for (auto& v : values) co_yield v;
}

async_generator<const std::string&> names(const std::vector<std::string>& source) {
    for (const auto& s : source) co_yield s;
}

}  // namespace

TEST_CASE("reference types: the consumer sees (and may write through) the producer's objects", "[async_generator]") {
    std::vector<int> values{1, 2, 3};
    paged::sync_wait([](async_generator<int&> gen) -> task<void> {
        for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) *it *= 10;
    }(elements(values)));
    CHECK(values == std::vector<int>{10, 20, 30});

    const std::vector<std::string> source{"a", "b"};
    auto addresses = paged::sync_wait([](async_generator<const std::string&> gen) -> task<std::vector<const void*>> {
        std::vector<const void*> out;
        for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) out.push_back(&*it);
        co_return out;
    }(names(source)));
    CHECK(addresses == std::vector<const void*>{&source[0], &source[1]});
}

namespace {

async_generator<int> fails_after(int good, lifetime_log& log) {
    scoped_probe probe(log, "body");
    for (int i = 0; i < good; ++i) co_yield i;
    throw std::runtime_error("page 3 failed");
}

}  // namespace

TEST_CASE("an exception in the body is rethrown from the await that resumed it, then the stream is over",
          "[async_generator]") {
    lifetime_log log;
    auto outcome = paged::sync_wait([](async_generator<int> gen) -> task<std::string> {
        std::string trace;
        auto it = co_await gen.begin();
        trace += std::to_string(*it);
        try {
            (void)co_await ++it;
            trace += "no exception";
        } catch (const std::runtime_error& e) {
            trace += std::string(" caught:") + e.what();
        }
        trace += it == gen.end() ? " at end" : " not at end";
        auto* after = co_await gen.next();
        trace += after == nullptr ? " next=null" : " next=item";
        co_return trace;
    }(fails_after(1, log)));
    CHECK(outcome == "0 caught:page 3 failed at end next=null");
    CHECK(log.events() == std::vector<std::string>{"+body", "-body"});
}

TEST_CASE("an exception before the first item comes out of begin()", "[async_generator]") {
    lifetime_log log;
    CHECK_THROWS_WITH(paged::sync_wait(read_all_with_iterator(fails_after(0, log))), "page 3 failed");
}

namespace {

async_generator<int> guarded_numbers(lifetime_log& log) {
    scoped_probe outer(log, "outer");
    for (int i = 0;; ++i) {
        scoped_probe inner(log, "item" + std::to_string(i));
        co_yield i;
    }
}

task<void> break_after(async_generator<int> gen, int last) {
    for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) {
        if (*it == last) break;
    }
    co_return;
}

task<void> return_early(async_generator<int> gen, int last, lifetime_log& log) {
    auto it = co_await gen.begin();
    while (*it != last) (void)co_await ++it;
    log.add("consumer returns");
    co_return;
}

task<void> throw_in_consumer(async_generator<int> gen) {
    auto it = co_await gen.begin();
    (void)co_await ++it;
    throw std::runtime_error("consumer failed");
}

}  // namespace

TEST_CASE("stopping early destroys the frame: every local once, in reverse order", "[async_generator]") {
    const std::vector<std::string> expected{"+outer", "+item0", "-item0", "+item1", "-item1", "+item2", "-item2",
                                            "-outer"};
    SECTION("break") {
        lifetime_log log;
        paged::sync_wait(break_after(guarded_numbers(log), 2));
        CHECK(log.events() == expected);
    }
    SECTION("the consumer's co_return") {
        lifetime_log log;
        paged::sync_wait(return_early(guarded_numbers(log), 2, log));
        auto events = log.events();
        REQUIRE(events.size() == expected.size() + 1);
        CHECK(events[6] == "consumer returns");
        events.erase(events.begin() + 6);
        CHECK(events == expected);
    }
    SECTION("the consumer's exception") {
        lifetime_log log;
        CHECK_THROWS_WITH(paged::sync_wait(throw_in_consumer(guarded_numbers(log))), "consumer failed");
        CHECK(log.events() == std::vector<std::string>{"+outer", "+item0", "-item0", "+item1", "-item1", "-outer"});
    }
    SECTION("destroying an unstarted generator runs nothing") {
        lifetime_log log;
        { auto gen = guarded_numbers(log); }
        CHECK(log.events().empty());
    }
}

namespace {

async_generator<int> sleepy(lifetime_log& log) {
    scoped_probe probe(log, "sleepy");
    co_yield 1;
    {
        scoped_probe waiting(log, "waiting");
        co_await paged::sleep_for(10s);
    }
    log.add("woke up");
    co_yield 2;
}

task<void> consume_sleepy(async_generator<int>& gen, lifetime_log& log) {
    auto it = co_await gen.begin();
    log.add("got " + std::to_string(*it));
    (void)co_await ++it;
    log.add("consumer resumed");
}

task<void> destroy_after(async_generator<int>& gen, std::chrono::seconds delay) {
    co_await paged::sleep_for(delay);
    gen = async_generator<int>();
}

task<void> consume_owned(async_generator<int> gen, lifetime_log& log) {
    co_await consume_sleepy(gen, log);
}

}  // namespace

TEST_CASE("destroying a generator suspended in a timer cancels the timer; nothing is resumed afterwards",
          "[async_generator][event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;

    SECTION("the generator is destroyed by another coroutine while its consumer waits") {
        auto gen = sleepy(log);
        auto consumer = consume_sleepy(gen, log);
        paged_test::start(loop, consumer);
        CHECK(loop.pending_timers() == 1);

        paged::sync_wait(loop, destroy_after(gen, 1s));
        CHECK(loop.pending_timers() == 0);
        CHECK(clock.now() == paged::clock::time_point(1s));
        clock.advance(1h);
        CHECK(loop.run_due() == 0);
    }
    SECTION("the consumer, which owns the generator, is destroyed while it waits") {
        {
            auto consumer = consume_owned(sleepy(log), log);
            paged_test::start(loop, consumer);
            CHECK(loop.pending_timers() == 1);
        }
        CHECK(loop.pending_timers() == 0);
        clock.advance(1h);
        CHECK(loop.run_due() == 0);
    }
    CHECK(log.events() == std::vector<std::string>{"+sleepy", "got 1", "+waiting", "-waiting", "-sleepy"});
}

TEST_CASE("a consumer destroyed while it waits is never resumed by the generator it waited for",
          "[async_generator][event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;
    auto gen = sleepy(log);
    {
        auto consumer = consume_sleepy(gen, log);
        paged_test::start(loop, consumer);
        CHECK(loop.pending_timers() == 1);
    }  // the consumer's frame is gone; the generator still sleeps
    clock.advance(10s);
    CHECK(loop.run_due() == 1);  // the generator wakes, yields 2, and hands control back to nobody
    CHECK(log.events() == std::vector<std::string>{"+sleepy", "got 1", "+waiting", "-waiting", "woke up"});
}

namespace {

async_generator<const paged_test::counted> constant_items(paged_test::copy_counter& counter) {
    paged_test::counted lvalue(counter, 1);
    co_yield lvalue;
    co_yield paged_test::counted(counter, 2);
}

}  // namespace

namespace {

// Fails after real I/O: the consumer is parked when the body throws, so the error travels the parked path.
async_generator<int> fails_after_sleeping(lifetime_log& log) {
    scoped_probe probe(log, "body");
    co_yield 1;
    co_await paged::sleep_for(10s);
    throw std::runtime_error("failed after sleeping");
}

}  // namespace

TEST_CASE("an exception thrown after the generator waited on I/O is rethrown from the parked await",
          "[async_generator][event_loop]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;
    SECTION("co_await ++it") {
        auto outcome = paged::sync_wait(loop, [](async_generator<int> gen) -> task<std::string> {
            std::string trace;
            auto it = co_await gen.begin();
            trace += std::to_string(*it);
            try {
                (void)co_await ++it;
                trace += " no exception";
            } catch (const std::runtime_error& e) {
                trace += std::string(" caught:") + e.what();
            }
            trace += it == gen.end() ? " at end" : " not at end";
            co_return trace;
        }(fails_after_sleeping(log)));
        CHECK(outcome == "1 caught:failed after sleeping at end");
    }
    SECTION("co_await gen.next()") {
        auto outcome = paged::sync_wait(loop, [](async_generator<int> gen) -> task<std::string> {
            std::string trace;
            trace += std::to_string(*co_await gen.next());
            try {
                (void)co_await gen.next();
                trace += " no exception";
            } catch (const std::runtime_error& e) {
                trace += std::string(" caught:") + e.what();
            }
            auto* after = co_await gen.next();
            trace += after == nullptr ? " next=null" : " next=item";
            co_return trace;
        }(fails_after_sleeping(log)));
        CHECK(outcome == "1 caught:failed after sleeping next=null");
    }
    CHECK(clock.now() == paged::clock::time_point(10s));
    CHECK(log.events() == std::vector<std::string>{"+body", "-body"});
}

TEST_CASE("next() rethrows an exception thrown inline, then reports the end", "[async_generator]") {
    lifetime_log log;
    auto outcome = paged::sync_wait([](async_generator<int> gen) -> task<std::string> {
        std::string trace;
        trace += std::to_string(*co_await gen.next());
        try {
            (void)co_await gen.next();
            trace += " no exception";
        } catch (const std::runtime_error& e) {
            trace += std::string(" caught:") + e.what();
        }
        auto* after = co_await gen.next();
        trace += after == nullptr ? " next=null" : " next=item";
        co_return trace;
    }(fails_after(1, log)));
    CHECK(outcome == "0 caught:page 3 failed next=null");
}

TEST_CASE("a generator of const values neither copies nor moves what it yields", "[async_generator]") {
    paged_test::copy_counter counter;
    auto values = paged::sync_wait([](async_generator<const paged_test::counted> gen) -> task<std::vector<int>> {
        std::vector<int> out;
        while (auto* item = co_await gen.next()) out.push_back(item->value());
        co_return out;
    }(constant_items(counter)));
    CHECK(values == std::vector<int>{1, 2});
    CHECK(counter.copies == 0);
    CHECK(counter.moves == 0);
}

TEST_CASE("a generator that waits on timers resumes its consumer when the item is ready", "[async_generator]") {
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    lifetime_log log;
    paged::sync_wait(loop, consume_owned(sleepy(log), log));
    CHECK(clock.now() == paged::clock::time_point(10s));
    CHECK(log.events() ==
          std::vector<std::string>{"+sleepy", "got 1", "+waiting", "-waiting", "woke up", "consumer resumed", "-sleepy"});
}
