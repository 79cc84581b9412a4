#include <paged/http/keyset_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <string>

using paged::testing::fake_api;
using paged::testing::keyset_endpoint;
using paged_test::id_range;
using paged_test::ids;
using paged_test::respond_with;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/v1/charges";

struct charge {
    std::uint64_t id = 0;
    std::string name;
};
void from_json(const nlohmann::json& j, charge& c) {
    j.at("id").get_to(c.id);
    j.at("name").get_to(c.name);
}
}  // namespace

TEST_CASE("keyset: Stripe's has_more + starting_after, decoded to a struct", "[http][keyset]") {
    fake_api api(keyset_endpoint(paged::testing::numbered_records(20'000)));
    const auto charges = walk(paged::http::keyset<charge>(api, paged::http::keyset_options(endpoint).page_size(50)));
    REQUIRE(charges.size() == 20'000);
    for (std::size_t i = 0; i < charges.size(); ++i) {
        if (charges[i].id != i + 1) FAIL("record " << i << " is id " << charges[i].id);
    }
    CHECK(charges.back().name == "record 20000");
    REQUIRE(api.requests().size() == 400);
    CHECK(api.requests()[0] == endpoint + "?limit=50");
    CHECK(api.requests()[1] == endpoint + "?limit=50&starting_after=50");

    CHECK(walk(paged::http::keyset<charge>(api, paged::http::keyset_options(endpoint).page_size(50)),
               paged::walk_options().max_items(10))
              .size() == 10);
    CHECK(api.requests().size() == 401);
}

TEST_CASE("keyset: a created_at + id watermark neither skips nor repeats rows sharing a timestamp",
          "[http][keyset]") {
    // created_at repeats in runs of three; pages of 4 cut through every run.
    const auto records = paged::testing::numbered_records(103);
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "after_created_at"}, {"/id", "after_id"}};
    fake_api api(keyset_endpoint(records, {.items = "", .keys = keys, .has_more = ""}));
    const auto fetcher = paged::http::keyset(api, paged::http::keyset_options(endpoint)
                                                      .items("")
                                                      .key("/created_at", "after_created_at")
                                                      .key("/id", "after_id")
                                                      .has_more("")
                                                      .page_size(4));
    CHECK(ids(walk(fetcher)) == id_range(1, 103));
    CHECK(api.requests().size() == 26);  // 25 full pages and a short one
    CHECK(api.requests()[1] == endpoint + "?limit=4&after_created_at=1700000001&after_id=4");

    // created_at alone would lose the rows that share the boundary row's timestamp: the server then skips id 5.
    fake_api by_time(keyset_endpoint(records, {.items = "", .keys = {{"/created_at", "after"}}, .has_more = ""}));
    const auto lossy = walk(paged::http::keyset(
        by_time, paged::http::keyset_options(endpoint).items("").key("/created_at", "after").has_more("").page_size(4)));
    CHECK(lossy.size() < records.size());
}

TEST_CASE("keyset: resume from a saved watermark and from a checkpoint", "[http][keyset]") {
    fake_api api(keyset_endpoint(paged::testing::numbered_records(100)));
    const auto fetcher = paged::http::keyset(api, paged::http::keyset_options(endpoint).page_size(30));
    CHECK(ids(walk(fetcher, paged::walk_options().start(std::vector<std::string>{"70"}))) == id_range(71, 100));

    paged::walk_state state(fetcher);
    CHECK(walk(fetcher, paged::walk_options().max_items(31).state(state)).size() == 31);
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(32, 100));
}

TEST_CASE("keyset: malformed responses are typed errors", "[http][keyset]") {
    fake_api api(keyset_endpoint({}));
    const auto fetcher = paged::http::keyset(api, endpoint);

    respond_with(api, R"({"data": [], "has_more": true})");
    CHECK_THROWS_AS(walk(fetcher), paged::pagination_error);
    respond_with(api, R"({"data": [{"name": "no id"}], "has_more": true})");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("key at '/id'") && Catch::Contains("no id"));
    respond_with(api, R"({"data": [{"id": 1}]})");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected true or false at '/has_more'"));
    respond_with(api, R"({"data": [{"id": 1}], "has_more": true})");
    respond_with(api, R"({"data": [{"id": 2}], "has_more": true})");
    respond_with(api, R"({"data": [{"id": 1}], "has_more": true})");
    CHECK_THROWS_AS(walk(fetcher), paged::pagination_error);  // back to the watermark of page 0: a cycle
    respond_with(api, R"({"data": [{"id": "x", "name": 5}], "has_more": false})");
    CHECK_THROWS_WITH(walk(paged::http::keyset<charge>(api, endpoint)),
                      Catch::Contains("item 0 at '/data' does not decode"));

    // Options are checked when the fetcher is built, before any request.
    const auto requests_before = api.requests().size();
    CHECK_THROWS_AS(paged::http::keyset(api, paged::http::keyset_options(endpoint).page_size(0)), paged::usage_error);
    CHECK_THROWS_AS(paged::http::keyset(api, paged::http::keyset_options(endpoint).key("id", "after")),
                    paged::usage_error);  // not a JSON Pointer
    CHECK(api.requests().size() == requests_before);
}

TEST_CASE("keyset: without has_more, only a page shorter than asked ends the walk", "[http][keyset]") {
    fake_api api(keyset_endpoint({}));
    respond_with(api, R"([{"id": 1}, {"id": 2}, {"id": 3}])");  // a server that ignores limit=2
    respond_with(api, R"([{"id": 4}])");
    const auto fetcher =
        paged::http::keyset(api, paged::http::keyset_options(endpoint).items("").has_more("").page_size(2));
    CHECK(ids(walk(fetcher)) == id_range(1, 4));
    CHECK(api.requests().size() == 2);
    CHECK(api.requests()[1] == endpoint + "?limit=2&starting_after=3");
}
