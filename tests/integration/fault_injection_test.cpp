// The retry policy, pacing, the shared limiter and cancellation through real HTTP: the libcurl client against
// tests/support/paged_server.py, which injects scripted faults per request (/faults). Every strategy meets every
// fault; the walks run on a manual clock, so a 30-second Retry-After takes no time while the transfers are real.
// PAGED_FAULT_MATRIX=1 prints the matrix (fault x strategy: attempts, records, waits, real time).

#include <paged/blocking.hpp>
#include <paged/cancellation.hpp>
#include <paged/collect.hpp>
#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/sync_wait.hpp>
#include <paged/when_all.hpp>

#include "../support/local_server.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using nlohmann::json;
using paged::http::client;
using paged::http::retry_reason;
using time_point = paged::clock::time_point;

namespace {

paged_test::local_server& server() {
    static paged_test::local_server shared(PAGED_TEST_SERVER, 100);
    return shared;
}

enum class strategy { offset, cursor, keyset, next_link };
constexpr strategy every_strategy[] = {strategy::offset, strategy::cursor, strategy::keyset, strategy::next_link};

const char* name_of(strategy kind) {
    switch (kind) {
        case strategy::offset: return "offset";
        case strategy::cursor: return "cursor";
        case strategy::keyset: return "keyset";
        default: return "next link";
    }
}

std::string endpoint_of(strategy kind) {
    switch (kind) {
        case strategy::offset: return "/offset";
        case strategy::cursor: return "/cursor";
        case strategy::keyset: return "/stripe";
        default: return "/pages";
    }
}

paged::async_generator<json> records(client& http, const paged_test::local_server& from, strategy kind,
                                     std::size_t page_size, paged::walk_options<> options = {}) {
    const std::string url = from.url(endpoint_of(kind));
    switch (kind) {
        case strategy::offset:
            return paged::paginate(paged::http::offset(http, paged::http::offset_options(url).page_size(page_size)),
                                   std::move(options));
        case strategy::cursor:
            return paged::paginate(paged::http::cursor(http, paged::http::cursor_options(url).page_size(page_size)),
                                   std::move(options));
        case strategy::keyset:
            return paged::paginate(paged::http::keyset(http, paged::http::keyset_options(url).page_size(page_size)),
                                   std::move(options));
        default:
            return paged::paginate(
                paged::http::next_link(http, from.url("/pages?per_page=" + std::to_string(page_size))),
                std::move(options));
    }
}

std::uint64_t requests_to(const paged_test::local_server& from, strategy kind) {
    return from.stats().at("endpoints").value(endpoint_of(kind), json::object()).value("requests", std::uint64_t{0});
}

struct retry_seen {
    std::size_t attempt;
    retry_reason reason;
    paged::clock::duration wait;
    int status;
};

struct outcome {
    std::vector<std::uint64_t> ids;
    std::uint64_t requests = 0;
    std::vector<retry_seen> retries;
    paged::clock::duration virtual_time{};
    double real_ms = 0;
    std::exception_ptr error;

