// Methods and bodies over real HTTP: the libcurl client against tests/support/paged_server.py (more_apis.py's
// /echo, /redirect-with, /graphql, /search), retries of POSTs, and checked_send.

#include <paged/blocking.hpp>
#include <paged/http/checked_send.hpp>
#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include "../support/local_server.hpp"
#include "../support/walk_in_order.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using paged::http::client;
using paged_test::walk_in_order;
using paged::http::request;

namespace {

paged_test::local_server& server() {
    static paged_test::local_server shared(PAGED_TEST_SERVER);
    return shared;
}

std::uint64_t requests_to(const std::string& endpoint) {
    return server().stats().at("endpoints").at(endpoint).at("requests").get<std::uint64_t>();
}

paged::task<paged::http::response> send(client& http, request outgoing) {
    co_return co_await http.send(std::move(outgoing));
}

paged::task<paged::http::response> checked(client& http, request outgoing) {
    co_return co_await paged::http::checked_send(http, std::move(outgoing));
}

// What /echo saw.
nlohmann::json echoed(const paged::http::response& reply) {
    REQUIRE(reply.status == 200);
    return nlohmann::json::parse(reply.body);
}

std::string hex(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        text += digits[byte >> 4];
        text += digits[byte & 15];
    }
    return text;
}


}  // namespace

TEST_CASE("integration: a POST body arrives byte for byte with its type, and without an Expect stall",
          "[integration][request]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);  // NUL, CR, LF and every high byte
    // Past libcurl's threshold for "Expect: 100-continue" (1 MiB since 7.84, 1 KiB before).
    while (bytes.size() < 1'500'000) bytes += bytes.substr(0, 1'500'000 - bytes.size());
    const auto seen = echoed(paged::sync_wait(
        loop, send(http, request(server().url("/echo")).method("POST").body(bytes, "application/octet-stream"))));
    CHECK(seen.at("method") == "POST");
    CHECK(seen.at("length") == bytes.size());
    CHECK(seen.at("body_hex") == hex(bytes));
    CHECK(seen.at("headers").at("content-type") == "application/octet-stream");
    CHECK_FALSE(seen.at("headers").contains("expect"));

    // Zero bytes is still a body; a body without a type is not labelled a form.
    const auto empty = echoed(paged::sync_wait(loop, send(http, request(server().url("/echo")).method("POST").body("", ""))));
    CHECK(empty.at("headers").at("content-length") == "0");
    CHECK_FALSE(empty.at("headers").contains("content-type"));
    // The request's own Content-Type header wins over the body's.
    const auto typed = echoed(paged::sync_wait(loop, send(http, request(server().url("/echo"))
                                                                    .method("POST")
                                                                    .header("Content-Type", "text/csv; charset=utf-8")
                                                                    .body("a,b\n", "text/plain"))));
    CHECK(typed.at("headers").at("content-type") == "text/csv; charset=utf-8");
    CHECK(typed.at("body_hex") == hex("a,b\n"));
}

TEST_CASE("integration: PUT, PATCH, DELETE and HEAD go out as themselves", "[integration][request]") {
    paged::event_loop loop;
    client http(loop);
    const std::string url = server().url("/echo");
    for (const char* method : {"PUT", "PATCH", "DELETE"}) {
        const auto seen = echoed(
            paged::sync_wait(loop, send(http, request(url).method(method).body(R"({"n":1})", "application/json"))));
        CHECK(seen.at("method") == method);
        CHECK(seen.at("body_hex") == hex(R"({"n":1})"));
        CHECK(seen.at("headers").at("content-type") == "application/json");
    }
    const auto bare_delete = echoed(paged::sync_wait(loop, send(http, request(url).method("DELETE"))));
    CHECK(bare_delete.at("method") == "DELETE");
    CHECK(bare_delete.at("length") == 0);
    const auto bare_put = echoed(paged::sync_wait(loop, send(http, request(url).method("PUT"))));
    CHECK(bare_put.at("headers").at("content-length") == "0");

    const auto head = paged::sync_wait(loop, send(http, request(url).method("HEAD")));
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.headers.get("Content-Length").has_value());
    // The same connection still works after a HEAD (libcurl did not wait for a body that never comes).
    CHECK(echoed(paged::sync_wait(loop, send(http, request(url)))).at("method") == "GET");

    CHECK_THROWS_AS(paged::sync_wait(loop, send(http, request(url).method("GE T"))), paged::usage_error);
    CHECK_THROWS_AS(paged::sync_wait(loop, send(http, request(url).method("HEAD").body("x", "text/plain"))),
                    paged::usage_error);
}

