// The retry policy's decisions and the fields it reads, without a server: which responses and transfer failures are
// retried, how long the server asks to wait, and the backoff bounds. The retry loop itself runs against a real server
// in tests/integration/fault_injection_test.cpp.

#include <paged/http/error.hpp>
#include <paged/http/retry_after.hpp>
#include <paged/http/retry_policy.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::http::request;
using paged::http::response;
using paged::http::retry_policy;
using paged::http::retry_reason;

namespace {

response reply(int status, std::vector<std::pair<std::string, std::string>> fields = {}) {
    response made;
    made.status = status;
    for (auto& [name, value] : fields) made.headers.add(name, value);
    return made;
}

const request get_request("https://api.example.com/items");

}  // namespace

TEST_CASE("Retry-After as delta-seconds or as an HTTP-date measured from the response's Date", "[retry]") {
    CHECK(paged::http::retry_after(reply(429, {{"Retry-After", "2"}})) == 2s);
    CHECK(paged::http::retry_after(reply(429, {{"Retry-After", " 120 "}})) == 120s);
    CHECK(paged::http::retry_after(reply(503, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                               {"Retry-After", "Sun, 06 Nov 1994 08:50:07 GMT"}})) == 30s);
    // The obsolete forms libcurl also reads (RFC 850, asctime).
    CHECK(paged::http::retry_after(reply(503, {{"Date", "Sunday, 06-Nov-94 08:49:37 GMT"},
                                               {"Retry-After", "Sun Nov  6 08:49:47 1994"}})) == 10s);
    // A date in the past is "now", not a negative wait.
    CHECK(paged::http::retry_after(reply(503, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                               {"Retry-After", "Sun, 06 Nov 1994 08:00:00 GMT"}})) == 0s);
    // Without a Date field, an HTTP-date is measured from this machine's clock: one a day ahead is about a day.
    const auto tomorrow = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + 24h);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&tomorrow));
    const auto ahead = paged::http::retry_after(reply(429, {{"Retry-After", text}}));
    REQUIRE(ahead);
    CHECK(*ahead > 23h);
    CHECK(*ahead <= 24h);
    // Absent or malformed: no hint (the policy's backoff applies).
    CHECK_FALSE(paged::http::retry_after(reply(429)));
    CHECK_FALSE(paged::http::retry_after(reply(429, {{"Retry-After", "-5"}})));
    CHECK_FALSE(paged::http::retry_after(reply(429, {{"Retry-After", "soon"}})));
    CHECK_FALSE(paged::http::retry_after(reply(429, {{"Retry-After", "1.5"}})));
    // Hostile sizes are clamped, never wrapped into a negative wait.
    CHECK(paged::http::retry_after(reply(429, {{"Retry-After", "10000000000000"}})) == std::chrono::seconds(1'000'000'000));
    CHECK_FALSE(paged::http::retry_after(reply(429, {{"Retry-After", "99999999999999999999999"}})));
}

TEST_CASE("rate-limit fields say when a spent budget resets", "[retry]") {
    using paged::http::rate_limit_reset;
    // GitHub: epoch seconds, measured from the response's Date.
    CHECK(rate_limit_reset(reply(200, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                       {"X-RateLimit-Remaining", "0"},
                                       {"X-RateLimit-Reset", "784111797"}})) == 20s);
    // Others send seconds in the same fields.
    CHECK(rate_limit_reset(reply(200, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "42"}})) == 42s);
    // IETF drafts: separate fields (00-03), one dictionary (05-07), one list member per policy (08+).
    CHECK(rate_limit_reset(reply(200, {{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "7"}})) == 7s);
    CHECK(rate_limit_reset(reply(200, {{"RateLimit", "limit=100, remaining=0, reset=50"}})) == 50s);
    CHECK(rate_limit_reset(reply(200, {{"RateLimit", "\"default\";r=0;t=30"}})) == 30s);
    CHECK(rate_limit_reset(reply(200, {{"RateLimit", "\"hour\";r=10;t=3000, \"minute\";r=0;t=15"}})) == 15s);
    // Budget left, nothing said, or nonsense: no pause.
    CHECK_FALSE(rate_limit_reset(reply(200, {{"X-RateLimit-Remaining", "3"}, {"X-RateLimit-Reset", "42"}})));
    CHECK_FALSE(rate_limit_reset(reply(200, {{"RateLimit", "\"default\";r=5;t=30"}})));
    CHECK_FALSE(rate_limit_reset(reply(200, {{"X-RateLimit-Remaining", "0"}})));
    CHECK_FALSE(rate_limit_reset(reply(200, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "later"}})));
    CHECK_FALSE(rate_limit_reset(reply(200)));
    // Found by tests/fuzz/rate_limit_fields_fuzz: the largest reset against a Date before 1970 overflowed the
    // subtraction (UBSan); it is clamped like any other hostile size.
    CHECK(rate_limit_reset(reply(200, {{"Date", "Thu, 01 Jan 1960 00:00:00 GMT"},
                                       {"X-RateLimit-Remaining", "0"},
                                       {"X-RateLimit-Reset", "9223372036854775807"}})) ==
          std::chrono::seconds(1'000'000'000));
}

TEST_CASE("which responses are retried, and whether they count as failed attempts", "[retry]") {
    const retry_policy policy;
    const auto judged = [&](const response& answer) { return policy.judge(get_request, answer); };

    for (int status : {500, 502, 503, 504, 408}) {
        CAPTURE(status);
        const auto verdict = judged(reply(status));
        REQUIRE(verdict);
        CHECK(verdict->reason == retry_reason::server_error);
        CHECK(verdict->counts_as_attempt);
        CHECK_FALSE(verdict->asked);
    }
    const auto throttled = judged(reply(429, {{"Retry-After", "3"}}));
    REQUIRE(throttled);
    CHECK(throttled->reason == retry_reason::throttled);
    CHECK_FALSE(throttled->counts_as_attempt);
    CHECK(throttled->asked == 3s);
    CHECK(judged(reply(429))->asked == std::nullopt);  // backoff then
    CHECK(judged(reply(429, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "9"}}))->asked == 9s);
    CHECK(judged(reply(503, {{"Retry-After", "4"}}))->asked == 4s);
    CHECK(judged(reply(403, {{"Retry-After", "60"}}))->reason == retry_reason::throttled);           // GitHub secondary
    CHECK(judged(reply(403, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "5"}}))->asked == 5s);  // primary

    for (int status : {200, 204, 301, 400, 401, 403, 404, 409, 422, 501}) {
        CAPTURE(status);
        CHECK_FALSE(judged(reply(status)));
    }
}

