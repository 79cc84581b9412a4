// Keyset walks over a list that changes between pages and between a stop and a resume (tests/support/live_data.py):
// strict (created_at, id) watermarks and inclusive (created_at >=) ones, against the real client and server.

#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/paginate.hpp>

#include "../support/local_server.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

using paged::http::client;
using paged::http::keyset_options;

namespace {

paged_test::local_server& server() {
    static paged_test::local_server shared(PAGED_TEST_SERVER, 10);
    return shared;
}

// A row's place in the list's order.
using row_key = std::pair<std::int64_t, std::int64_t>;  // created_at, id

row_key key_of(const nlohmann::json& row) {
    return {row.at("created_at").get<std::int64_t>(), row.at("id").get<std::int64_t>()};
}

// The whole list as it is now, in order, read past the walk under test.
std::vector<row_key> rows_now() {
    std::vector<row_key> rows;
    for (const auto& row : nlohmann::json::parse(server().get("/live/offset?limit=1000"))) rows.push_back(key_of(row));
    return rows;
}

keyset_options strict(std::size_t page_size) {
    return keyset_options(server().url("/live/keyset"))
        .items("")
        .has_more("")
        .key("/created_at", "after_created_at")
        .key("/id", "after_id")
        .page_size(page_size);
}

keyset_options inclusive(std::size_t page_size) {
    return keyset_options(server().url("/live/keyset"))
        .items("")
        .has_more("")
        .inclusive(true)
        .key("/created_at", "created_at_gte")
        .key("/id", "")
        .page_size(page_size);
}

// Walks `options` from `saved` to the end and returns what the walk handed out.
std::vector<row_key> resume(paged::event_loop& loop, client& http, const keyset_options& options,
                            const paged::checkpoint& saved) {
    std::vector<row_key> got;
    auto records = paged::paginate(paged::http::keyset(http, options), paged::walk_options().resume(saved));
    for (const auto& row : paged::blocking(std::move(records), loop)) got.push_back(key_of(row));
    return got;
}

// Stops after `count` rows and returns the checkpoint taken there.
paged::checkpoint stop_after(paged::event_loop& loop, client& http, const keyset_options& options, std::size_t count,
                             std::vector<row_key>& got) {
    auto fetcher = paged::http::keyset(http, options);
    paged::walk_state state(fetcher);
    for (const auto& row : paged::blocking(paged::paginate(fetcher, paged::walk_options().state(state)), loop)) {
        got.push_back(key_of(row));
        if (got.size() == count) break;
    }
    return paged::checkpoint::parse(state.to_checkpoint().to_string());
}

// Exact under change: strictly in order (so nothing twice), and every row still there that lies after `from`, other
// than those inserted at `behind` (a timestamp the walk had passed), was handed out.
void check_exact(const std::vector<row_key>& got, row_key from, std::int64_t behind) {
    for (std::size_t i = 1; i < got.size(); ++i) {
        if (!(got[i - 1] < got[i])) FAIL("row " << i << " is not after the one before it: repeated or out of order");
    }
    const std::set<row_key> handed_out(got.begin(), got.end());
    for (const row_key& row : rows_now()) {
        if (row > from && row.first != behind && !handed_out.contains(row)) {
            FAIL("row id " << row.second << " was never handed out");
        }
    }
}

}  // namespace

TEST_CASE("keyset change: a resume goes on right after the last row handed out, whatever was deleted or inserted",
          "[integration][change]") {
    paged::event_loop loop;
    client http(loop);
    for (const bool at_or_after : {false, true}) {
        for (const std::int64_t run : {3, 30}) {  // 30: the stop falls inside a run longer than a page
            CAPTURE(at_or_after, run);
            const keyset_options options = at_or_after ? inclusive(20) : strict(20);
            (void)server().get("/live/reset?records=300&run=" + std::to_string(run));
            std::vector<row_key> first;
            const paged::checkpoint saved = stop_after(loop, http, options, 150, first);
            const std::int64_t at = 1000 + 149 / run;  // the timestamp of row 150
            REQUIRE(first.back() == row_key{at, 150});

            // Between the stop and the resume: rows of the stopped page deleted (before the position and the last
            // row handed out itself), rows inserted behind the position (never seen) and at the position's
            // timestamp (after the last row, as their ids are larger: seen first).
            (void)server().get("/live/delete?ids=140,145,149,150");
            (void)server().get("/live/insert?created_at=990&count=3");
            (void)server().get("/live/insert?created_at=" + std::to_string(at) + "&count=2");
            const auto rest = resume(loop, http, options, saved);
            REQUIRE(!rest.empty());
            CHECK(rest.front() == row_key{at, 304});
            CHECK(rest.size() == 150 + 2);
            check_exact(rest, first.back(), 990);
        }
    }
}

TEST_CASE("keyset change: rows inserted and deleted during a walk, ties across every page boundary",
          "[integration][change]") {
    paged::event_loop loop;
    client http(loop);
    for (const bool at_or_after : {false, true}) {
        for (const std::size_t run : {1u, 4u, 7u, 30u}) {
            CAPTURE(at_or_after, run);
            (void)server().get("/live/reset?records=200&run=" + std::to_string(run));
            std::int64_t next_delete = 200;
            // After every page: one row inserted at the timestamp of the page's last row (so after it, across the
            // boundary), one far ahead, one behind; and the last row still to come deleted.
            std::vector<row_key> got;
            const auto change = [&] {
                const std::string at = std::to_string(got.back().first);
                (void)server().get("/live/insert?created_at=" + at + "&count=1");
                (void)server().get("/live/insert?created_at=5000&count=1");
                (void)server().get("/live/insert?created_at=900&count=1");
                (void)server().get("/live/delete?ids=" + std::to_string(next_delete--));
            };
            const keyset_options options = at_or_after ? inclusive(10) : strict(10);
            std::size_t pages = 0;
            for (auto& page : paged::blocking(paged::pages(paged::http::keyset(http, options)), loop)) {
                for (const auto& row : page.items) got.push_back(key_of(row));
                if (page.next && ++pages < 40) change();  // not after the last page: the walk has ended
            }
            check_exact(got, row_key{0, 0}, 900);
            // Every row of the first list that survived was handed out, and the rows inserted behind were not.
            CHECK(std::none_of(got.begin(), got.end(), [](const row_key& row) { return row.first == 900; }));
        }
    }
}