TEST_CASE("integration: 303, and 301/302 after a POST, become a GET without the body; 307 and 308 keep both",
          "[integration][request]") {
    paged::event_loop loop;
    std::vector<std::string> methods;
    const auto observer = [&methods](const paged::http::exchange_event& e) { methods.emplace_back(e.method); };
    client http(loop, paged::http::client_options().on_exchange(observer));
    const auto via = [&](int status) { return server().url("/redirect-with?status=" + std::to_string(status) + "&to=/echo"); };
    for (const int status : {303, 302, 301}) {
        methods.clear();
        const auto seen = echoed(paged::sync_wait(
            loop, send(http, request(via(status)).method("POST").body(R"({"a":1})", "application/json"))));
        CHECK(seen.at("method") == "GET");
        CHECK(seen.at("length") == 0);
        CHECK_FALSE(seen.at("headers").contains("content-type"));
        CHECK(methods == std::vector<std::string>{"POST", "GET"});  // the observer sees what really went out
    }
    for (const int status : {307, 308}) {
        methods.clear();
        const auto seen = echoed(paged::sync_wait(
            loop, send(http, request(via(status)).method("POST").body(R"({"a":1})", "application/json"))));
        CHECK(seen.at("method") == "POST");
        CHECK(seen.at("body_hex") == hex(R"({"a":1})"));
        CHECK(seen.at("headers").at("content-type") == "application/json");
        CHECK(methods == std::vector<std::string>{"POST", "POST"});
    }
    // A PUT keeps its method on a 302 (only POST turns into GET there); a 303 turns it into a GET.
    CHECK(echoed(paged::sync_wait(loop, send(http, request(via(302)).method("PUT").body("x", "text/plain"))))
              .at("method") == "PUT");
    CHECK(echoed(paged::sync_wait(loop, send(http, request(via(303)).method("PUT").body("x", "text/plain"))))
              .at("method") == "GET");
}

TEST_CASE("integration: a POST answered 503 is not retried; one marked idempotent is, body and all",
          "[integration][request]") {
    paged::manual_clock time;  // the backoff before the retry takes no real time
    paged::event_loop loop(time);
    client http(loop, paged::http::client_options().retry(paged::http::retry_policy().seed(3)));
    const nlohmann::json plan = {{"endpoint", "/echo"}, {"faults", {{{"request", 1}, {"kind", "status"}, {"status", 503}}}}};

    server().reset();
    server().faults(plan);
    const auto once = paged::sync_wait(loop, send(http, request(server().url("/echo")).method("POST").body("{}", "application/json")));
    CHECK(once.status == 503);
    CHECK(requests_to("/echo") == 1);

    server().reset();
    server().faults(plan);
    const auto retried = paged::sync_wait(
        loop, send(http, request(server().url("/echo")).method("POST").body("{}", "application/json").idempotent(true)));
    CHECK(echoed(retried).at("body_hex") == hex("{}"));
    CHECK(requests_to("/echo") == 2);
}

TEST_CASE("integration: GraphQL walks every record in order, ceil(N / first) POSTs", "[integration][graphql]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    const std::string query = "query($first: Int, $after: String) { repository { issues(first: $first, after: $after) "
                              "{ nodes { id } pageInfo { endCursor hasNextPage } } } }";
    nlohmann::json variables;
    variables["owner"] = "paged";
    CHECK(walk_in_order(loop, paged::http::graphql(http, paged::http::graphql_options(server().url("/graphql"), query,
                                                                                        "/data/repository/issues")
                                                             .variables(variables)
                                                             .page_size(700))) == 20'000);
    CHECK(requests_to("/graphql") == 29);  // ceil(20000 / 700)

    try {
        const auto fetcher = paged::http::graphql(
            http, paged::http::graphql_options(server().url("/graphql"), query, "/data/repository/issues"));
        for (const auto& node : paged::blocking(paged::paginate(fetcher, paged::walk_options().start("forged")), loop)) {
            FAIL("a node from a forged cursor: " << node);
        }
        FAIL("no error");
    } catch (const paged::http::graphql_error& e) {
        CHECK(e.url() == server().url("/graphql"));
        CHECK_THAT(e.messages().at(0), Catch::Contains("`forged` does not appear to be a valid cursor"));
    }
}

TEST_CASE("integration: a search that takes its cursor in the POSTed body walks every record",
          "[integration][request]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    nlohmann::json search;
    search["query"] = "";
    search["sort"]["direction"] = "ascending";
    CHECK(walk_in_order(loop, paged::http::cursor(http, paged::http::cursor_options(server().url("/search"))
                                                            .body(search)
                                                            .cursor_in_body("/start_cursor")
                                                            .size_in_body("/page_size")
                                                            .page_size(100)
                                                            .items("/results")
                                                            .has_more("/has_more"))) == 20'000);
    CHECK(requests_to("/search") == 200);
}

TEST_CASE("integration: checked_send hands back a 2xx and throws status_error, with the URL, for a 404",
          "[integration][checked_send]") {
    paged::event_loop loop;
    client http(loop);
    CHECK(paged::sync_wait(loop, checked(http, request(server().url("/status")).query("code", "201"))).status == 201);
    try {
        paged::sync_wait(loop, checked(http, request(server().url("/status")).query("code", "404")));
        FAIL("no error");
    } catch (const paged::http::status_error& e) {
        CHECK(e.status() == 404);
        CHECK(e.url() == server().url("/status?code=404"));
        CHECK(e.headers().get("Content-Type") == "application/json");
        CHECK_THAT(e.what(), Catch::Contains("\"status\": 404"));
    }
}
