#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <string>

using paged::testing::cursor_endpoint;
using paged::testing::fake_api;
using paged_test::id_range;
using paged_test::ids;
using paged_test::respond_with;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/v1/records";
}  // namespace

TEST_CASE("cursor: a body token walks every record once, in order, one request per page", "[http][cursor]") {
    fake_api api(cursor_endpoint(paged::testing::numbered_records(20'000)));
    CHECK(ids(walk(paged::http::cursor(api, paged::http::cursor_options(endpoint).page_size(50)))) ==
          id_range(1, 20'000));
    REQUIRE(api.requests().size() == 400);
    CHECK(api.requests()[0] == endpoint + "?limit=50");
    CHECK(api.requests()[1] == endpoint + "?limit=50&cursor=tok-50");
}

TEST_CASE("cursor: the first 10 and the first 5 even cost one request", "[http][cursor]") {
    fake_api api(cursor_endpoint(paged::testing::numbered_records(20'000)));
    const auto fetcher = paged::http::cursor(api, paged::http::cursor_options(endpoint).page_size(50));
    CHECK(walk(fetcher, paged::walk_options().max_items(10)).size() == 10);
    const auto even = [](const nlohmann::json& r) { return r.at("id").get<int>() % 2 == 0; };
    paged::event_loop loop;
    CHECK(ids(paged::sync_wait(loop, paged::collect(paged::paginate(fetcher) | paged::filter(even) | paged::take(5)))) ==
          std::vector<std::uint64_t>{2, 4, 6, 8, 10});
    CHECK(api.requests().size() == 2);
}

TEST_CASE("cursor: where real APIs put the token", "[http][cursor]") {
    const auto records = paged::testing::numbered_records(23);
    SECTION("Slack: /response_metadata/next_cursor") {
        fake_api api(cursor_endpoint(records, {.items = "/members", .next = "/response_metadata/next_cursor"}));
        CHECK(ids(walk(paged::http::cursor(api, paged::http::cursor_options(endpoint)
                                                    .items("/members")
                                                    .next("/response_metadata/next_cursor")
                                                    .page_size(10)))) == id_range(1, 23));
        CHECK(api.requests().size() == 3);
    }
    SECTION("a response header, sent back as another parameter") {
        fake_api api(cursor_endpoint(records, {.next_header = "X-Next-Token", .cursor_param = "continuation-token",
                                               .size_param = "max-keys"}));
        CHECK(ids(walk(paged::http::cursor(api, paged::http::cursor_options(endpoint)
                                                    .next_header("x-next-token")
                                                    .cursor_param("continuation-token")
                                                    .page_size(10)
                                                    .size_param("max-keys")))) == id_range(1, 23));
        CHECK(api.requests()[2] == endpoint + "?max-keys=10&continuation-token=tok-20");
    }
    SECTION("a has_more flag beside the token (GraphQL connections have their own strategy: graphql_test.cpp)") {
        fake_api api(cursor_endpoint(records, {.items = "/data/records/nodes", .next = "/data/records/pageInfo/endCursor",
                                               .has_more = "/data/records/pageInfo/hasNextPage",
                                               .cursor_param = "after", .size_param = "first"}));
        const auto options = paged::http::cursor_options(endpoint)
                                 .items("/data/records/nodes")
                                 .next("/data/records/pageInfo/endCursor")
                                 .has_more("/data/records/pageInfo/hasNextPage")
                                 .cursor_param("after")
                                 .size_param("first")
                                 .page_size(10);
        CHECK(ids(walk(paged::http::cursor(api, options))) == id_range(1, 23));
        CHECK(api.requests()[1] == endpoint + "?first=10&after=tok-10");
    }
}

TEST_CASE("cursor: absent, null and empty tokens all end the walk; has_more decides when given", "[http][cursor]") {
    fake_api api(cursor_endpoint({}));
    const auto fetcher = paged::http::cursor(api, endpoint);
    for (const char* last : {R"({"data": [{"id": 1}]})", R"({"data": [{"id": 1}], "next_cursor": null})",
                             R"({"data": [{"id": 1}], "next_cursor": ""})"}) {
        respond_with(api, last);
        CHECK(walk(fetcher).size() == 1);
    }
    const auto with_flag = paged::http::cursor(api, paged::http::cursor_options(endpoint).has_more("/has_more"));
    respond_with(api, R"({"data": [{"id": 1}], "next_cursor": "stale", "has_more": false})");
    CHECK(walk(with_flag).size() == 1);
    CHECK(api.requests().size() == 4);

    respond_with(api, R"({"data": [{"id": 7}], "has_more": true})");
    std::vector<std::uint64_t> seen;
    paged::event_loop loop;
    try {
        for (const auto& record : paged::blocking(paged::paginate(with_flag), loop)) seen.push_back(record.at("id"));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::has_more_without_cursor);
    }
    CHECK(seen == std::vector<std::uint64_t>{7});  // the page is handed out before the dead end is reported
    respond_with(api, R"({"data": [{"id": 1}], "next_cursor": {"a": 1}})");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected a string or null at '/next_cursor'"));
    respond_with(api, R"({"data": [], "next_cursor": "x", "has_more": "yes"})");
    CHECK_THROWS_AS(walk(with_flag), paged::http::body_error);
}

TEST_CASE("cursor: a token cycle A -> B -> A is an error after the pages before it", "[http][cursor]") {
    fake_api api(cursor_endpoint({}));
    respond_with(api, R"({"data": [{"id": 1}], "next_cursor": "A"})");
    respond_with(api, R"({"data": [{"id": 2}], "next_cursor": "B"})");
    respond_with(api, R"({"data": [{"id": 3}], "next_cursor": "A"})");
    std::vector<std::uint64_t> seen;
    paged::event_loop loop;
    try {
        for (const auto& record : paged::blocking(paged::paginate(paged::http::cursor(api, endpoint)), loop)) {
            seen.push_back(record.at("id").get<std::uint64_t>());
        }
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::repeated_cursor);
    }
    CHECK(seen == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(api.requests().size() == 3);
}

TEST_CASE("cursor: the same items again under a fresh token meet the repeat policy", "[http][cursor]") {
    fake_api api(cursor_endpoint({}));
    // A server that ignores the token it is sent and makes up a new one each time: no token ever repeats.
    for (const char* token : {"t1", "t2", "t3"}) {
        respond_with(api, std::string(R"({"data": [{"id": 1}, {"id": 2}], "next_cursor": ")") + token + "\"}");
    }
    try {
        walk(paged::http::cursor(api, endpoint));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::repeated_page);
        CHECK_THAT(e.what(), Catch::Contains("same items as the page before it") && Catch::Contains("'cursor'"));
    }
    CHECK(api.requests().size() == 2);
}

TEST_CASE("cursor: resume from a saved token and from a checkpoint", "[http][cursor]") {
    fake_api api(cursor_endpoint(paged::testing::numbered_records(100)));
    const auto fetcher = paged::http::cursor(api, paged::http::cursor_options(endpoint).page_size(30));
    CHECK(ids(walk(fetcher, paged::walk_options().start("tok-60"))) == id_range(61, 100));
    CHECK(api.requests().size() == 2);

    paged::walk_state state(fetcher);
    CHECK(walk(fetcher, paged::walk_options().max_items(45).state(state)).size() == 45);
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(46, 100));
    CHECK(api.requests().back() == endpoint + "?limit=30&cursor=tok-90");
}

TEST_CASE("cursor: an error status names the URL and status", "[http][cursor]") {
    fake_api api(cursor_endpoint(paged::testing::numbered_records(100)));
    paged::testing::scripted_response unavailable;
    unavailable.status = 503;
    unavailable.body = "upstream down";
    respond_with(api, R"({"data": [{"id": 1}], "next_cursor": "tok-1"})");
    api.respond_next(unavailable);
    try {
        walk(paged::http::cursor(api, paged::http::cursor_options(endpoint).page_size(1)));
        FAIL("no error");
    } catch (const paged::http::status_error& e) {
        CHECK(e.status() == 503);
        CHECK(e.url() == endpoint + "?limit=1&cursor=tok-1");
        CHECK_THAT(e.what(), Catch::Contains("upstream down"));
    }
}
