// Requests with a method and a body, checked_send for user fetchers, and the cursor strategy's cursor-in-body option.

#include <paged/http/checked_send.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/retry_policy.hpp>
#include <paged/sync_wait.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "body_endpoints.hpp"
#include "walk.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using paged::http::request;
using paged::testing::fake_api;
using paged_test::id_range;
using paged_test::ids;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/v1/search";

// A transport that, unlike fake_api, does not say which URL answered.
struct anonymous_transport {
    int status = 200;
    paged::task<paged::http::response> send(request) {
        paged::http::response reply;
        reply.status = status;
        reply.body = "not found here";
        reply.headers.add("X-Request-Id", "r-17");
        co_return reply;
    }
};
static_assert(paged::http::transport<anonymous_transport>);

paged::task<paged::http::response> checked(fake_api& api, request outgoing) {
    co_return co_await paged::http::checked_send(api, std::move(outgoing));
}

nlohmann::json sent_json(const fake_api& api, std::size_t index) {
    return nlohmann::json::parse(api.request_log().at(index).body());
}
}  // namespace

TEST_CASE("request: a body with its type, kept apart from the method", "[http][request]") {
    const request plain("https://x.example/");
    CHECK_FALSE(plain.has_body());
    CHECK(plain.body().empty());
    CHECK(plain.method() == "GET");

    const auto posted = request("https://x.example/").method("POST").body(R"({"a":1})", "application/json");
    CHECK(posted.has_body());
    CHECK(posted.body() == R"({"a":1})");
    CHECK(posted.content_type() == "application/json");
    CHECK_FALSE(posted.idempotent());  // POST is not, unless marked
    CHECK(request(posted).idempotent(true).idempotent());

    request empty_post("https://x.example/");
    empty_post.method("POST").body("", "");
    CHECK(empty_post.has_body());  // zero bytes is still a body: Content-Length: 0
    const std::string binary("\0\x01\xff", 3);
    CHECK(request("https://x.example/").body(binary, "application/octet-stream").body() == binary);
}

TEST_CASE("retry policy: a POST is not retried after a 503 unless marked idempotent", "[http][request]") {
    const auto policy = paged::http::retry_policy();
    paged::http::response unavailable;
    unavailable.status = 503;
    const auto post = request("https://x.example/").method("POST").body("{}", "application/json");
    CHECK_FALSE(policy.judge(post, unavailable));
    CHECK_FALSE(policy.judge_failure(post, 56));  // CURLE_RECV_ERROR
    CHECK(policy.judge(request(post).idempotent(true), unavailable));
}

TEST_CASE("checked_send: a 2xx comes back; anything else is a status_error with URL, status, body and headers",
          "[http][checked_send]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(3)));
    paged::event_loop loop;
    const auto ok = paged::sync_wait(loop, checked(api, request("https://api.test/items").query("limit", "2")));
    CHECK(ok.status == 200);
    CHECK(ok.url == "https://api.test/items?limit=2");

    paged::testing::scripted_response missing;
    missing.status = 404;
    missing.body = R"({"message": "Not Found"})";
    missing.headers.add("X-Request-Id", "abc");
    api.respond_next(missing);
    try {
        paged::sync_wait(loop, checked(api, request("https://api.test/gone")));
        FAIL("no error");
    } catch (const paged::http::status_error& e) {
        CHECK(e.status() == 404);
        CHECK(e.url() == "https://api.test/gone");
        CHECK(e.headers().get("X-Request-Id") == "abc");
        CHECK_THAT(e.what(), Catch::Contains("Not Found"));
    }

    paged::testing::scripted_response redirect;
    redirect.status = 304;
    api.respond_next(redirect);
    CHECK_THROWS_AS(paged::sync_wait(loop, checked(api, request("https://api.test/cached"))), paged::http::status_error);
}

TEST_CASE("checked_send: the URL comes from the request when the transport does not say", "[http][checked_send]") {
    anonymous_transport transport;
    paged::event_loop loop;
    const auto fine = paged::sync_wait(loop, paged::http::checked_send(transport, request("https://a.test/x").query("q", "1 2")));
    CHECK(fine.url == "https://a.test/x?q=1+2");
    transport.status = 500;
    try {
        paged::sync_wait(loop, paged::http::checked_send(transport, request("https://a.test/y")));
        FAIL("no error");
    } catch (const paged::http::status_error& e) {
        CHECK(e.url() == "https://a.test/y");
        CHECK(e.headers().get("X-Request-Id") == "r-17");
        CHECK_THAT(e.what(), Catch::Contains("not found here"));
    }
}

