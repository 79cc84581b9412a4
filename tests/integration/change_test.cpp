// Walks of a list that changes while it is walked: the consumer inserts and deletes rows of
// tests/support/live_data.py between two pages, through the server's control endpoints, and checks what each
// strategy hands out and what it says.

#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/drift.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/walk_state.hpp>

#include "../support/local_server.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using paged::http::client;
using paged::http::drift_event;
using paged::http::drift_policy;
using paged::http::offset_options;

namespace {

paged_test::local_server& server() {
    static paged_test::local_server shared(PAGED_TEST_SERVER);
    return shared;
}

// A control request (/live/insert?...), by the server's own blocking GET: the client under test is not involved.
nlohmann::json control(const std::string& path_and_query) { return nlohmann::json::parse(server().get(path_and_query)); }

// 200 rows, ids 1..200 in order; three share each created_at, from 1000 on.
void reset_list() {
    server().reset();
    (void)control("/live/reset?records=200&run=3");
}

// Rows at the first timestamp: they sort right after ids 1, 2 and 3, behind any walk past its first page.
std::vector<std::uint64_t> insert_behind(std::size_t count) {
    return control("/live/insert?created_at=1000&count=" + std::to_string(count)).at("inserted");
}
// Rows after every other one: ahead of any walk that has not ended.
std::vector<std::uint64_t> insert_ahead(std::size_t count) {
    return control("/live/insert?created_at=999999&count=" + std::to_string(count)).at("inserted");
}
void delete_rows(const std::string& ids) { (void)control("/live/delete?ids=" + ids); }

std::vector<std::uint64_t> final_list() {
    std::vector<std::uint64_t> ids;
    for (const auto& row : control("/live/offset?limit=1000")) ids.push_back(row.at("id").template get<std::uint64_t>());
    return ids;
}

std::size_t endpoint_requests(const std::string& endpoint) {
    return server().stats().at("endpoints").at(endpoint).at("requests").get<std::size_t>();
}

// Walks `fetcher` a page at a time into `seen` (ids in order), calling `between(index)` after each page: the
// change happens after the page was handed out and before the next is asked for.
template <class Fetcher, class Change>
void walk_changing(paged::event_loop& loop, Fetcher fetcher, const Change& between, std::vector<std::uint64_t>& seen,
                   paged::walk_options<typename Fetcher::cursor_type> options = {}) {
    for (auto& batch : paged::blocking(paged::pages(std::move(fetcher), std::move(options)), loop)) {
        for (const auto& record : batch.items) seen.push_back(record.at("id").template get<std::uint64_t>());
        between(batch.index);
    }
}

std::size_t duplicates(const std::vector<std::uint64_t>& ids) {
    return ids.size() - std::set<std::uint64_t>(ids.begin(), ids.end()).size();
}

const std::string offset_url() { return server().url("/live/offset"); }

}  // namespace

TEST_CASE("change: 30 rows inserted before an offset walk's position, 3 after each of 10 pages", "[integration][drift]") {
    reset_list();
    paged::event_loop loop;
    client http(loop);
    std::vector<drift_event> told;
    const auto tell = [&told](const drift_event& e) { told.push_back(e); };
    const auto three_behind = [](std::size_t index) {
        if (index < 10) (void)insert_behind(3);
    };
    std::vector<std::uint64_t> seen;

    SECTION("error (default): the second page is refused, and says why and what to do") {
        const auto fetcher = paged::http::offset(http, offset_options(offset_url()).page_size(20).on_drift(tell));
        try {
            walk_changing(loop, fetcher, three_behind, seen);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::source_changed);
            CHECK_THAT(e.what(), Catch::Contains("X-Total-Count went from 200 to 203 between pages (at offset 20)") &&
                                     Catch::Contains("/live/offset?offset=20&limit=20") && Catch::Contains("item_id") &&
                                     Catch::Contains("keyset") && Catch::Contains("drift_policy::warn"));
        }
        CHECK(seen.size() == 20);  // page 1 only
        CHECK(told.size() == 1);
    }
    SECTION("warn: told on every page that moved; what it means: 30 records handed out twice") {
        const auto fetcher = paged::http::offset(
            http, offset_options(offset_url()).page_size(20).drift(drift_policy::warn).on_drift(tell));
        walk_changing(loop, fetcher, three_behind, seen);
        CHECK(told.size() == 10);
        CHECK(told.back().previous_total == 227u);
        CHECK(told.back().total == 230u);
        CHECK(seen.size() == 230);
        CHECK(duplicates(seen) == 30);
    }
    SECTION("item_id: healed; every record exactly once, in order; told as exact") {
        std::vector<std::uint64_t> behind;
        const auto both_sides = [&behind](std::size_t index) {
            if (index >= 10) return;
            for (const auto id : insert_behind(3)) behind.push_back(id);
            (void)insert_ahead(1);
        };
        const auto fetcher = paged::http::offset(http, offset_options(offset_url()).page_size(20).item_id("/id").on_drift(tell));
        walk_changing(loop, fetcher, both_sides, seen);

        // Offsets cannot reach rows inserted behind the position; every other row of the final list comes once.
        std::vector<std::uint64_t> expected;
        for (const auto id : final_list()) {
            if (std::find(behind.begin(), behind.end(), id) == behind.end()) expected.push_back(id);
        }
        CHECK(expected.size() == 210);
        CHECK(seen == expected);
        REQUIRE(told.size() == 10);
        for (const auto& event : told) {
            CHECK(event.kind == paged::http::drift_kind::page_shifted);
            CHECK(event.exact);
            CHECK(event.inserted == 3);
        }
    }
    SECTION("ignore: nothing told, the duplicates as under warn") {
        const auto fetcher = paged::http::offset(
            http, offset_options(offset_url()).page_size(20).item_id("/id").drift(drift_policy::ignore).on_drift(tell));
        walk_changing(loop, fetcher, three_behind, seen);
        CHECK(told.empty());
        CHECK(duplicates(seen) == 30);
    }
}