    paged::clock::duration waited() const {
        paged::clock::duration sum{};
        for (const auto& retry : retries) sum += retry.wait;
        return sum;
    }
};

paged::http::retry_policy seeded_policy(std::vector<retry_seen>& log) {
    const auto observer = [&log](const paged::http::retry_event& event) {
        log.push_back({event.attempt, event.reason, event.wait, event.status});
    };
    return paged::http::retry_policy().seed(2026).on_retry(observer);
}

// One walk of `kind` with `faults` installed on its endpoint, on a manual clock.
outcome walk_with_faults(strategy kind, const json& faults,
                         paged::http::retry_policy (*adjust)(paged::http::retry_policy) = nullptr) {
    server().reset();
    server().faults(json{{"endpoint", endpoint_of(kind)}, {"faults", faults}});
    outcome result;
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    auto policy = seeded_policy(result.retries);
    if (adjust != nullptr) policy = adjust(std::move(policy));
    client http(loop, paged::http::client_options()
                          .request_timeout(std::chrono::milliseconds(300))
                          .retry(std::move(policy)));
    const auto started = std::chrono::steady_clock::now();
    try {
        for (const json& record : paged::blocking(records(http, server(), kind, 10), loop)) {
            result.ids.push_back(record.at("id").get<std::uint64_t>());
        }
    } catch (const paged::error&) {
        result.error = std::current_exception();
    }
    result.real_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    result.virtual_time = clock.now() - time_point();
    result.requests = requests_to(server(), kind);
    CHECK(http.in_flight() == 0);
    CHECK(loop.pending_timers() == 0);
    return result;
}

std::vector<std::uint64_t> one_to(std::uint64_t count) {
    std::vector<std::uint64_t> ids(count);
    for (std::uint64_t i = 0; i < count; ++i) ids[i] = i + 1;
    return ids;
}

double seconds(paged::clock::duration d) { return std::chrono::duration<double>(d).count(); }

void print_row(const std::string& fault, strategy kind, const outcome& result) {
    if (std::getenv("PAGED_FAULT_MATRIX") == nullptr) return;
    std::printf("| %-34s | %-9s | %3llu | %3zu | %7.3f s | %7.1f ms |\n", fault.c_str(), name_of(kind),
                static_cast<unsigned long long>(result.requests), result.ids.size(), seconds(result.virtual_time),
                result.real_ms);
}

// What a case expects of each wait: exactly the server's hint, or a backoff under its full-jitter bound.
struct expected_wait {
    retry_reason reason;
    std::optional<paged::clock::duration> exact;
    paged::clock::duration bound{};
};

json status_fault(int request, int status) { return {{"request", request}, {"kind", "status"}, {"status", status}}; }

json with(json fault, const char* name, json value) {
    fault[name] = std::move(value);
    return fault;
}

struct fault_case {
    std::string name;
    json faults;
    std::vector<expected_wait> waits;
    paged::clock::duration paced{};  // a wait asked for by rate-limit fields (not a retry)
};

std::vector<fault_case> recoverable_faults() {
    const auto throttle = [](paged::clock::duration d) { return expected_wait{retry_reason::throttled, d}; };
    const auto backoff = [](retry_reason why, paged::clock::duration bound) {
        return expected_wait{why, std::nullopt, bound};
    };
    const auto server_error = retry_reason::server_error;
    const auto transfer = retry_reason::transfer_failed;
    return {
        {"429 Retry-After: 2", json::array({with(status_fault(2, 429), "retry_after", "2")}), {throttle(2s)}},
        {"429 Retry-After: HTTP-date (+30 s)", json::array({with(status_fault(2, 429), "retry_after_date", 30)}),
         {throttle(30s)}},
        {"503 Retry-After: 5", json::array({with(status_fault(2, 503), "retry_after", "5")}), {throttle(5s)}},
        {"403 Retry-After: 7", json::array({with(status_fault(2, 403), "retry_after", "7")}), {throttle(7s)}},
        {"503", json::array({status_fault(2, 503)}), {backoff(server_error, 1s)}},
        {"500 x3", json::array({status_fault(2, 500), status_fault(3, 500), status_fault(4, 500)}),
         {backoff(server_error, 1s), backoff(server_error, 2s), backoff(server_error, 4s)}},
        {"502", json::array({status_fault(2, 502)}), {backoff(server_error, 1s)}},
        {"504", json::array({status_fault(2, 504)}), {backoff(server_error, 1s)}},
        {"408", json::array({status_fault(2, 408)}), {backoff(server_error, 1s)}},
        {"connection reset mid-body", json::array({json{{"request", 2}, {"kind", "reset"}}}), {backoff(transfer, 1s)}},
        {"body shorter than Content-Length", json::array({json{{"request", 2}, {"kind", "short_body"}}}),
         {backoff(transfer, 1s)}},
        {"slower than request_timeout", json::array({json{{"request", 2}, {"kind", "slow"}, {"delay_ms", 1500}}}),
         {backoff(transfer, 1s)}},
        {"X-RateLimit-Remaining: 0, Reset +20 s",
         json::array({json{{"request", 2},
                           {"kind", "rate_limit_headers"},
                           {"headers", {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "{date+20}"}}}}}),
         {},
         20s},
        {"RateLimit: r=0;t=15",
         json::array({json{{"request", 2},
                           {"kind", "rate_limit_headers"},
                           {"headers", {{"RateLimit", "\"default\";r=0;t=15"}}}}}),
         {},
         15s},
    };
}

}  // namespace

