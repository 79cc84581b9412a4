// paged::redis::rate_limiter against a real redis-server on loopback: the schedule the script hands out (read from
// reserve(), so no sleep is timed), one budget across limiter objects, and the errors.

#include "../support/redis_server.hpp"

#include <paged/event_loop.hpp>
#include <paged/http/client.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/redis/rate_limiter.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::redis::rate_limiter;

namespace {

paged_test::redis_server& server() {
    static paged_test::redis_server instance;  // one per test process, stopped at exit
    return instance;
}

std::string fresh_key() {
    static int count = 0;
    return "paged-test:" + std::to_string(getpid()) + ":" + std::to_string(++count);
}

}  // namespace

TEST_CASE("redis limiter: a full bucket grants burst at once, then one slot per interval", "[redis]") {
    // 100 a second: the 10 reservations take far less than one 10 ms interval, so the first five all find a token.
    rate_limiter limiter("127.0.0.1", server().port(), fresh_key(), 100.0, 5);
    std::vector<rate_limiter::grant> grants;
    for (int i = 0; i < 10; ++i) grants.push_back(limiter.reserve());
    for (int i = 0; i < 5; ++i) {
        INFO("grant " << i);
        CHECK(grants[i].wait == 0us);
    }
    // The sixth slot is one interval after the first grant; each later one another interval on, on Redis's clock.
    CHECK(grants[5].at - grants[0].at == 10'000us);
    for (int i = 5; i < 10; ++i) {
        INFO("grant " << i);
        CHECK(grants[i].wait > 0us);
        CHECK(grants[i].wait <= 10'000us * (i - 4));
        if (i > 5) CHECK(grants[i].at - grants[i - 1].at == 10'000us);
    }
}

TEST_CASE("redis limiter: two limiters on one key share one budget; another key has its own", "[redis]") {
    const std::string key = fresh_key();
    rate_limiter a("127.0.0.1", server().port(), key, 1.0, 2);
    rate_limiter b("127.0.0.1", server().port(), key, 1.0, 2);
    rate_limiter other("127.0.0.1", server().port(), fresh_key(), 1.0, 2);
    const auto first = a.reserve();
    const auto second = b.reserve();
    const auto third = a.reserve();
    const auto fourth = b.reserve();
    CHECK(first.wait == 0us);
    CHECK(second.wait == 0us);  // the burst of 2, spent by two objects
    CHECK(third.at - first.at == 1s);
    CHECK(fourth.at - first.at == 2s);
    CHECK(third.wait > 900ms);
    CHECK(other.reserve().wait == 0us);
}

TEST_CASE("redis limiter: the key expires once the bucket is full again", "[redis]") {
    const std::string key = fresh_key();
    rate_limiter limiter("127.0.0.1", server().port(), key, 1000.0, 1);
    (void)limiter.reserve();
    const long long ttl = std::stoll(server().command("PTTL " + key));
    CHECK(ttl > 0);
    CHECK(ttl <= 1002);  // one interval (rounded up to a millisecond) plus a second
}

TEST_CASE("redis limiter: take() waits on the running loop for the granted slot", "[redis]") {
    // 20 a second, burst 1: three takes need at least two intervals. Only a lower bound: waits are never early.
    auto limiter = std::make_shared<rate_limiter>("127.0.0.1", server().port(), fresh_key(), 20.0, 1);
    paged::event_loop loop;
    auto three = [](std::shared_ptr<paged::request_budget> budget) -> paged::task<void> {
        for (int i = 0; i < 3; ++i) co_await budget->take();
    };
    const auto started = std::chrono::steady_clock::now();
    paged::sync_wait(loop, three(limiter));
    CHECK(std::chrono::steady_clock::now() - started >= 99ms);
}

TEST_CASE("redis limiter: the client takes it as its budget", "[redis]") {
    auto limiter = std::make_shared<rate_limiter>("127.0.0.1", server().port(), fresh_key(), 10.0, 1);
    paged::http::client_options options;
    options.limiter(limiter);
    CHECK(options.limiter() == limiter);
}

TEST_CASE("redis limiter: the script is sent again after the server lost it (NOSCRIPT)", "[redis]") {
    rate_limiter limiter("127.0.0.1", server().port(), fresh_key(), 1.0, 1);
    CHECK(limiter.reserve().wait == 0us);
    CHECK(server().command("SCRIPT FLUSH") == "OK");
    CHECK(limiter.reserve().wait > 900ms);
    CHECK(limiter.reserve().wait > 1900ms);  // EVALSHA works again: EVAL cached the script
}

TEST_CASE("redis limiter: failures are paged::redis::error naming host:port and the cause", "[redis]") {
    const int nobody = paged_test::free_loopback_port();
    const std::string address = "127.0.0.1:" + std::to_string(nobody);
    try {
        rate_limiter limiter("127.0.0.1", nobody, fresh_key(), 10.0);
        FAIL("connected to a port nobody listens on");
    } catch (const paged::redis::error& problem) {
        CHECK(problem.address() == address);
        CHECK_THAT(problem.what(), Catch::Contains(address) && Catch::Contains("refused"));
    }
    CHECK_THROWS_AS(rate_limiter("no-such-host.invalid", 6379, fresh_key(), 10.0), paged::error);

    // A command error: the key holds something else than a time.
    const std::string key = fresh_key();
    server().command("HSET " + key + " field value");
    rate_limiter limiter("127.0.0.1", server().port(), key, 10.0);
    try {
        (void)limiter.reserve();
        FAIL("a hash read as a time");
    } catch (const paged::redis::error& problem) {
        CHECK_THAT(problem.what(), Catch::Contains("127.0.0.1:" + std::to_string(server().port())) &&
                                       Catch::Contains("WRONGTYPE"));
    }
}

TEST_CASE("redis limiter: rates and bursts are checked before connecting", "[redis]") {
    // Port 1: nothing listens there, so reaching the connect would be a redis::error, not a usage_error.
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", 0.0), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", -1.0), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", std::nan("")), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", std::numeric_limits<double>::infinity()), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", 10.0, 0), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "k", 1e-9, 1000), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 1, "", 10.0), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("127.0.0.1", 0, "k", 10.0), paged::usage_error);
    CHECK_THROWS_AS(rate_limiter("", 6379, "k", 10.0), paged::usage_error);
}

TEST_CASE("README: the shared budget of N workers, as written there", "[redis][readme]") {
    ::setenv("WORKER", "1", 1);
    ::setenv("WORKERS", "4", 1);
    const std::string url = "http://127.0.0.1:9/never-reached";
    // README writes "redis.internal", 6379: the test's own server stands in for them.
    const auto port = server().port();
    auto budget = std::make_shared<paged::redis::rate_limiter>("127.0.0.1", port, "paged:budget:acme", 10.0, 1);
    paged::http::client client(paged::http::client_options().limiter(budget));
    auto api = paged::http::offset(client, paged::http::offset_options(url).page_size(100));
    const std::size_t worker = std::stoul(std::getenv("WORKER")), workers = std::stoul(std::getenv("WORKERS"));
    auto mine = paged::paginate(api, paged::walk_options().shard(worker, workers));
    CHECK(worker == 1);
    CHECK(client.in_flight() == 0);  // lazy: nothing is asked of anyone before the first pull
}
