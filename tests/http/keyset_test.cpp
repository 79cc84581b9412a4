#include <paged/http/keyset_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
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

namespace {
// Rows ordered by (created_at, id), `run` rows sharing each created_at.
std::vector<nlohmann::json> rows_in_runs(std::size_t count, std::size_t run) {
    std::vector<nlohmann::json> records;
    for (std::size_t id = 1; id <= count; ++id) {
        nlohmann::json record;
        record["id"] = id;
        record["created_at"] = 1000 + (id - 1) / run;
        records.push_back(std::move(record));
    }
    return records;
}

paged::http::keyset_options inclusive_options(std::size_t page_size) {
    return paged::http::keyset_options(endpoint)
        .items("")
        .has_more("")
        .inclusive(true)
        .key("/created_at", "created_at_gte")
        .key("/id", "")
        .page_size(page_size);
}
}  // namespace

TEST_CASE("keyset inclusive: a >= watermark drops the boundary rows already handed out, whatever the run's length",
          "[http][keyset]") {
    // has_more tells the end of the list from an API that caps its pages when the last rows share one value.
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_gte"}, {"/id", ""}};
    for (const std::size_t run : {1u, 3u, 4u, 5u, 9u, 25u}) {
        CAPTURE(run);
        const auto records = rows_in_runs(61, run);
        fake_api api(keyset_endpoint(records, {.items = "/data", .keys = keys, .has_more = "/more", .inclusive = true}));
        CHECK(ids(walk(paged::http::keyset(api, inclusive_options(4).items("/data").has_more("/more")))) ==
              id_range(1, 61));
        CHECK(api.requests()[1] == endpoint + "?limit=4&created_at_gte=" + std::to_string(1000 + 3 / run));
    }
}

TEST_CASE("keyset inclusive: newest first, with an at-or-before parameter", "[http][keyset]") {
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_lte"}, {"/id", ""}};
    auto records = rows_in_runs(47, 4);
    std::reverse(records.begin(), records.end());
    fake_api api(keyset_endpoint(records, {.items = "", .keys = keys, .has_more = "", .inclusive = true, .descending = true}));
    const auto options = paged::http::keyset_options(endpoint)
                             .items("")
                             .has_more("")
                             .inclusive(true)
                             .descending(true)
                             .key("/created_at", "created_at_lte")
                             .key("/id", "")
                             .page_size(5);
    auto expected = id_range(1, 47);
    std::reverse(expected.begin(), expected.end());
    CHECK(ids(walk(paged::http::keyset(api, options))) == expected);
    CHECK_THROWS_AS(paged::http::keyset(api, paged::http::keyset_options(endpoint).descending(true)), paged::usage_error);
}

TEST_CASE("keyset inclusive: a whole page of one value asks for more rows until it gets past them", "[http][keyset]") {
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_gte"}, {"/id", ""}};
    const auto records = rows_in_runs(40, 25);  // 25 rows at 1000, 15 at 1001
    fake_api api(keyset_endpoint(records, {.items = "/data", .keys = keys, .has_more = "/more", .inclusive = true}));
    CHECK(ids(walk(paged::http::keyset(api, inclusive_options(10).items("/data").has_more("/more")))) ==
          id_range(1, 40));
    // 1-10; 1-10 again (all seen) so 1-20: 11-20 are new. Still at 1000, so 1-20 at once (seen), then 1-40: 21-40
    // are new and has_more says nothing follows.
    CHECK(api.requests() == std::vector<std::string>{endpoint + "?limit=10",
                                                     endpoint + "?limit=10&created_at_gte=1000",
                                                     endpoint + "?limit=20&created_at_gte=1000",
                                                     endpoint + "?limit=20&created_at_gte=1000",
                                                     endpoint + "?limit=40&created_at_gte=1000"});
}

TEST_CASE("keyset inclusive: when it cannot get past a run of one value it says why", "[http][keyset]") {
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_gte"}, {"/id", ""}};
    const auto records = rows_in_runs(40, 25);
    // An API that never sends more than 10 rows a page: asked for 20 at 1000, it sends the same 10.
    fake_api api(keyset_endpoint(records, {.items = "", .keys = keys, .has_more = "", .max_page_size = 10, .inclusive = true}));
    try {
        walk(paged::http::keyset(api, inclusive_options(10)));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::stalled_cursor);
        CHECK_THAT(e.what(), Catch::Contains("caps its pages at 10") && Catch::Contains("created_at_gte"));
    }

    SECTION("with has_more the API says where the list ends, so an honest last run is no error") {
        const auto last_run = rows_in_runs(20, 10);  // the walk ends on a full page of one value
        fake_api flagged(keyset_endpoint(last_run, {.items = "/data", .keys = keys, .has_more = "/has_more", .inclusive = true}));
        CHECK(ids(walk(paged::http::keyset(flagged, inclusive_options(10).items("/data").has_more("/has_more")))) ==
              id_range(1, 20));
    }
}