TEST_CASE("faults: every strategy recovers from every transient fault, every record once and in order",
          "[integration][faults]") {
    for (const strategy kind : every_strategy) {
        const outcome clean = walk_with_faults(kind, json::array());
        CAPTURE(name_of(kind));
        REQUIRE(clean.ids == one_to(100));
        REQUIRE(clean.requests == 10);
        print_row("(none)", kind, clean);
        for (const fault_case& fault : recoverable_faults()) {
            CAPTURE(fault.name);
            const outcome result = walk_with_faults(kind, fault.faults);
            print_row(fault.name, kind, result);
            if (result.error) FAIL("the walk failed");
            CHECK(result.ids == one_to(100));
            CHECK(result.requests == clean.requests + fault.waits.size());
            REQUIRE(result.retries.size() == fault.waits.size());
            for (std::size_t i = 0; i < fault.waits.size(); ++i) {
                const retry_seen& seen = result.retries[i];
                const expected_wait& expected = fault.waits[i];
                CHECK(seen.attempt == i + 1);
                CHECK(seen.reason == expected.reason);
                if (expected.exact) {
                    CHECK(seen.wait == *expected.exact);
                } else {
                    CHECK(seen.wait >= 0s);
                    CHECK(seen.wait <= expected.bound);
                }
            }
            // Every wait was a timer on the loop's clock, and nothing else took (virtual) time.
            CHECK(result.virtual_time == result.waited() + fault.paced);
        }
    }
}

TEST_CASE("faults: when the policy gives up, the error is typed and nothing fetched is lost",
          "[integration][faults]") {
    for (const strategy kind : every_strategy) {
        CAPTURE(name_of(kind));
        {
            json faults = json::array();
            for (int request = 2; request <= 7; ++request) faults.push_back(status_fault(request, 500));
            const outcome result = walk_with_faults(kind, faults);
            print_row("500 x6 (gives up)", kind, result);
            CHECK(result.ids == one_to(10));  // page 1, handed out before page 2 failed
            CHECK(result.requests == 7);
            REQUIRE(result.error);
            try {
                std::rethrow_exception(result.error);
            } catch (const paged::http::retry_error& e) {
                CHECK(e.why() == paged::http::retry_error::reason::attempts_exhausted);
                REQUIRE(e.attempts().size() == 6);
                CHECK(e.attempts()[0].wait_before == 0s);
                for (std::size_t i = 1; i < 6; ++i) CHECK(e.attempts()[i].wait_before == result.retries[i - 1].wait);
                CHECK(e.status() == 500);
                CHECK(e.headers().get("Content-Type") == "application/json");
                CHECK_THAT(e.what(), Catch::Contains(endpoint_of(kind)) && Catch::Contains("6 tries"));
            }
        }
        {
            const outcome result =
                walk_with_faults(kind, json::array({with(status_fault(2, 429), "retry_after", "600")}));
            print_row("429 Retry-After: 600 (too long)", kind, result);
            CHECK(result.ids == one_to(10));
            CHECK(result.requests == 2);
            CHECK(result.virtual_time == 0s);
            REQUIRE(result.error);
            try {
                std::rethrow_exception(result.error);
            } catch (const paged::http::retry_error& e) {
                CHECK(e.why() == paged::http::retry_error::reason::retry_after_too_long);
                CHECK(e.wait_asked() == 600s);
                CHECK(e.headers().get("Retry-After") == "600");
                CHECK_THAT(e.what(), Catch::Contains("600000 ms"));
            }
        }
        {
            const outcome result = walk_with_faults(kind, json::array({status_fault(2, 404)}));
            print_row("404 (not retried)", kind, result);
            CHECK(result.ids == one_to(10));
            CHECK(result.requests == 2);
            CHECK(result.retries.empty());
            REQUIRE(result.error);
            try {
                std::rethrow_exception(result.error);
            } catch (const paged::http::status_error& e) {
                CHECK(e.status() == 404);
            }
        }
    }
}

