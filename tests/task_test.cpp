#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include "support/lifetime_log.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;
using paged::task;

namespace {

task<int> answer(bool& started) {
    started = true;
    co_return 42;
}

task<int> add_one(task<int> inner) {
    const int value = co_await std::move(inner);
    co_return value + 1;
}

task<void> mark(bool& done) {
    done = true;
    co_return;
}

task<int&> pick(int& target) {
    co_return target;
}

task<std::unique_ptr<std::string>> boxed(std::string text) {
    co_await paged::sleep_for(1ms);
    co_return std::make_unique<std::string>(std::move(text));
}

task<int> fail(std::string why) {
    throw std::runtime_error(why);
    co_return 0;
}

task<std::string> recover(task<int> inner) {
    try {
        co_await std::move(inner);
    } catch (const std::exception& e) {
        co_return std::string("caught ") + e.what();
    }
    co_return "no exception";
}

}  // namespace

TEST_CASE("a task is lazy: it starts when awaited", "[task]") {
    bool started = false;
    auto t = answer(started);
    CHECK_FALSE(started);
    CHECK(paged::sync_wait(add_one(std::move(t))) == 43);
    CHECK(started);
}

TEST_CASE("task<void>, task<T&> and move-only results", "[task]") {
    bool done = false;
    paged::sync_wait(mark(done));
    CHECK(done);

    int target = 5;
    int& same = paged::sync_wait(pick(target));
    CHECK(&same == &target);

    paged::manual_clock clock;
    paged::event_loop loop(clock);
    auto text = paged::sync_wait(loop, boxed("moved"));
    REQUIRE(text != nullptr);
    CHECK(*text == "moved");
    CHECK(clock.now() == paged::clock::time_point(1ms));
}

TEST_CASE("exceptions propagate through co_await and out of sync_wait", "[task]") {
    CHECK(paged::sync_wait(recover(fail("boom"))) == "caught boom");
    CHECK_THROWS_WITH(paged::sync_wait(add_one(fail("deep"))), "deep");
}

TEST_CASE("destroying an unstarted task runs nothing; a finished one destroys its frame once", "[task]") {
    paged_test::lifetime_log log;
    auto guarded = [](paged_test::lifetime_log& l) -> task<int> {
        paged_test::scoped_probe probe(l, "frame");
        co_return 1;
    };
    { auto t = guarded(log); }
    CHECK(log.events().empty());
    CHECK(paged::sync_wait(guarded(log)) == 1);
    CHECK(log.events() == std::vector<std::string>{"+frame", "-frame"});
}