TEST_CASE("cursor in body: a POSTed search walks every record, token and size written where the API reads them",
          "[http][cursor][request]") {
    fake_api api(paged_test::search_endpoint(paged::testing::numbered_records(95)));
    nlohmann::json search;
    search["query"] = "roadmap";
    search["filter"]["property"] = "object";
    const auto fetcher = paged::http::cursor(api, paged::http::cursor_options(endpoint)
                                                      .body(search)
                                                      .cursor_in_body("/start_cursor")
                                                      .size_in_body("/page_size")
                                                      .page_size(10)
                                                      .items("/results")
                                                      .next("/next_cursor")
                                                      .has_more("/has_more"));
    CHECK(ids(walk(fetcher)) == id_range(1, 95));
    REQUIRE(api.requests().size() == 10);
    CHECK(api.requests()[0] == endpoint);  // neither the token nor the size in the query
    CHECK(api.requests()[9] == endpoint);
    const auto first = sent_json(api, 0);
    CHECK_FALSE(first.contains("start_cursor"));  // the first page has no token
    CHECK(first.at("page_size") == 10);
    CHECK(first.at("query") == "roadmap");
    CHECK(first.at("filter").at("property") == "object");
    CHECK(sent_json(api, 1).at("start_cursor") == "s-10");
    for (const auto& sent : api.request_log()) {
        CHECK(sent.method() == "POST");
        CHECK(sent.content_type() == "application/json");
        CHECK(sent.idempotent());  // a search reads: retried like a GET by default
    }
}

TEST_CASE("cursor in body: idempotence, the query fallback, the fingerprint and checked pointers",
          "[http][cursor][request]") {
    fake_api api(paged_test::search_endpoint(paged::testing::numbered_records(5)));
    nlohmann::json search;
    search["page_size"] = 2;
    const auto options = paged::http::cursor_options(endpoint)
                             .body(search)
                             .cursor_in_body("/start_cursor")
                             .items("/results")
                             .next("/next_cursor");
    SECTION("not idempotent when the user says so") {
        walk(paged::http::cursor(api, paged::http::cursor_options(options).idempotent(false)));
        CHECK_FALSE(api.request_log().at(0).idempotent());
    }
    SECTION("without size_in_body the size stays in the query, as without a body") {
        walk(paged::http::cursor(api, options));
        CHECK(api.requests().at(0) == endpoint + "?limit=100");
        CHECK(sent_json(api, 1).at("page_size") == 2);  // the body's own value, untouched
    }
    SECTION("the fingerprint includes the body") {
        nlohmann::json other = search;
        other["query"] = "x";
        const auto mine = paged::http::cursor(api, options).fingerprint();
        CHECK(paged::http::cursor(api, paged::http::cursor_options(options).body(other)).fingerprint() != mine);
        CHECK(paged::http::cursor(api, paged::http::cursor_options(endpoint)).fingerprint() != mine);
    }
    SECTION("pointers that cannot be written, and a body that is not an object, are usage errors") {
        using paged::usage_error;
        CHECK_THROWS_AS(paged::http::cursor_options(endpoint).body(nlohmann::json::array()), usage_error);
        CHECK_THROWS_WITH(paged::http::cursor(api, paged::http::cursor_options(endpoint).cursor_in_body("/c")),
                          Catch::Contains("needs a body()"));
        nlohmann::json scalar_inside;
        scalar_inside["page_size"] = 2;
        CHECK_THROWS_AS(paged::http::cursor(api, paged::http::cursor_options(endpoint)
                                                     .body(scalar_inside)
                                                     .cursor_in_body("/page_size/token")),
                        usage_error);
        CHECK_THROWS_AS(paged::http::cursor(api, paged::http::cursor_options(endpoint)
                                                     .body(scalar_inside)
                                                     .size_in_body("no-slash")),
                        usage_error);
    }
}
