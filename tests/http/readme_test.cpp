// The strategy examples of README.md, as written there, walking fake_api: if README drifts from the API, this fails
// to compile; if an example does not do what README says, it fails.

#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/checked_send.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "body_endpoints.hpp"
#include "walk.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

using paged::testing::fake_api;
using paged_test::walk;

namespace {
struct user {
    std::uint64_t id = 0;
    bool active = false;
};
void from_json(const nlohmann::json& j, user& u) {
    j.at("id").get_to(u.id);
    u.active = u.id % 3 == 0;
}
struct charge {
    std::uint64_t id = 0;
};
void from_json(const nlohmann::json& j, charge& c) { j.at("id").get_to(c.id); }

const std::string u = "https://api.test/v1/things";

struct issue {
    std::uint64_t number = 0;
};
void from_json(const nlohmann::json& j, issue& i) { j.at("number").get_to(i.number); }
void show(const issue&) {}

// README's client example: compiled, not run (it would call GitHub).
[[maybe_unused]] void readme_client_example(const std::string& token) {
    paged::http::client client(paged::http::client_options().header("Authorization", "Bearer " + token));
    auto issues = paged::http::next_link<issue>(client, "https://api.github.com/repos/o/r/issues?per_page=100");
    for (const issue& i : paged::blocking(paged::paginate(issues) | paged::take(10))) show(i);
}
// README's security example: compiled, not run.
[[maybe_unused]] void readme_security_example(const std::string& token) {
    paged::http::client client(paged::http::client_options()
                                   .header("Authorization", "Bearer " + token)
                                   .allow_origin("https://uploads.example.com"));  // also trusted with the token
}
[[maybe_unused]] paged::task<int> readme_request_example(paged::http::client& client) {
    paged::http::response reply = co_await client.send(paged::http::request(u).query("state", "open"));
    co_return reply.status;
}
// README's request-body and checked_send forms, inline inside a co_await as users write them: compiled, not run.
[[maybe_unused]] paged::task<std::size_t> readme_body_example(paged::http::client& client, std::string text) {
    paged::http::response made = co_await client.send(paged::http::request(u).method("POST").body(text, "application/json"));
    paged::http::response listing = co_await paged::http::checked_send(client, paged::http::request(u).query("list-type", "2"));
    co_return made.body.size() + listing.body.size();
}
}  // namespace

TEST_CASE("README: a GraphQL walk with its options inline inside a co_await", "[http][readme]") {
    fake_api client(paged_test::graphql_endpoint(paged::testing::numbered_records(120)));
    const std::string issues_query = "query($owner: String!, $first: Int, $after: String) { ... }";
    nlohmann::json repo;
    repo["owner"] = "o";
    const auto run = [&]() -> paged::task<std::size_t> {
        auto all = co_await paged::collect(paged::paginate(paged::http::graphql(
            client, paged::http::graphql_options("https://api.github.com/graphql", issues_query, "/data/repository/issues")
                        .variables(repo)
                        .page_size(50))));
        co_return all.size();
    };
    paged::manual_clock time;
    paged::event_loop loop(time);
    CHECK(paged::sync_wait(loop, run()) == 120);
    CHECK(client.requests().size() == 3);
}

namespace {
}  // namespace

TEST_CASE("README: the cursor example with filter on top", "[http][readme]") {
    fake_api client(paged::testing::cursor_endpoint(paged::testing::numbered_records(1000),
                                                    {.items = "/members", .next = "/response_metadata/next_cursor"}));
    auto users = paged::http::cursor<user>(client, paged::http::cursor_options("https://slack.com/api/users.list")
                                                       .items("/members")
                                                       .next("/response_metadata/next_cursor")
                                                       .page_size(200));
    auto active = paged::paginate(users, paged::walk_options().max_items(1000)) | paged::filter(&user::active);
    paged::event_loop loop;
    CHECK(paged::sync_wait(loop, paged::collect(std::move(active))).size() == 333);
    CHECK(client.requests().size() == 5);
}

