#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
using paged::testing::fake_api;
using paged::testing::offset_endpoint;
using paged_test::id_range;
using paged_test::ids;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/v1/records";
}

TEST_CASE("offset: limit/offset walks every record once, in order, one request per page", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(20'000)));
    const auto records = walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50)));
    CHECK(ids(records) == id_range(1, 20'000));
    REQUIRE(api.requests().size() == 400);  // X-Total-Count says when to stop: no empty page at the end
    CHECK(api.requests()[0] == endpoint + "?offset=0&limit=50");
    CHECK(api.requests()[399] == endpoint + "?offset=19950&limit=50");
}

TEST_CASE("offset: the first 10, and the first 5 even through filter | take, cost one request", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(20'000)));
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50));

    CHECK(ids(walk(fetcher, paged::walk_options().max_items(10))) == id_range(1, 10));
    CHECK(api.requests().size() == 1);

    const auto even = [](const nlohmann::json& r) { return r.at("id").get<int>() % 2 == 0; };
    const auto id = [](const nlohmann::json& r) { return r.at("id").get<int>(); };
    paged::event_loop loop;
    const auto first_even = paged::sync_wait(
        loop, paged::collect(paged::paginate(fetcher) | paged::filter(even) | paged::map(id) | paged::take(5)));
    CHECK(first_even == std::vector<int>{2, 4, 6, 8, 10});
    CHECK(api.requests().size() == 2);
}

TEST_CASE("offset: styles and parameter names of real APIs", "[http][offset]") {
    const auto records = paged::testing::numbered_records(95);

    SECTION("json-server _start/_end") {
        fake_api api(offset_endpoint(records, {.style = paged::http::offset_style::start_end}));
        CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(30).style(
                                                    paged::http::offset_style::start_end)))) == id_range(1, 95));
        CHECK(api.requests()[1] == endpoint + "?_start=30&_end=60");
        CHECK(api.requests().size() == 4);
    }
    SECTION("per_page/page from 1 (GitHub), and from 0") {
        fake_api api(offset_endpoint(records, {.style = paged::http::offset_style::page_number, .total = paged::testing::total_in::nowhere}));
        CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(30).style(
                                                    paged::http::offset_style::page_number)))) == id_range(1, 95));
        CHECK(api.requests()[0] == endpoint + "?page=1&per_page=30");
        CHECK(api.requests().size() == 4);  // the short 4th page ends it

        fake_api zero_based(offset_endpoint(records, {.style = paged::http::offset_style::page_number, .first_page = 0}));
        CHECK(ids(walk(paged::http::offset(zero_based, paged::http::offset_options(endpoint)
                                                           .page_size(19)
                                                           .style(paged::http::offset_style::page_number)
                                                           .first_page(0)))) == id_range(1, 95));
        CHECK(zero_based.requests()[0] == endpoint + "?page=0&per_page=19");
        CHECK(zero_based.requests().size() == 5);  // 95 = 5 x 19 and the total says so: no 6th request
    }
    SECTION("custom names, items in an envelope, total in the body") {
        fake_api api(offset_endpoint(records, {.position_param = "skip", .size_param = "take",
                                               .total = paged::testing::total_in::body, .items = "/results"}));
        const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint + "?sort=id")
                                                          .items("/results")
                                                          .page_size(20)
                                                          .position_param("skip")
                                                          .size_param("take")
                                                          .total("/total"));
        CHECK(ids(walk(fetcher)) == id_range(1, 95));
        CHECK(api.requests()[1] == endpoint + "?sort=id&skip=20&take=20");
    }
}

TEST_CASE("offset: where the walk ends", "[http][offset]") {
    SECTION("on an empty page when nothing else tells") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(100), {.total = paged::testing::total_in::nowhere}));
        CHECK(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50))).size() == 100);
        CHECK(api.requests().size() == 3);
    }
    SECTION("on a short page") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(120), {.total = paged::testing::total_in::nowhere}));
        CHECK(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50))).size() == 120);
        CHECK(api.requests().size() == 3);
    }
    SECTION("at the Content-Range total; a server capping the page size loses nothing") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(250),
                                     {.max_page_size = 40, .total = paged::testing::total_in::content_range}));
        CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(100)))) ==
              id_range(1, 250));
        CHECK(api.requests().size() == 7);
        CHECK(api.requests()[1] == endpoint + "?offset=40&limit=100");
    }
    SECTION("page numbers with a capped page size and a total: an error, not a short result") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(250),
                                     {.style = paged::http::offset_style::page_number, .max_page_size = 40}));
        CHECK_THROWS_WITH(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(100).style(
                                                            paged::http::offset_style::page_number))),
                          Catch::Contains("page_size above the API's maximum"));
    }
}