TEST_CASE("faults: throttles do not count as attempts but share the wait budget", "[integration][faults]") {
    json faults = json::array();
    for (int request = 2; request <= 9; ++request) faults.push_back(with(status_fault(request, 429), "retry_after", "1"));
    const outcome patient = walk_with_faults(strategy::offset, faults);
    CHECK(patient.ids == one_to(100));  // eight 429s in a row, more than max_attempts, are still waited out
    CHECK(patient.retries.size() == 8);
    CHECK(patient.virtual_time == 8s);

    faults = json::array();
    for (int request = 2; request <= 6; ++request) faults.push_back(with(status_fault(request, 429), "retry_after", "100"));
    const outcome budgeted = walk_with_faults(strategy::offset, faults, [](paged::http::retry_policy policy) {
        return std::move(policy).max_total_wait(250s);
    });
    CHECK(budgeted.ids == one_to(10));
    CHECK(budgeted.virtual_time == 200s);  // the third 100 s wait would pass 250 s
    REQUIRE(budgeted.error);
    try {
        std::rethrow_exception(budgeted.error);
    } catch (const paged::http::retry_error& e) {
        CHECK(e.why() == paged::http::retry_error::reason::wait_budget_exhausted);
        CHECK(e.attempts().size() == 3);
    }

    // A throttle that asks for no wait counts as a failure: "429, Retry-After: 0" forever ends after max_attempts.
    faults = json::array();
    for (int request = 2; request <= 20; ++request) faults.push_back(with(status_fault(request, 429), "retry_after", "0"));
    const outcome impatient = walk_with_faults(strategy::offset, faults);
    CHECK(impatient.ids == one_to(10));
    CHECK(impatient.requests == 7);
    REQUIRE(impatient.error);
    try {
        std::rethrow_exception(impatient.error);
    } catch (const paged::http::retry_error& e) {
        CHECK(e.why() == paged::http::retry_error::reason::attempts_exhausted);
    }
}

TEST_CASE("faults: the same seed gives the same waits", "[integration][faults]") {
    const json faults = json::array({status_fault(2, 500), status_fault(3, 502), status_fault(4, 503)});
    const outcome first = walk_with_faults(strategy::cursor, faults);
    const outcome second = walk_with_faults(strategy::cursor, faults);
    REQUIRE(first.retries.size() == 3);
    REQUIRE(second.retries.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(first.retries[i].wait == second.retries[i].wait);
    CHECK(first.virtual_time == second.virtual_time);
}

TEST_CASE("faults: retry_policy::none() hands every failure straight back", "[integration][faults]") {
    const outcome result = walk_with_faults(strategy::offset, json::array({status_fault(2, 503)}),
                                            [](paged::http::retry_policy) { return paged::http::retry_policy::none(); });
    CHECK(result.ids == one_to(10));
    CHECK(result.requests == 2);
    REQUIRE(result.error);
    CHECK_THROWS_AS(std::rethrow_exception(result.error), paged::http::status_error);
}

TEST_CASE("faults: a deadline ends a walk during a Retry-After wait; a stop_token from another thread during a "
          "transfer", "[integration][faults][cancellation]") {
    server().reset();
    server().faults(json{{"endpoint", "/offset"}, {"faults", json::array({with(status_fault(2, 429), "retry_after", "30")})}});
    {
        paged::manual_clock clock;
        paged::event_loop loop(clock);
        client http(loop);
        std::size_t seen = 0;
        try {
            for ([[maybe_unused]] const json& record :
                 paged::blocking(records(http, server(), strategy::offset, 10, paged::walk_options().timeout(10s)), loop)) {
                ++seen;
            }
            FAIL("no deadline");
        } catch (const paged::deadline_exceeded&) {
        }
        CHECK(seen == 10);
        CHECK(clock.now() == time_point(10s));  // not 30 s: the wait was cut short
        CHECK(loop.pending_timers() == 0);
        CHECK(http.in_flight() == 0);
    }

    server().reset();
    server().faults(
        json{{"endpoint", "/offset"}, {"faults", json::array({json{{"request", 2}, {"kind", "slow"}, {"delay_ms", 5000}}})}});
    paged::event_loop loop;  // real time: the transfer of page 2 is really in flight
    client http(loop);
    std::stop_source stop;
    // The stop comes once the server holds request 2 (the slow one): the server's counters say when, read by
    // polling them (this thread has no other way to see it), never by guessing a delay.
    std::thread stopper([&] {
        while (requests_to(server(), strategy::offset) < 2) std::this_thread::sleep_for(5ms);
        stop.request_stop();
    });
    std::size_t seen = 0;
    const auto started = std::chrono::steady_clock::now();
    try {
        auto walk = records(http, server(), strategy::offset, 10, paged::walk_options().stop_token(stop.get_token()));
        for ([[maybe_unused]] const json& record : paged::blocking(std::move(walk), loop)) ++seen;
        FAIL("not cancelled");
    } catch (const paged::cancelled&) {
    }
    stopper.join();
    CHECK(seen == 10);
    CHECK(requests_to(server(), strategy::offset) == 2);
    CHECK(http.in_flight() == 0);
    // Promptly: not after the 5 s response (a generous bound, so that a loaded machine cannot fail it).
    CHECK(std::chrono::steady_clock::now() - started < 4s);
}

TEST_CASE("faults: a plain send can be cancelled too", "[integration][faults][cancellation]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    const auto slow_send = [&]() -> paged::task<paged::http::response> {
        co_return co_await paged::cancellable(http.send(paged::http::request(server().url("/offset?delay_ms=3000"))),
                                              paged::cancellation().timeout(200ms));
    };
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(paged::sync_wait(loop, slow_send()), paged::deadline_exceeded);
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);
    CHECK(http.in_flight() == 0);
}