TEST_CASE("keyset inclusive: an API that caps a wider request is an error, never a silently short walk",
          "[http][keyset]") {
    const std::vector<paged::http::keyset_key> keys{{"/created_at", "created_at_gte"}, {"/id", ""}};
    auto records = rows_in_runs(200, 200);  // 200 rows share created_at 1000, then 50 more at 1001..1050
    for (const auto& row : rows_in_runs(250, 1)) {
        if (row.at("id") > 200) records.push_back(row);
    }
    for (const bool flagged : {false, true}) {
        CAPTURE(flagged);
        // The API serves at most 100 rows, whatever it is asked: 30 a page is within it, 120 is not.
        fake_api api(keyset_endpoint(records, {.items = "/data", .keys = keys, .has_more = flagged ? "/more" : "",
                                               .max_page_size = 100, .inclusive = true}));
        std::size_t handed_out = 0;
        try {
            auto options = inclusive_options(30).items("/data").has_more(flagged ? "/more" : "");
            handed_out = walk(paged::http::keyset(api, options)).size();
            FAIL("no error, " << handed_out << " rows");
        } catch (const paged::pagination_error& e) {
            CHECK_THAT(e.what(), Catch::Contains("caps its pages at 100"));
        }
        CHECK(api.requests().size() < 10);  // bounded: it stops widening once a wider request brings nothing more
    }

    SECTION("a total that does not shrink with the filter is no way past the cap either") {
        fake_api api(keyset_endpoint({}));
        paged::http::headers unfiltered_total;
        unfiltered_total.add("X-Total-Count", "6");
        for (int i = 0; i < 8; ++i) {
            respond_with(api, R"([{"id": 1, "created_at": 5}, {"id": 2, "created_at": 5}])", unfiltered_total);
        }
        CHECK_THROWS_AS(walk(paged::http::keyset(api, inclusive_options(2))), paged::pagination_error);
        CHECK(api.requests().size() == 3);  // the first page, its repeat, and one wider request
    }
}

TEST_CASE("keyset inclusive: integer tie-breakers compare as integers of any size", "[http][keyset]") {
    fake_api api(keyset_endpoint({}));
    respond_with(api, R"([{"id": 9999999999999999999, "created_at": 5}, {"id": 10000000000000000000, "created_at": 5}])");
    respond_with(api, R"([{"id": 10000000000000000000, "created_at": 5}, {"id": 10000000000000000001, "created_at": 5}])");
    respond_with(api, R"([])");
    const auto got = walk(paged::http::keyset(api, inclusive_options(2)));
    REQUIRE(got.size() == 3);
    CHECK(got[2].at("id").dump() == "10000000000000000001");

    // An inclusive cursor names every key: one without its tie-breaker would drop every row at that value.
    CHECK_THROWS_AS(walk(paged::http::keyset(api, inclusive_options(2)),
                         paged::walk_options().start(std::vector<std::string>{"5"})),
                    paged::usage_error);
}

TEST_CASE("keyset inclusive: an answer that starts before the watermark is an error, not more records",
          "[http][keyset]") {
    fake_api api(keyset_endpoint({}));
    respond_with(api, R"([{"id": 1, "created_at": 5}, {"id": 2, "created_at": 6}])");
    respond_with(api, R"([{"id": 1, "created_at": 5}, {"id": 2, "created_at": 6}])");  // the parameter was ignored
    try {
        walk(paged::http::keyset(api, inclusive_options(2)));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("before the one it was asked to start at") &&
                                 Catch::Contains("created_at_gte"));
    }
    CHECK_THROWS_AS(paged::http::keyset(api, paged::http::keyset_options(endpoint).key("/id", "")), paged::usage_error);
}

TEST_CASE("keyset: a checkpoint names the last item handed out, so a resume starts right after it", "[http][keyset]") {
    fake_api api(keyset_endpoint(paged::testing::numbered_records(100)));
    const auto fetcher = paged::http::keyset(api, paged::http::keyset_options(endpoint).page_size(30));
    for (const std::size_t stop_after : {1u, 29u, 30u, 31u, 60u, 99u}) {
        CAPTURE(stop_after);
        paged::walk_state state(fetcher);
        walk(fetcher, paged::walk_options().max_items(stop_after).state(state));
        const auto saved = state.to_checkpoint();
        CHECK(saved.cursor == paged::cursor_codec<std::vector<std::string>>::encode({std::to_string(stop_after)}));
        CHECK(saved.offset == 0);
        const auto before = api.requests().size();
        CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(stop_after + 1, 100));
        // Never the page of the last item again: the first request starts after it.
        CHECK(api.requests()[before] == endpoint + "?limit=30&starting_after=" + std::to_string(stop_after));
    }

    SECTION("a checkpoint of the earlier format (the page's cursor and a count) is still read") {
        paged::checkpoint earlier;
        earlier.fingerprint = paged::fingerprint_of(fetcher.fingerprint());
        earlier.cursor = paged::cursor_codec<std::vector<std::string>>::encode({"30"});
        earlier.offset = 5;
        CHECK(ids(walk(fetcher, paged::walk_options().resume(paged::checkpoint::parse(earlier.to_string())))) ==
              id_range(36, 100));
    }
}