TEST_CASE("offset: totals from headers, and malformed ones rejected", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(10)));
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(5));
    const auto answer = [&api](std::string name, std::string value) {
        paged::testing::scripted_response reply;
        reply.headers.add(std::move(name), std::move(value));
        reply.body = "[{\"id\": 1}]";
        api.respond_next(std::move(reply));
    };
    std::vector<paged::page_event> events;
    const auto record = [&events](const paged::page_event& e) { events.push_back(e); };

    answer("content-range", "items 0-0/1");
    CHECK(walk(fetcher, paged::walk_options().on_page(record)).size() == 1);
    CHECK(events.back().total == 1u);
    answer("Content-Range", "0-0/*");
    CHECK(walk(fetcher, paged::walk_options().on_page(record)).size() == 1);  // unknown total, short page: the end
    CHECK_FALSE(events.back().total.has_value());

    for (const char* bad : {"items 0-99/abc", "items 5-2/10", "items 0-10/10", "items -1-2/5", "bytes=0-1/2", "0-1"}) {
        CAPTURE(bad);
        answer("Content-Range", bad);
        CHECK_THROWS_AS(walk(fetcher), paged::http::header_error);
    }
    answer("X-Total-Count", "12x");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("X-Total-Count") && Catch::Contains("12x") &&
                                         Catch::Contains(endpoint + "?offset=0&limit=5"));
}

TEST_CASE("offset: resume from a saved offset", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(100)));
    CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(30)),
                   paged::walk_options().start(60))) == id_range(61, 100));
    CHECK(api.requests().size() == 2);
}

TEST_CASE("offset: options are checked when the fetcher is built", "[http][offset]") {
    fake_api api(offset_endpoint({}));
    CHECK_THROWS_AS(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(0)), paged::usage_error);
    CHECK_THROWS_AS(paged::http::offset(api, paged::http::offset_options(endpoint).items("data")), paged::usage_error);
    CHECK_THROWS_AS(paged::http::offset(api, "not a url"), paged::http::url_error);
    CHECK(api.requests().empty());
}

TEST_CASE("offset: a server that ignores the position parameter is caught, not walked 10,000 times", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(250),
                                 {.position_param = "skip", .total = paged::testing::total_in::nowhere}));
    try {
        walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50)));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::repeated_page);
        CHECK_THAT(e.what(), Catch::Contains("ignore 'offset'"));
    }
    CHECK(api.requests().size() == 2);

    fake_api ranged(offset_endpoint(paged::testing::numbered_records(250), {.total = paged::testing::total_in::content_range}));
    paged::testing::scripted_response elsewhere;
    elsewhere.headers.add("Content-Range", "items 0-0/250");
    elsewhere.body = R"([{"id": 1}])";
    ranged.respond_next(elsewhere);
    CHECK_THROWS_WITH(walk(paged::http::offset(ranged, paged::http::offset_options(endpoint).page_size(50)),
                           paged::walk_options().start(100)),
                      Catch::Contains("expected Content-Range to start at 100"));
}

TEST_CASE("offset: pages() for page-level work; nothing is requested before the first await", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(20'000)));
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50));
    paged::walk_state state(fetcher);
    auto batches = paged::pages(fetcher, paged::walk_options().state(state));
    CHECK(api.requests().empty());

    std::uint64_t expected_id = 1;
    std::size_t count = 0;
    paged::event_loop loop;
    for (auto& batch : paged::blocking(std::move(batches), loop)) {
        CHECK(batch.index == count++);
        CHECK(batch.total == 20'000u);
        for (const auto& record : batch.items) {
            if (record.at("id") != expected_id++) FAIL("out of order at page " << batch.index);
        }
    }
    CHECK(count == 400);
    CHECK(expected_id == 20'001);
    CHECK(state.stop == paged::stop_reason::exhausted);
    CHECK(state.requests == 400);
    CHECK(api.requests().size() == 400);
}
