#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/checkpoint.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>
#include <paged/walk_state.hpp>

#include "body_endpoints.hpp"
#include "walk.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using paged::http::graphql_options;
using paged::testing::fake_api;
using paged_test::graphql_endpoint;
using paged_test::id_range;
using paged_test::ids;
using paged_test::respond_with;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/graphql";
const std::string query = "query($owner: String!, $first: Int, $after: String) { repository(owner: $owner) { issues("
                          "first: $first, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } } }";
const std::string connection = "/data/repository/issues";

nlohmann::json owner_variables() {
    nlohmann::json variables;
    variables["owner"] = "octo";
    return variables;
}

nlohmann::json sent_json(const fake_api& api, std::size_t index) {
    return nlohmann::json::parse(api.request_log().at(index).body());
}
}  // namespace

TEST_CASE("graphql: walks every node once, in order, one POST per page with query and variables",
          "[http][graphql]") {
    fake_api api(graphql_endpoint(paged::testing::numbered_records(1001)));
    const auto fetcher = paged::http::graphql(
        api, graphql_options(endpoint, query, connection).variables(owner_variables()).page_size(50));
    CHECK(ids(walk(fetcher)) == id_range(1, 1001));
    REQUIRE(api.requests().size() == 21);  // ceil(1001 / 50)
    for (const auto& sent : api.request_log()) {
        CHECK(sent.method() == "POST");
        CHECK(sent.content_type() == "application/json");
        CHECK(sent.idempotent());  // a query reads: the client may retry it
        CHECK(sent.query().empty());
    }
    const auto first_body = sent_json(api, 0);
    CHECK(first_body.at("query") == query);
    CHECK(first_body.at("variables").at("owner") == "octo");
    CHECK(first_body.at("variables").at("first") == 50);
    CHECK(first_body.at("variables").at("after").is_null());
    CHECK(first_body.at("variables").size() == 3);
    CHECK(sent_json(api, 1).at("variables").at("after") == "cursor:50");
    CHECK(sent_json(api, 20).at("variables").at("after") == "cursor:1000");
}

TEST_CASE("graphql: the first 10 nodes, and the first 5 even ones, cost one request", "[http][graphql]") {
    fake_api api(graphql_endpoint(paged::testing::numbered_records(1000)));
    const auto fetcher = paged::http::graphql(api, graphql_options(endpoint, query, connection).page_size(50));
    CHECK(walk(fetcher, paged::walk_options().max_items(10)).size() == 10);
    const auto even = [](const nlohmann::json& r) { return r.at("id").get<int>() % 2 == 0; };
    paged::event_loop loop;
    CHECK(ids(paged::sync_wait(loop, paged::collect(paged::paginate(fetcher) | paged::filter(even) | paged::take(5)))) ==
          std::vector<std::uint64_t>{2, 4, 6, 8, 10});
    CHECK(api.requests().size() == 2);
}

TEST_CASE("graphql: an answer with errors is a graphql_error naming the URL and the first message",
          "[http][graphql]") {
    fake_api api(graphql_endpoint(paged::testing::numbered_records(10)));
    const auto fetcher = paged::http::graphql(api, graphql_options(endpoint, query, connection));
    SECTION("errors and null data, as for a bad cursor") {
        try {
            walk(fetcher, paged::walk_options().start("forged"));
            FAIL("no error");
        } catch (const paged::http::graphql_error& e) {
            CHECK(e.url() == endpoint);
            CHECK(e.status() == 200);
            REQUIRE(e.messages().size() == 1);
            CHECK(e.messages()[0] == "`forged` is not a valid cursor");
            CHECK_THAT(e.what(), Catch::Contains(endpoint) && Catch::Contains("`forged` is not a valid cursor"));
        }
    }
    SECTION("errors beside partial data: a page with holes is refused too") {
        respond_with(api, R"({"data": {"repository": {"issues": {"nodes": [{"id": 1}, null],
                             "pageInfo": {"endCursor": "c", "hasNextPage": false}}}},
                             "errors": [{"message": "node 2: forbidden"}, {"message": "again"}, {"path": ["x"]}]})");
        try {
            walk(fetcher);
            FAIL("no error");
        } catch (const paged::http::graphql_error& e) {
            CHECK(e.messages() == std::vector<std::string>{"node 2: forbidden", "again", R"({"path":["x"]})"});
            CHECK_THAT(e.what(), Catch::Contains("node 2: forbidden (and 2 more)"));
        }
    }
    SECTION("a graphql_error is a body_error, and an empty errors array is no error") {
        respond_with(api, R"({"errors": [{"message": "rate limited"}]})");
        CHECK_THROWS_AS(walk(fetcher), paged::http::body_error);
        respond_with(api, R"({"errors": [], "data": {"repository": {"issues": {"nodes": [{"id": 1}],
                             "pageInfo": {"endCursor": null, "hasNextPage": false}}}}})");
        CHECK(walk(fetcher).size() == 1);
        respond_with(api, R"({"errors": "oops", "data": null})");
        CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected \"errors\" to be an array"));
    }
    SECTION("a non-2xx status is a status_error") {
        paged::testing::scripted_response refused;
        refused.status = 401;
        refused.body = R"({"message": "Bad credentials"})";
        api.respond_next(refused);
        CHECK_THROWS_AS(walk(fetcher), paged::http::status_error);
    }
}