TEST_CASE("change: rows deleted before an offset walk's position", "[integration][drift]") {
    reset_list();
    paged::event_loop loop;
    client http(loop);
    std::vector<drift_event> told;
    const auto tell = [&told](const drift_event& e) { told.push_back(e); };
    const auto delete_after_page_2 = [](std::size_t index) {
        if (index == 1) delete_rows("5,6,7");
    };
    std::vector<std::uint64_t> seen;

    SECTION("item_id, error (default): the page that cannot be placed is refused, naming both items") {
        const auto fetcher = paged::http::offset(http, offset_options(offset_url()).page_size(20).item_id("/id").on_drift(tell));
        try {
            walk_changing(loop, fetcher, delete_after_page_2, seen);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::source_changed);
            CHECK_THAT(e.what(), Catch::Contains("the item before offset 39 should be id 39") &&
                                     Catch::Contains("starts with id 42") && Catch::Contains("deleted"));
        }
        CHECK(seen.size() == 39);
    }
    SECTION("item_id, warn: goes on, and the observer says where and how") {
        const auto fetcher = paged::http::offset(
            http, offset_options(offset_url()).page_size(20).item_id("/id").drift(drift_policy::warn).on_drift(tell));
        walk_changing(loop, fetcher, delete_after_page_2, seen);
        REQUIRE(told.size() == 1);
        CHECK(told[0].kind == paged::http::drift_kind::page_shifted);
        CHECK_FALSE(told[0].exact);
        CHECK(told[0].position == 39);
        CHECK(told[0].expected_id == "39");
        CHECK(told[0].found_id == "42");
        CHECK(told[0].previous_total == 200u);
        CHECK(told[0].total == 197u);
        // Ids 40 and 41 slid behind the position: the two records the walk skipped, as the event said.
        std::vector<std::uint64_t> expected;
        for (std::uint64_t id = 1; id <= 200; ++id) {
            if (id != 40 && id != 41) expected.push_back(id);
        }
        CHECK(seen == expected);
    }
    SECTION("without item_id the changed total is refused (default)") {
        const auto fetcher = paged::http::offset(http, offset_options(offset_url()).page_size(20));
        CHECK_THROWS_WITH(walk_changing(loop, fetcher, delete_after_page_2, seen),
                          Catch::Contains("X-Total-Count went from 200 to 197"));
    }
    SECTION("a total from Content-Range, and no total at all") {
        const auto ranged = paged::http::offset(http, offset_options(server().url("/live/offset?total=range")).page_size(20));
        CHECK_THROWS_WITH(walk_changing(loop, ranged, delete_after_page_2, seen),
                          Catch::Contains("Content-Range's total went from 200 to 197"));
        reset_list();
        // Nothing to compare: the walk cannot tell, and loses ids 41, 42 and 43 silently. item_id is the remedy.
        std::vector<std::uint64_t> blind;
        walk_changing(loop, paged::http::offset(http, offset_options(server().url("/live/offset?total=none")).page_size(20)),
                      delete_after_page_2, blind);
        CHECK(blind.size() == 197);
        CHECK(blind[39] == 40);
        CHECK(blind[40] == 44);
    }
}

TEST_CASE("change: next links that repeat the previous page under a new URL", "[integration][drift]") {
    reset_list();
    paged::event_loop loop;
    client http(loop);
    const auto nothing = [](std::size_t) {};
    std::vector<std::uint64_t> seen;

    SECTION("twice=1: every page linked to itself again, under &again=1; an error by default") {
        const auto fetcher = paged::http::next_link(http, server().url("/live/pages?per_page=20&twice=1"));
        try {
            walk_changing(loop, fetcher, nothing, seen);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_page);
            CHECK_THAT(e.what(), Catch::Contains("again=1") && Catch::Contains("ignore the parameter its next link moves"));
        }
        CHECK(seen.size() == 20);
        CHECK(endpoint_requests("/live/pages") == 2);
    }
    SECTION("twice=1 under repeat_policy::stop: the walk ends there, and says why") {
        const auto fetcher = paged::http::next_link(http, server().url("/live/pages?per_page=20&twice=1"));
        paged::walk_state state(fetcher);
        walk_changing(loop, fetcher, nothing, seen, paged::walk_options().repeats(paged::repeat_policy::stop).state(state));
        CHECK(seen.size() == 20);
        CHECK(state.stop == paged::stop_reason::repeated_page);
    }
    SECTION("stuck=1: the next link moves a parameter the server ignores; caught on page 2, not at max_requests") {
        const auto fetcher = paged::http::next_link(http, server().url("/live/pages?per_page=20&stuck=1"));
        try {
            walk_changing(loop, fetcher, nothing, seen, paged::walk_options().max_requests(1000));
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_page);
        }
        CHECK(seen.size() == 20);
        CHECK(endpoint_requests("/live/pages") == 2);
    }
    SECTION("a list that changes between pages is no repeat") {
        const auto insert_one = [](std::size_t index) {
            if (index < 5) (void)insert_ahead(1);
        };
        walk_changing(loop, paged::http::next_link(http, server().url("/live/pages?per_page=20")), insert_one, seen);
        CHECK(seen.size() == 205);
        CHECK(duplicates(seen) == 0);
    }
}
