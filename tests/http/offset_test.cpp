#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/checkpoint.hpp>
#include <paged/http/drift.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/walk_state.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <vector>

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

namespace {

// An offset endpoint over a list the test changes between pages (from walk_options::on_page, which runs after a page
// arrives and before the next is asked for).
class changing_list {
public:
    explicit changing_list(std::size_t count, paged::testing::offset_endpoint_options shape = {})
        : records_(paged::testing::numbered_records(count)), shape_(std::move(shape)) {}

    fake_api::handler handler() {
        return [this](const paged::http::request& r, const paged::http::url& u) {
            return paged::testing::offset_endpoint(records_, shape_)(r, u);
        };
    }
    // `count` new rows at index `at` (ids from 1001).
    void insert(std::size_t at, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            nlohmann::json row;
            row["id"] = next_id_++;
            records_.insert(records_.begin() + static_cast<std::ptrdiff_t>(at), std::move(row));
        }
    }
    void append() { insert(records_.size(), 1); }
    void erase(std::uint64_t id) {
        std::erase_if(records_, [id](const nlohmann::json& r) { return r.at("id") == id; });
    }

private:
    std::vector<nlohmann::json> records_;
    paged::testing::offset_endpoint_options shape_;
    std::uint64_t next_id_ = 1001;
};

std::size_t distinct(const std::vector<std::uint64_t>& ids) {
    return std::set<std::uint64_t>(ids.begin(), ids.end()).size();
}

}  // namespace

TEST_CASE("offset: with item_id each page after the first starts one item early, and nothing changes otherwise",
          "[http][offset][drift]") {
    SECTION("limit/offset") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(100)));
        CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10).item_id("/id")))) ==
              id_range(1, 100));
        REQUIRE(api.requests().size() == 11);  // 10, then 9 new a page
        CHECK(api.requests()[1] == endpoint + "?offset=9&limit=10");
        CHECK(api.requests()[10] == endpoint + "?offset=90&limit=10");
    }
    SECTION("json-server _start/_end, total unknown: the short page still ends it") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(95),
                                     {.style = paged::http::offset_style::start_end,
                                      .total = paged::testing::total_in::nowhere}));
        CHECK(ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(30).item_id("/id").style(
                                                    paged::http::offset_style::start_end)))) == id_range(1, 95));
        CHECK(api.requests()[1] == endpoint + "?_start=29&_end=59");
        CHECK(api.requests().size() == 4);
    }
    SECTION("items without the field are a body_error") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(30)));
        CHECK_THROWS_WITH(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10).item_id("/key"))),
                          Catch::Contains("item_id at '/key'"));
    }
}

TEST_CASE("offset: rows inserted before the position during the walk", "[http][offset][drift]") {
    changing_list list(100);
    fake_api api(list.handler());
    // Three rows after id 5, after each of the first three pages.
    const auto insert_behind = [&list](const paged::page_event& e) {
        if (e.index < 3) list.insert(5, 3);
    };
    std::vector<paged::http::drift_event> told;
    const auto tell = [&told](const paged::http::drift_event& e) { told.push_back(e); };
    auto options = paged::http::offset_options(endpoint).page_size(10).on_drift(tell);

    SECTION("error (default): source_changed before page 2 is handed out") {
        std::size_t pages_handed_out = 0;
        const auto count_and_insert = [&](const paged::page_event& e) {
            ++pages_handed_out;
            insert_behind(e);
        };
        try {
            walk(paged::http::offset(api, options), paged::walk_options().on_page(count_and_insert));
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::source_changed);
            CHECK_THAT(e.what(), Catch::Contains("X-Total-Count went from 100 to 103 between pages (at offset 10)") &&
                                     Catch::Contains("item_id") && Catch::Contains("keyset") &&
                                     Catch::Contains("drift_policy::warn") && Catch::Contains(endpoint + "?offset=10"));
        }
        CHECK(pages_handed_out == 1);
        REQUIRE(told.size() == 1);
        CHECK(told[0].kind == paged::http::drift_kind::total_changed);
        CHECK(told[0].previous_total == 100u);
        CHECK(told[0].total == 103u);
        CHECK_FALSE(told[0].exact);
    }
    SECTION("warn: told on each page, and the 9 rows pushed forward come out twice") {
        const auto got = ids(walk(paged::http::offset(api, std::move(options).drift(paged::http::drift_policy::warn)),
                                  paged::walk_options().on_page(insert_behind)));
        CHECK(told.size() == 3);
        CHECK(got.size() == 109);  // the walk reads to the new total
        CHECK(distinct(got) == 100);
        CHECK(got[10] == 8);  // page 2 starts 3 rows early: ids 8, 9, 10 again
    }
    SECTION("item_id: healed, every record exactly once, told as exact") {
        const auto got = ids(walk(paged::http::offset(api, std::move(options).item_id("/id")),
                                  paged::walk_options().on_page(insert_behind)));
        CHECK(got == id_range(1, 100));  // the inserted rows are behind the position: offsets cannot reach them
        REQUIRE(told.size() == 3);
        CHECK(told[0].kind == paged::http::drift_kind::page_shifted);
        CHECK(told[0].exact);
        CHECK(told[0].inserted == 3);
        CHECK(told[0].position == 10);
        CHECK(told[0].expected_id == "10");
        CHECK(told[0].found_id == "7");
        CHECK(api.requests()[1] == endpoint + "?offset=9&limit=10");
    }
    SECTION("ignore: nothing told, nothing asked early") {
        const auto got = ids(walk(paged::http::offset(api, std::move(options).item_id("/id").drift(
                                                               paged::http::drift_policy::ignore)),
                                  paged::walk_options().on_page(insert_behind)));
        CHECK(told.empty());
        CHECK(got.size() == 109);
        CHECK(api.requests()[1] == endpoint + "?offset=10&limit=10");
    }
}