TEST_CASE("graphql: hasNextPage decides; true without endCursor fails after the page is handed out",
          "[http][graphql]") {
    fake_api api(graphql_endpoint({}));
    const auto fetcher = paged::http::graphql(api, graphql_options(endpoint, query, connection));
    respond_with(api, R"({"data": {"repository": {"issues": {"nodes": [{"id": 1}],
                         "pageInfo": {"endCursor": "stale", "hasNextPage": false}}}}})");
    CHECK(walk(fetcher).size() == 1);
    CHECK(api.requests().size() == 1);

    respond_with(api, R"({"data": {"repository": {"issues": {"nodes": [{"id": 7}],
                         "pageInfo": {"endCursor": null, "hasNextPage": true}}}}})");
    std::vector<std::uint64_t> seen;
    paged::event_loop loop;
    try {
        for (const auto& node : paged::blocking(paged::paginate(fetcher), loop)) seen.push_back(node.at("id"));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::has_more_without_cursor);
        CHECK_THAT(e.what(), Catch::Contains("hasNextPage"));
    }
    CHECK(seen == std::vector<std::uint64_t>{7});

    respond_with(api, R"({"data": {"repository": {"issues": {"nodes": [], "pageInfo": {"endCursor": "x"}}}}})");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected true or false at '/data/repository/issues/pageInfo/hasNextPage'"));
    respond_with(api, R"({"data": {"repository": null}})");
    CHECK_THROWS_AS(walk(fetcher), paged::http::body_error);
}

namespace {
struct edge {
    std::uint64_t id = 0;
    std::string cursor;
};
void from_json(const nlohmann::json& j, edge& e) {
    j.at("node").at("id").get_to(e.id);
    j.at("cursor").get_to(e.cursor);
}
}  // namespace

TEST_CASE("graphql: the same nodes again under a new endCursor meet the repeat policy", "[http][graphql]") {
    fake_api api(graphql_endpoint({}));
    // A server that ignores $after and makes up a new endCursor each time.
    for (const char* token : {"c1", "c2", "c3"}) {
        respond_with(api, std::string(R"({"data": {"repository": {"issues": {"nodes": [{"id": 1}],
                         "pageInfo": {"endCursor": ")") + token + R"(", "hasNextPage": true}}}}})");
    }
    try {
        walk(paged::http::graphql(api, graphql_options(endpoint, query, connection)));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::repeated_page);
        CHECK_THAT(e.what(), Catch::Contains("$after"));
    }
    CHECK(api.requests().size() == 2);
}

TEST_CASE("graphql: items() reads edges instead of nodes; size and cursor variables can be renamed",
          "[http][graphql]") {
    fake_api api(graphql_endpoint({}));
    respond_with(api, R"({"data": {"search": {"edges": [{"node": {"id": 4}, "cursor": "e4"}],
                         "pageInfo": {"endCursor": "e4", "hasNextPage": true}}}})");
    respond_with(api, R"({"data": {"search": {"edges": [{"node": {"id": 5}, "cursor": "e5"}],
                         "pageInfo": {"endCursor": "e5", "hasNextPage": false}}}})");
    const auto edges = walk(paged::http::graphql<edge>(api, graphql_options(endpoint, query, "/data/search")
                                                               .items("/data/search/edges")
                                                               .size_variable("count")
                                                               .cursor_variable("cursor")
                                                               .page_size(1)));
    REQUIRE(edges.size() == 2);
    CHECK(edges[1].id == 5);
    CHECK(edges[1].cursor == "e5");
    const auto second = sent_json(api, 1).at("variables");
    CHECK(second.at("count") == 1);
    CHECK(second.at("cursor") == "e4");
    CHECK_FALSE(second.contains("first"));
}

TEST_CASE("graphql: options are checked when the fetcher is built", "[http][graphql]") {
    fake_api api(graphql_endpoint({}));
    using paged::usage_error;
    CHECK_THROWS_AS(graphql_options(endpoint, query, connection).variables(nlohmann::json::array()), usage_error);
    CHECK_THROWS_AS(graphql_options(endpoint, query, connection).page_size(0), usage_error);
    nlohmann::json clashing = owner_variables();
    clashing["after"] = "x";
    CHECK_THROWS_WITH(paged::http::graphql(api, graphql_options(endpoint, query, connection).variables(clashing)),
                      Catch::Contains("'after'"));
    CHECK_THROWS_AS(paged::http::graphql(api, graphql_options(endpoint, "", connection)), usage_error);
    CHECK_THROWS_AS(paged::http::graphql(api, graphql_options(endpoint, query, "data/no-slash")), usage_error);
    CHECK_THROWS_AS(paged::http::graphql(api, graphql_options("not a url", query, connection)), paged::error);
}

TEST_CASE("graphql: the fingerprint follows query, variables, page size and connection; checkpoints resume",
          "[http][graphql]") {
    fake_api api(graphql_endpoint(paged::testing::numbered_records(100)));
    const auto base = graphql_options(endpoint, query, connection).variables(owner_variables()).page_size(30);
    const auto fingerprint = paged::http::graphql(api, base).fingerprint();
    nlohmann::json other_owner = owner_variables();
    other_owner["owner"] = "someone-else";
    auto changed_query = graphql_options(endpoint, query + " ", connection).variables(owner_variables()).page_size(30);
    for (const auto& other : {changed_query, graphql_options(base).variables(other_owner),
                              graphql_options(base).page_size(31), graphql_options(endpoint, query, "/data/other")
                                                                       .variables(owner_variables())
                                                                       .page_size(30)}) {
        CHECK(paged::http::graphql(api, other).fingerprint() != fingerprint);
    }
    CHECK(paged::http::graphql(api, graphql_options(base)).fingerprint() == fingerprint);

    const auto fetcher = paged::http::graphql(api, base);
    paged::walk_state state(fetcher);
    CHECK(walk(fetcher, paged::walk_options().max_items(45).state(state)).size() == 45);
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(46, 100));
    CHECK(sent_json(api, api.requests().size() - 3).at("variables").at("after") == "cursor:30");
}