TEST_CASE("faults: walks sharing a limiter never exceed it and leave no slot unused", "[integration][limiter]") {
    server().reset();
    paged::manual_clock clock;
    paged::event_loop loop(clock);
    // One a second: while a grant is pending, the loop polls the real transfers for up to the virtual time left (a
    // second of real time), so only a response slower than that could move the manual clock.
    auto limiter = std::make_shared<paged::rate_limiter>(1, 1, clock);
    client http(loop, paged::http::client_options().limiter(limiter));
    std::vector<time_point> arrivals;
    const auto note = [&](const paged::page_event&) { arrivals.push_back(clock.now()); };
    const auto walk = [&](strategy kind) -> paged::task<std::size_t> {
        auto found = co_await paged::collect(records(http, server(), kind, 10, paged::walk_options().on_page(note)));
        co_return found.size();
    };
    const auto [a, b, c, d] = paged::sync_wait(
        loop, paged::when_all(walk(strategy::offset), walk(strategy::cursor), walk(strategy::keyset), walk(strategy::next_link)));
    CHECK(a + b + c + d == 400);
    REQUIRE(arrivals.size() == 40);
    std::sort(arrivals.begin(), arrivals.end());
    // Exactly one request a second from 0 to 39 s: the budget is never exceeded, and never left idle.
    for (std::size_t i = 0; i < arrivals.size(); ++i) CHECK(arrivals[i] == time_point(1s * static_cast<int>(i)));
}

TEST_CASE("faults: threads with their own loops share one limiter", "[integration][limiter]") {
    server().reset();
    auto limiter = std::make_shared<paged::rate_limiter>(50, 1);  // real clock: 40 requests take at least 0.78 s
    std::vector<std::size_t> counts(4);
    const auto started = std::chrono::steady_clock::now();
    {
        std::vector<std::jthread> workers;
        for (std::size_t i = 0; i < 4; ++i) {
            workers.emplace_back([&, i] {
                paged::event_loop loop;
                client http(loop, paged::http::client_options().limiter(limiter));
                for ([[maybe_unused]] const json& record : paged::blocking(records(http, server(), every_strategy[i], 10), loop)) {
                    ++counts[i];
                }
            });
        }
    }
    CHECK(counts == std::vector<std::size_t>(4, 100));
    // Grants are never early: 40 requests at 50/s cannot finish before the 39th slot, 780 ms after the first.
    CHECK(std::chrono::steady_clock::now() - started >= 780ms);
}

TEST_CASE("faults: max_requests_per_host caps the requests in flight", "[integration][limiter]") {
    for (const std::size_t cap : {std::size_t{1}, std::size_t{2}}) {
        server().reset();
        paged::event_loop loop;
        client http(loop, paged::http::client_options().max_requests_per_host(cap));
        const auto slow_get = [&]() -> paged::task<int> {
            const auto reply = co_await http.get(server().url("/cursor?limit=1&delay_ms=50"));
            co_return reply.status;
        };
        const auto statuses = paged::sync_wait(loop, paged::when_all(slow_get(), slow_get(), slow_get(), slow_get()));
        CHECK(std::get<0>(statuses) + std::get<1>(statuses) + std::get<2>(statuses) + std::get<3>(statuses) == 800);
        CHECK(server().stats().at("endpoints").at("/cursor").at("max_in_flight") == cap);
    }
}