TEST_CASE("offset: rows deleted before the position during the walk", "[http][offset][drift]") {
    changing_list list(100);
    fake_api api(list.handler());
    const auto delete_behind = [&list](const paged::page_event& e) {
        if (e.index == 0) {
            list.erase(3);
            list.erase(4);
        }
    };
    std::vector<paged::http::drift_event> told;
    const auto tell = [&told](const paged::http::drift_event& e) { told.push_back(e); };
    auto options = paged::http::offset_options(endpoint).page_size(10).item_id("/id").on_drift(tell);

    SECTION("error (default), naming the item expected and the one found") {
        try {
            walk(paged::http::offset(api, options), paged::walk_options().on_page(delete_behind));
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::source_changed);
            CHECK_THAT(e.what(), Catch::Contains("the item before offset 10 should be id 10") &&
                                     Catch::Contains("starts with id 12") && Catch::Contains("deleted"));
        }
        CHECK(told.size() == 1);
    }
    SECTION("warn: goes on; the observer says what was lost") {
        const auto got = ids(walk(paged::http::offset(api, std::move(options).drift(paged::http::drift_policy::warn)),
                                  paged::walk_options().on_page(delete_behind)));
        REQUIRE(told.size() == 1);
        CHECK_FALSE(told[0].exact);
        CHECK(told[0].expected_id == "10");
        CHECK(told[0].found_id == "12");
        std::vector<std::uint64_t> expected = id_range(1, 10);
        for (std::uint64_t id = 12; id <= 100; ++id) expected.push_back(id);
        CHECK(got == expected);  // id 11 slid behind the position: skipped, and said so
    }
}

TEST_CASE("offset: a total that changes is drift in every total's source", "[http][offset][drift]") {
    changing_list list(60, {.total = paged::testing::total_in::content_range});
    fake_api api(list.handler());
    const auto append = [&list](const paged::page_event&) { list.append(); };
    CHECK_THROWS_WITH(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10)),
                           paged::walk_options().on_page(append)),
                      Catch::Contains("Content-Range's total went from 60 to 61"));
    // item_id sees that the page still starts where it should: an insert past the position is not drift.
    std::size_t told = 0;
    const auto tell = [&told](const paged::http::drift_event&) { ++told; };
    const auto got = ids(walk(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10).item_id("/id").on_drift(tell)),
                              paged::walk_options().on_page(append)));
    CHECK(told == 0);
    CHECK(got.size() > 60);  // the rows appended ahead of the position are walked too
    CHECK(distinct(got) == got.size());
}

TEST_CASE("offset: a checkpoint on a healed page resumes right after the last item handed out", "[http][offset][drift]") {
    changing_list list(100);
    fake_api api(list.handler());
    const auto insert_once = [&list](const paged::page_event& e) {
        if (e.index == 0) list.insert(5, 3);
    };
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10).item_id("/id"));
    paged::walk_state state(fetcher);
    CHECK(ids(walk(fetcher, paged::walk_options().max_items(15).on_page(insert_once).state(state))) == id_range(1, 15));
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    CHECK(saved.cursor == "18");  // id 15 is at index 17 now: three rows were inserted before it
    CHECK(saved.offset == 0);
    CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(16, 100));
}