TEST_CASE("README: a shard of a walk, chosen by the environment", "[http][readme][shard]") {
    const auto records = paged::testing::numbered_records(1'000);
    std::vector<std::uint64_t> together;
    for (const char* k : {"0", "1", "2"}) {
        ::setenv("WORKER", k, 1);
        ::setenv("WORKERS", "3", 1);
        fake_api client(paged::testing::offset_endpoint(records));
        const auto api = paged::http::offset(client, paged::http::offset_options(u).page_size(50));
        const std::size_t worker = std::stoul(std::getenv("WORKER")), workers = std::stoul(std::getenv("WORKERS"));
        auto mine = paged::paginate(api, paged::walk_options().shard(worker, workers).concurrency(4));
        paged::manual_clock time;
        paged::event_loop loop(time);
        const auto part = paged_test::ids(paged::sync_wait(loop, paged::collect(std::move(mine))));
        together.insert(together.end(), part.begin(), part.end());
    }
    std::sort(together.begin(), together.end());
    CHECK(together == paged_test::id_range(1, 1'000));
}

TEST_CASE("README: one example per strategy", "[http][readme]") {
    const auto records = paged::testing::numbered_records(250);
    {
        fake_api client(paged::testing::offset_endpoint(records));
        auto rows =
            paged::http::offset(client, paged::http::offset_options("https://db.example/rest/v1/events").page_size(100));
        CHECK(walk(rows).size() == 250);
    }
    {
        fake_api client(paged::testing::cursor_endpoint(records, {.items = "/messages", .next = "/meta/next"}));
        auto msgs = paged::http::cursor(client, paged::http::cursor_options(u).items("/messages").next("/meta/next"));
        CHECK(walk(msgs).size() == 250);
    }
    {
        fake_api client(paged_test::graphql_endpoint(records));
        const std::string issues_query = "query($first: Int, $after: String) { ... }";
        nlohmann::json repo;
        repo["owner"] = "o";
        auto nodes = paged::http::graphql(client, paged::http::graphql_options(u, issues_query, "/data/repository/issues")
                                                      .variables(repo));
        CHECK(walk(nodes).size() == 250);
        CHECK(client.requests().size() == 3);
    }
    {
        fake_api client(paged_test::search_endpoint(records));
        nlohmann::json filter;
        filter["query"] = "roadmap";
        auto pages = paged::http::cursor(client, paged::http::cursor_options(u).body(filter).cursor_in_body("/start_cursor")
                                                     .size_in_body("/page_size").items("/results").has_more("/has_more"));
        CHECK(walk(pages).size() == 250);
        CHECK(client.requests().size() == 3);
    }
    {
        fake_api client(paged::testing::keyset_endpoint(records));
        auto charges = paged::http::keyset<charge>(client, "https://api.stripe.com/v1/charges");
        CHECK(walk(charges).size() == 250);
    }
    {
        const std::vector<paged::http::keyset_key> keys{{"/created_at", "after_created_at"}, {"/id", "after_id"}};
        fake_api client(paged::testing::keyset_endpoint(records, {.items = "", .keys = keys, .has_more = ""}));
        auto events = paged::http::keyset(client, paged::http::keyset_options(u).items("").has_more("").key(
                                                       "/created_at", "after_created_at").key("/id", "after_id"));
        CHECK(walk(events).size() == 250);
    }
    {
        const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_gte"}, {"/id", ""}};
        fake_api client(
            paged::testing::keyset_endpoint(records, {.items = "", .keys = keys, .has_more = "", .inclusive = true}));
        auto since = paged::http::keyset(client, paged::http::keyset_options(u).items("").has_more("").inclusive(true)
                                                     .key("/created_at", "created_at_gte").key("/id", ""));
        CHECK(paged_test::ids(walk(since)) == paged_test::id_range(1, 250));
    }
    {
        fake_api client(paged::testing::link_endpoint(records));
        auto issues = paged::http::next_link(client, "https://api.github.com/repos/o/r/issues?per_page=100");
        CHECK(walk(issues).size() == 250);
        CHECK(client.requests().size() == 3);
    }
}