TEST_CASE("faults: soak: 20% random faults over a 100,000-record walk lose and duplicate nothing",
          "[integration][faults][soak]") {
    static paged_test::local_server big(PAGED_TEST_SERVER, 100'000);
    const json kinds = json::array({
        json{{"kind", "status"}, {"status", 429}, {"retry_after", "1"}},
        json{{"kind", "status"}, {"status", 500}},
        json{{"kind", "status"}, {"status", 502}},
        json{{"kind", "status"}, {"status", 503}},
        json{{"kind", "status"}, {"status", 504}},
        json{{"kind", "status"}, {"status", 408}},
        json{{"kind", "reset"}},
        json{{"kind", "short_body"}},
        json{{"kind", "rate_limit_headers"}, {"headers", {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "{date+1}"}}}},
    });
    for (const strategy kind : {strategy::offset, strategy::next_link}) {
        CAPTURE(name_of(kind));
        big.reset();
        big.faults(json{{"endpoint", endpoint_of(kind)}, {"random", {{"rate", 0.2}, {"seed", 7}, {"kinds", kinds}}}});
        paged::manual_clock clock;
        paged::event_loop loop(clock);
        std::size_t retries = 0;
        const auto count = [&](const paged::http::retry_event&) { ++retries; };
        // Ten tries: at a 20% fault rate, six failures in a row happen about once in 10,000 pages.
        client http(loop, paged::http::client_options().retry(
                              paged::http::retry_policy().seed(7).max_attempts(10).max_total_wait(1h).on_retry(count)));
        std::uint64_t expected = 1;
        for (const json& record : paged::blocking(records(http, big, kind, 100), loop)) {
            const auto id = record.at("id").get<std::uint64_t>();
            if (id != expected) FAIL("expected id " << expected << ", got " << id);
            ++expected;
        }
        CHECK(expected - 1 == 100'000);
        const json stats = big.stats();
        const json injected = stats.at("faults").at(endpoint_of(kind));
        const auto faults = injected.at("injected").get<std::size_t>();
        const auto paced = injected.at("by_kind").value("rate_limit_headers", std::size_t{0});
        if (std::getenv("PAGED_FAULT_MATRIX") != nullptr) {
            std::printf("soak %s: %llu requests, %zu faults (%s), %zu retries, %.0f s virtual\n", name_of(kind),
                        static_cast<unsigned long long>(requests_to(big, kind)), faults, injected.at("by_kind").dump().c_str(),
                        retries, seconds(clock.now() - time_point()));
        }
        CHECK(retries == faults - paced);  // every fault but the rate-limit warnings cost one retry
        CHECK(requests_to(big, kind) == 1000 + retries);
        CHECK(faults > 200);  // about 20% of ~1,250 requests
    }
}

namespace readme {
// README's "Failure handling" example as written there, against the local server (with faults on both endpoints).
std::pair<std::size_t, std::size_t> failure_handling_example(const std::string& orders_url, const std::string& refunds_url) {
    const auto log_retry = [](const paged::http::retry_event& e) {
        std::clog << "attempt " << e.attempt << " failed (" << e.status << "), retrying in "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(e.wait).count() << " ms\n";
    };
    // One budget for every worker of the account, on any thread: 10 requests a second.
    auto budget = std::make_shared<paged::rate_limiter>(10.0);
    paged::http::client client(paged::http::client_options()
                                   .retry(paged::http::retry_policy().max_attempts(8).on_retry(log_retry))
                                   .limiter(budget)
                                   .max_requests_per_host(4));
    auto orders = paged::http::cursor(client, paged::http::cursor_options(orders_url));
    auto refunds = paged::http::offset(client, paged::http::offset_options(refunds_url));
    std::stop_source stop;  // stop.request_stop() from any thread ends both walks at once
    auto [a, b] = paged::sync_wait(paged::when_all(
        paged::collect(paged::paginate(orders, paged::walk_options().stop_token(stop.get_token()).timeout(10min))),
        paged::collect(paged::paginate(refunds, paged::walk_options().stop_token(stop.get_token())))));
    return {a.size(), b.size()};
}
}  // namespace readme

TEST_CASE("README: the failure handling example", "[integration][faults][readme]") {
    server().reset();
    server().faults(json{{"endpoint", "/cursor"}, {"faults", json::array({status_fault(1, 502)})}});
    server().faults(json{{"endpoint", "/offset"}, {"faults", json::array({json{{"request", 1}, {"kind", "reset"}}})}});
    const auto [orders, refunds] = readme::failure_handling_example(server().url("/cursor"), server().url("/offset"));
    CHECK(orders == 100);
    CHECK(refunds == 100);
    CHECK(requests_to(server(), strategy::cursor) == 2);
    CHECK(requests_to(server(), strategy::offset) == 2);
}