TEST_CASE("only idempotent requests are retried, unless a request is marked so", "[retry]") {
    const retry_policy policy;
    const auto posted = request("https://api.example.com/search").method("POST");
    CHECK_FALSE(posted.idempotent());
    CHECK_FALSE(policy.judge(posted, reply(503)));
    CHECK_FALSE(policy.judge_failure(posted, CURLE_RECV_ERROR));
    CHECK(policy.judge(request(posted).idempotent(true), reply(503)));
    CHECK(request("https://x.example/").method("PUT").idempotent());
    CHECK_FALSE(request("https://x.example/").idempotent(false).idempotent());
    CHECK_FALSE(retry_policy::none().judge(get_request, reply(503)));
    CHECK_FALSE(retry_policy::none().judge(get_request, reply(429, {{"Retry-After", "1"}})));
}

TEST_CASE("transfer failures that may pass are retried; the others are not", "[retry]") {
    const retry_policy policy;
    for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING,
                          CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_COULDNT_RESOLVE_HOST}) {
        CAPTURE(code);
        const auto verdict = policy.judge_failure(get_request, code);
        REQUIRE(verdict);
        CHECK(verdict->reason == retry_reason::transfer_failed);
        CHECK(verdict->counts_as_attempt);
    }
    for (CURLcode code : {CURLE_PEER_FAILED_VERIFICATION, CURLE_TOO_MANY_REDIRECTS, CURLE_URL_MALFORMAT,
                          CURLE_UNSUPPORTED_PROTOCOL, CURLE_WRITE_ERROR}) {
        CAPTURE(code);
        CHECK_FALSE(policy.judge_failure(get_request, code));
    }
}

TEST_CASE("backoff is full jitter under a doubling bound, capped, and repeatable from a seed", "[retry]") {
    const auto policy = retry_policy().base_delay(100ms).max_delay(1s);
    std::mt19937_64 first(42), second(42);
    std::vector<paged::clock::duration> drawn;
    for (std::size_t n = 1; n <= 8; ++n) {
        const auto bound = std::min<paged::clock::duration>(1s, 100ms * (1 << (n - 1)));
        for (int sample = 0; sample < 200; ++sample) {
            const auto wait = policy.backoff(n, first);
            CHECK(wait >= 0ms);
            CHECK(wait <= bound);
            drawn.push_back(wait);
            CHECK(policy.backoff(n, second) == wait);  // same seed, same waits
        }
    }
    // Full jitter spreads over the whole range: some waits of retry 8 fall in its top tenth, some in its bottom.
    const auto last = std::vector<paged::clock::duration>(drawn.end() - 200, drawn.end());
    CHECK(std::count_if(last.begin(), last.end(), [](auto w) { return w > 900ms; }) > 0);
    CHECK(std::count_if(last.begin(), last.end(), [](auto w) { return w < 100ms; }) > 0);
    CHECK(policy.backoff(1000, first) <= 1s);  // no overflow however many retries
}

TEST_CASE("retry_policy defaults, and settings it refuses", "[retry]") {
    const retry_policy policy;
    CHECK(policy.max_attempts() == 6);
    CHECK(policy.base_delay() == 1s);
    CHECK(policy.max_delay() == 30s);
    CHECK(policy.max_retry_after() == 2min);
    CHECK(policy.max_total_wait() == 5min);
    CHECK(policy.enabled());
    CHECK_FALSE(retry_policy::none().enabled());
    CHECK_THROWS_AS(retry_policy().max_attempts(0), paged::usage_error);
    CHECK_THROWS_AS(retry_policy().base_delay(0s), paged::usage_error);
    CHECK_THROWS_AS(retry_policy().max_delay(-1s), paged::usage_error);
}

TEST_CASE("retry_error lists every attempt and the wait before it", "[retry]") {
    std::vector<paged::http::failed_attempt> attempts(3);
    attempts[0].status = 503;
    attempts[1].curl_code = CURLE_RECV_ERROR;
    attempts[1].problem = "Connection reset by peer";
    attempts[1].wait_before = 700ms;
    attempts[2].status = 500;
    attempts[2].wait_before = 1500ms;
    paged::http::headers last;
    last.add("X-Request-Id", "abc");
    const paged::http::retry_error error(paged::http::retry_error::reason::attempts_exhausted, "https://x.example/p",
                                         attempts, 0ms, last);
    CHECK(error.status() == 500);
    CHECK(error.headers().get("x-request-id") == "abc");
    CHECK(error.attempts().size() == 3);
    CHECK_THAT(error.what(), Catch::Contains("https://x.example/p") && Catch::Contains("3 tries") &&
                                 Catch::Contains("[503 after 0 ms]") &&
                                 Catch::Contains("[Connection reset by peer after 700 ms]") &&
                                 Catch::Contains("[500 after 1500 ms]"));
}