TEST_CASE("offset: item_id is checked when the fetcher is built and is part of the fingerprint", "[http][offset][drift]") {
    fake_api api(offset_endpoint({}));
    const auto by_page = paged::http::offset_options(endpoint).style(paged::http::offset_style::page_number).item_id("/id");
    CHECK_THROWS_WITH(paged::http::offset(api, by_page), Catch::Contains("page numbers cannot ask for one item early"));
    CHECK_THROWS_AS(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(1).item_id("/id")),
                    paged::usage_error);
    const auto plain = paged::http::offset(api, paged::http::offset_options(endpoint)).fingerprint();
    CHECK(paged::http::offset(api, paged::http::offset_options(endpoint).item_id("/id")).fingerprint() != plain);
    CHECK(paged::http::offset(api, paged::http::offset_options(endpoint).item_id("/id").drift(
                                       paged::http::drift_policy::ignore)).fingerprint() == plain);
    CHECK(paged::http::offset(api, paged::http::offset_options(endpoint).drift(paged::http::drift_policy::warn))
              .fingerprint() == plain);
}

TEST_CASE("offset: a server that ignores the position parameter meets the walk's repeat policy", "[http][offset]") {
    fake_api api(offset_endpoint(paged::testing::numbered_records(250),
                                 {.position_param = "skip", .total = paged::testing::total_in::nowhere}));
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50));
    paged::walk_state state(fetcher);
    CHECK(ids(walk(fetcher, paged::walk_options().repeats(paged::repeat_policy::stop).state(state))) == id_range(1, 50));
    CHECK(state.stop == paged::stop_reason::repeated_page);
    CHECK(api.requests().size() == 2);
}

TEST_CASE("offset: README's drift example, as written there", "[http][offset][drift][readme]") {
    fake_api client(offset_endpoint(paged::testing::numbered_records(45)));
    const std::string u = endpoint;
    const auto log_drift = [](const paged::http::drift_event& e) { std::clog << e.message << '\n'; };
    auto rows = paged::http::offset(client, paged::http::offset_options(u).item_id("/id").on_drift(log_drift));
    CHECK(ids(walk(rows)) == id_range(1, 45));
}

TEST_CASE("offset: with concurrency or shards, repeats and drift are judged in walk order, not arrival order",
          "[http][offset][drift][concurrency]") {
    SECTION("the page after another in the walk is the one marked, whichever answer came first") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(250),
                                     {.position_param = "skip", .total = paged::testing::total_in::nowhere}));
        auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(50));
        paged::event_loop loop;
        auto second = paged::sync_wait(loop, fetcher.fetch(50));  // arrives first
        auto first = paged::sync_wait(loop, fetcher.fetch(0));
        fetcher.in_walk_order(first, 0);
        CHECK_FALSE(first.repeats_previous);
        fetcher.in_walk_order(second, 50);
        CHECK(second.repeats_previous);
    }
    SECTION("a total that changes is drift with pages in flight, and between a shard's pages") {
        changing_list list(60, {.total = paged::testing::total_in::x_total_count});
        fake_api api(list.handler());
        const auto append = [&list](const paged::page_event&) { list.append(); };
        const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10));
        // Pages 0 to 2 are fetched at once (total 60); each accepted page appends a row, and page 3 is requested as
        // soon as page 0 is accepted: it says 61.
        CHECK_THROWS_WITH(walk(fetcher, paged::walk_options().on_page(append).concurrency(3)),
                          Catch::Contains("went from 60 to 61 between pages (at offset 30)"));
        // Shard 0 of 2 takes offsets 0 and 20: one row appended between them.
        CHECK_THROWS_WITH(walk(fetcher, paged::walk_options().on_page(append).shard(0, 2)),
                          Catch::Contains("went from 63 to 64 between pages (at offset 20)"));
    }
    SECTION("shards need computable page addresses: item_id's overlap is refused, not taken for a short page") {
        fake_api api(offset_endpoint(paged::testing::numbered_records(100)));
        const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(10).item_id("/id"));
        CHECK_THROWS_AS(walk(fetcher, paged::walk_options().shard(0, 2)), paged::usage_error);
        CHECK_THROWS_AS(walk(fetcher, paged::walk_options().shard(1, 2)), paged::usage_error);
        CHECK(api.requests().empty());
    }
}
