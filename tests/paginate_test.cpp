#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/collect.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include "support/memory_source.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged_test::memory_fetcher;
using paged_test::scripted_fetcher;
using paged_test::scripted_page;
using cursor = memory_fetcher::cursor_type;

namespace {

template <class T>
std::vector<std::remove_cvref_t<T>> all(paged::event_loop& loop, paged::async_generator<T> gen) {
    return paged::sync_wait(loop, paged::collect(std::move(gen)));
}

// Reads `count` items (or all) through blocking(), then drops the walk.
std::vector<int> read(paged::event_loop& loop, paged::async_generator<int> gen, std::size_t count) {
    std::vector<int> got;
    for (int item : paged::blocking(std::move(gen), loop)) {
        got.push_back(item);
        if (got.size() == count) break;
    }
    return got;
}

}  // namespace

TEST_CASE("paginate: every record exactly once and in order, one fetch per page", "[paginate]") {
    const auto rows = paged_test::iota_rows(20'000);
    int fetches = 0;
    paged::manual_clock time;
    paged::event_loop loop(time);
    const memory_fetcher api{&rows, 50, &fetches, 30ms};

    CHECK(all(loop, paged::paginate(api)) == rows);
    CHECK(fetches == 400);
    CHECK(time.now().time_since_epoch() == 400 * 30ms);  // pages are fetched one after the other, on virtual time

    fetches = 0;
    const auto short_last_page = paged_test::iota_rows(101);
    const memory_fetcher uneven{&short_last_page, 50, &fetches};
    CHECK(all(loop, paged::paginate(uneven)) == short_last_page);
    CHECK(fetches == 3);
}

TEST_CASE("paginate: nothing is fetched before the first await, then only what the consumer uses", "[paginate]") {
    const auto rows = paged_test::iota_rows(20'000);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50, &fetches};

    {
        auto records = paged::paginate(api);
        CHECK(fetches == 0);
    }
    CHECK(fetches == 0);

    CHECK(read(loop, paged::paginate(api), 10) == paged_test::iota_rows(10));
    CHECK(fetches == 1);

    fetches = 0;
    CHECK(read(loop, paged::paginate(api), 50).size() == 50);
    CHECK(fetches == 1);  // the 50th item is the last of page 1: page 2 is not fetched until asked for

    fetches = 0;
    CHECK(read(loop, paged::paginate(api), 51).back() == 50);
    CHECK(fetches == 2);
}

TEST_CASE("paginate: filter | map | take on top stays lazy", "[paginate]") {
    const auto rows = paged_test::iota_rows(20'000);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50, &fetches};

    const auto is_even = [](int x) { return x % 2 == 0; };
    const auto label = [](int x) { return "#" + std::to_string(x); };
    auto first_five_even = paged::paginate(api) | paged::filter(is_even) | paged::map(label) | paged::take(5);
    CHECK(all(loop, std::move(first_five_even)) == std::vector<std::string>{"#0", "#2", "#4", "#6", "#8"});
    CHECK(fetches == 1);

    fetches = 0;
    const auto past_first_page = [](int x) { return x >= 120; };
    CHECK(all(loop, paged::paginate(api) | paged::filter(past_first_page) | paged::take(3)) ==
          std::vector<int>{120, 121, 122});
    CHECK(fetches == 3);
}

TEST_CASE("pages: one page at a time with its cursor, next cursor, index and total", "[paginate]") {
    const auto rows = paged_test::iota_rows(120);
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50};

    const auto walked = all(loop, paged::pages(api));
    REQUIRE(walked.size() == 3);
    CHECK(walked[0].index == 0);
    CHECK(walked[0].cursor == 0);
    CHECK(walked[0].next == cursor{50});
    CHECK(walked[1].cursor == 50);
    CHECK(walked[2].index == 2);
    CHECK(walked[2].items == std::vector<int>(rows.begin() + 100, rows.end()));
    CHECK_FALSE(walked[2].next.has_value());
    CHECK(walked[2].total == 120u);
}

TEST_CASE("paginate: max_items and max_pages end the walk and say so", "[paginate]") {
    const auto rows = paged_test::iota_rows(1000);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50, &fetches};
    paged::walk_state<cursor> state;

    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(75).state(state))) == paged_test::iota_rows(75));
    CHECK(fetches == 2);
    CHECK(state.stop == paged::stop_reason::max_items);

    fetches = 0;
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(100).state(state))).size() == 100);
    CHECK(fetches == 2);  // the 100th item ends page 2: page 3 is never fetched
    CHECK(state.stop == paged::stop_reason::max_items);

    fetches = 0;
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(0).state(state))).empty());
    CHECK(fetches == 0);

    fetches = 0;
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_pages(3).state(state))) == paged_test::iota_rows(150));
    CHECK(fetches == 3);
    CHECK(state.stop == paged::stop_reason::max_pages);

    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_pages(20).state(state))).size() == 1000);
    CHECK(state.stop == paged::stop_reason::exhausted);  // 20 pages exactly: the walk ended by itself
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(1000).state(state))).size() == 1000);
    CHECK(state.stop == paged::stop_reason::exhausted);
}

TEST_CASE("paginate: no request cap by default: an honest walk of any size runs to its end", "[paginate]") {
    const auto rows = paged_test::iota_rows(25'000);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 1, &fetches};  // 25,000 requests, well past the old default cap of 10,000

    CHECK_FALSE(paged::walk_options().max_requests().has_value());
    paged::walk_state state(api);
    CHECK(all(loop, paged::paginate(api, paged::walk_options().state(state))) == rows);
    CHECK(fetches == 25'000);
    CHECK(state.requests == 25'000);
    CHECK(state.stop == paged::stop_reason::exhausted);
}

TEST_CASE("paginate: max_requests, when set, bounds the walk and running out is an error", "[paginate]") {
    const auto rows = paged_test::iota_rows(1000);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 10, &fetches};

    try {
        all(loop, paged::paginate(api, paged::walk_options().max_requests(7)));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::max_requests);
        CHECK_THAT(e.what(), Catch::Contains("7 requests"));
    }
    CHECK(fetches == 7);
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_requests(100))).size() == 1000);
}

TEST_CASE("paginate: a cycle A -> B -> A is caught, not only a repeat of the last cursor", "[paginate]") {
    scripted_fetcher api;
    int fetches = 0;
    api.fetches = &fetches;
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = scripted_page({3, 4}, "B");
    api.script["B"] = scripted_page({5, 6}, "A");
    paged::event_loop loop;
    std::vector<int> got;

    SECTION("error (default), after handing out every item fetched") {
        try {
            for (int item : paged::blocking(paged::paginate(api), loop)) got.push_back(item);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_cursor);
            CHECK_THAT(e.what(), Catch::Contains("page 2 (cursor 'B')") && Catch::Contains("cursor 'A' already followed for page 1"));
        }
        CHECK(fetches == 3);
        CHECK(got == std::vector<int>{1, 2, 3, 4, 5, 6});
    }
    SECTION("stop ends the walk after the page that points back") {
        paged::walk_state<std::string> state;
        got = all(loop, paged::paginate(api, paged::walk_options().repeats(paged::repeat_policy::stop).state(state)));
        CHECK(got == std::vector<int>{1, 2, 3, 4, 5, 6});
        CHECK(fetches == 3);
        CHECK(state.stop == paged::stop_reason::repeated_cursor);
    }
    SECTION("allow follows it, bounded by max_requests") {
        CHECK_THROWS_AS(all(loop, paged::paginate(api, paged::walk_options().max_requests(10).repeats(paged::repeat_policy::allow))),
                        paged::pagination_error);
        CHECK(fetches == 10);
    }
}

TEST_CASE("paginate: an empty page that gives back its own cursor is a stall", "[paginate]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1}, "A");
    api.script["A"] = scripted_page({}, "A");
    paged::event_loop loop;
    try {
        all(loop, paged::paginate(api));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::stalled_cursor);
    }
}

TEST_CASE("paginate: start resumes from a saved cursor", "[paginate]") {
    const auto rows = paged_test::iota_rows(200);
    int fetches = 0;
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50, &fetches};

    CHECK(all(loop, paged::paginate(api, paged::walk_options().start(cursor{150}))) == std::vector<int>(rows.begin() + 150, rows.end()));
    CHECK(fetches == 1);
}

TEST_CASE("paginate: on_page reports index, items, bytes, elapsed and total", "[paginate]") {
    const auto rows = paged_test::iota_rows(120);
    paged::manual_clock time;
    paged::event_loop loop(time);
    const memory_fetcher api{&rows, 50, nullptr, 25ms};
    std::vector<paged::page_event> events;
    const auto record = [&events](const paged::page_event& event) { events.push_back(event); };

    CHECK(all(loop, paged::paginate(api, paged::walk_options().on_page(record))).size() == 120);
    REQUIRE(events.size() == 3);
    CHECK(events[0].index == 0);
    CHECK(events[2].index == 2);
    CHECK(events[2].items == 20);
    CHECK(events[2].bytes == 20 * sizeof(int));
    CHECK(events[1].elapsed == 25ms);
    CHECK(events[1].total == 120u);
}

TEST_CASE("paginate: an error from a fetch reaches the consumer after the items before it", "[paginate]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1, 2}, "missing");
    paged::event_loop loop;
    std::vector<int> got;
    CHECK_THROWS_AS([&] { for (int item : paged::blocking(paged::paginate(api), loop)) got.push_back(item); }(),
                    std::out_of_range);
    CHECK(got == std::vector<int>{1, 2});
}

TEST_CASE("paginate: max_items that ends the walk before a cycle is followed is no error", "[paginate]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = scripted_page({3, 4}, "B");
    api.script["B"] = scripted_page({5, 6}, "A");
    paged::event_loop loop;
    paged::walk_state<std::string> state;
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(5).state(state))) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(state.stop == paged::stop_reason::max_items);
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(6).state(state))) == std::vector<int>{1, 2, 3, 4, 5, 6});
    CHECK(state.stop == paged::stop_reason::max_items);
}

TEST_CASE("paginate: a stall is an error under repeat_policy::stop too; allow follows it", "[paginate]") {
    scripted_fetcher api;
    int fetches = 0;
    api.fetches = &fetches;
    api.script[""] = scripted_page({1}, "A");
    api.script["A"] = scripted_page({}, "A");
    paged::event_loop loop;
    CHECK_THROWS_AS(all(loop, paged::paginate(api, paged::walk_options().repeats(paged::repeat_policy::stop))), paged::pagination_error);
    fetches = 0;
    CHECK_THROWS_WITH(all(loop, paged::paginate(api, paged::walk_options().max_requests(5).repeats(paged::repeat_policy::allow))),
                      Catch::Contains("max_requests"));
    CHECK(fetches == 5);
}

TEST_CASE("paginate: a page the fetcher marks as a dead end is handed out before the error", "[paginate]") {
    scripted_fetcher api;
    auto dead_end = scripted_page({3, 4}, std::nullopt);
    dead_end.error_after = std::make_exception_ptr(
        paged::pagination_error(paged::pagination_failure::has_more_without_cursor, "more, but no cursor"));
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = dead_end;
    paged::event_loop loop;
    std::vector<int> got;
    CHECK_THROWS_WITH([&] { for (int item : paged::blocking(paged::paginate(api), loop)) got.push_back(item); }(),
                      "more, but no cursor");
    CHECK(got == std::vector<int>{1, 2, 3, 4});
    CHECK(all(loop, paged::paginate(api, paged::walk_options().max_items(4))) == std::vector<int>{1, 2, 3, 4});  // all it asked for
}

TEST_CASE("paginate: the guard keeps digests, so long cursors sharing a prefix are told apart and cycles still caught",
          "[paginate]") {
    // 60 KB cursors that differ only in their last byte.
    const std::string prefix(60'000, 'c');
    scripted_fetcher api;
    api.script[""] = scripted_page({1}, prefix + "A");
    api.script[prefix + "A"] = scripted_page({2}, prefix + "B");
    api.script[prefix + "B"] = scripted_page({3}, prefix + "C");
    paged::event_loop loop;

    SECTION("no false repeat") {
        api.script[prefix + "C"] = scripted_page({4}, std::nullopt);
        CHECK(all(loop, paged::paginate(api)) == std::vector<int>{1, 2, 3, 4});
    }
    SECTION("A -> B -> C -> A is a cycle, named by bounded excerpts of the cursors at hand") {
        api.script[prefix + "C"] = scripted_page({4}, prefix + "A");
        try {
            all(loop, paged::paginate(api));
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_cursor);
            CHECK_THAT(e.what(),
                       Catch::Contains("page 3 (cursor 'ccc") && Catch::Contains("already followed for page 1"));
            CHECK(std::string(e.what()).size() < 400);
        }
    }
}

namespace {
// A cursor without a cursor_codec: the guard keeps it whole (it can only compare it).
struct opaque_cursor {
    int position = 0;
    friend auto operator<=>(const opaque_cursor&, const opaque_cursor&) = default;
};

struct opaque_fetcher {
    using value_type = int;
    using cursor_type = opaque_cursor;
    std::vector<int> next_of;  // page i points to page next_of[i]; -1 ends

    opaque_cursor first_cursor() const { return {}; }
    paged::task<paged::page<int, opaque_cursor>> fetch(opaque_cursor at) {
        paged::page<int, opaque_cursor> result;
        result.items = {at.position};
        const int next = next_of.at(static_cast<std::size_t>(at.position));
        if (next >= 0) result.next = opaque_cursor{next};
        co_return result;
    }
};
}  // namespace

TEST_CASE("paginate: the guard still catches cycles and stalls of cursors without a codec", "[paginate]") {
    static_assert(!paged::encodable_cursor<opaque_cursor>);
    paged::event_loop loop;
    CHECK(all(loop, paged::paginate(opaque_fetcher{{1, 2, -1}})) == std::vector<int>{0, 1, 2});
    try {
        all(loop, paged::paginate(opaque_fetcher{{1, 2, 1}}));
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::repeated_cursor);
        CHECK_THAT(e.what(), Catch::Contains("already followed for page 1"));
    }
}

TEST_CASE("digest128: equal bytes give equal digests, and near misses differ", "[paginate]") {
    using paged::detail::digest_of;
    CHECK(digest_of("tok-350") == digest_of(std::string("tok-") + "350"));
    // Zero padding of the last word and the length must both count.
    const std::vector<std::string> near{"", std::string(1, '\0'), std::string(8, '\0'), std::string(9, '\0'), "a",
                                        std::string("a\0", 2), "ab", "ba", "abcdefgh", "abcdefgh0", "bacdefgh"};
    std::set<paged::detail::digest128> distinct;
    for (const auto& text : near) distinct.insert(digest_of(text));
    CHECK(distinct.size() == near.size());

    // 200,000 short, similar strings (cursors such as tok-1, tok-2, ...): no collision in either half.
    std::set<std::uint64_t> firsts;
    std::set<std::uint64_t> seconds;
    for (int i = 0; i < 200'000; ++i) {
        const auto digest = digest_of("tok-" + std::to_string(i));
        firsts.insert(digest.first);
        seconds.insert(digest.second);
    }
    CHECK(firsts.size() == 200'000);
    CHECK(seconds.size() == 200'000);
}

TEST_CASE("paginate: a page the fetcher marks as repeating the previous one meets the repeat policy", "[paginate]") {
    scripted_fetcher api;
    int fetches = 0;
    api.fetches = &fetches;
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = scripted_page({1, 2}, "B");
    api.script["A"].repeats_previous = std::make_exception_ptr(
        paged::pagination_error(paged::pagination_failure::repeated_page, "page A repeats page ''"));
    api.script["B"] = scripted_page({3}, std::nullopt);
    paged::event_loop loop;

    SECTION("error (default): thrown before the repeated items are handed out") {
        std::vector<int> got;
        try {
            for (int item : paged::blocking(paged::paginate(api), loop)) got.push_back(item);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_page);
        }
        CHECK(got == std::vector<int>{1, 2});
    }
    SECTION("stop ends the walk before it, and says so") {
        paged::walk_state<std::string> state;
        CHECK(all(loop, paged::paginate(api, paged::walk_options().repeats(paged::repeat_policy::stop).state(state))) ==
              std::vector<int>{1, 2});
        CHECK(state.stop == paged::stop_reason::repeated_page);
        CHECK(fetches == 2);
    }
    SECTION("allow hands it out and goes on") {
        CHECK(all(loop, paged::paginate(api, paged::walk_options().repeats(paged::repeat_policy::allow))) ==
              std::vector<int>{1, 2, 1, 2, 3});
    }
}

TEST_CASE("paginate: with item_cursors, the walk state names the last item handed out", "[paginate][checkpoint]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1, 2, 3}, "after-3");
    api.script[""].item_cursors = {"after-1", "after-2", "after-3"};
    api.script["after-3"] = scripted_page({4, 5}, std::nullopt);
    api.script["after-3"].item_cursors = {"after-4", "after-5"};
    paged::event_loop loop;
    paged::walk_state<std::string> state;
    auto records = paged::paginate(api, paged::walk_options().state(state).max_items(4));
    std::vector<std::pair<std::string, std::size_t>> positions;
    for (int item : paged::blocking(std::move(records), loop)) {
        (void)item;
        positions.emplace_back(state.cursor, state.offset);
    }
    CHECK(positions == std::vector<std::pair<std::string, std::size_t>>{
                           {"after-1", 0}, {"after-2", 0}, {"after-3", 0}, {"after-4", 0}});

    SECTION("a fetcher that gives item_cursors of the wrong length is told so") {
        api.script["after-3"].item_cursors.pop_back();
        CHECK_THROWS_WITH(all(loop, paged::paginate(api)), Catch::Contains("give one per item"));
    }
}

TEST_CASE("paginate: a page that gives back its own cursor (repeat_policy::allow) is not used up for a checkpoint",
          "[paginate][checkpoint]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = scripted_page({3}, "A");  // a tail: the same token while nothing new has come
    paged::event_loop loop;
    paged::walk_state<std::string> state;
    CHECK(all(loop, paged::paginate(api, paged::walk_options().repeats(paged::repeat_policy::allow).max_pages(2).state(
                                             state))) == std::vector<int>{1, 2, 3});
    CHECK(state.cursor == "A");
    CHECK(state.offset == 1);  // a resume fetches A again and skips the item already handed out
}

namespace {
// Consumes every page of `walk`, spending `work` on each (on the loop's clock), and returns the items in order.
paged::task<std::vector<int>> consume_slowly(paged::async_generator<paged::page<int, cursor>> walk,
                                             paged::clock::duration work) {
    std::vector<int> got;
    for (auto it = co_await walk.begin(); it != walk.end(); (void)co_await ++it) {
        got.insert(got.end(), it->items.begin(), it->items.end());
        co_await paged::sleep_for(work);
    }
    co_return got;
}
}  // namespace

TEST_CASE("paginate: prefetch fetches pages while the consumer works, and hands them out in order", "[paginate][prefetch]") {
    const auto rows = paged_test::iota_rows(1'000);
    int fetches = 0;
    paged::manual_clock time;
    paged::event_loop loop(time);
    const memory_fetcher api{&rows, 50, &fetches, 30ms};  // 20 pages, 30 ms each

    // Without read-ahead a page is fetched only once the consumer has used up the one before it: 20 x (30 + 30) ms.
    CHECK(paged::sync_wait(loop, consume_slowly(paged::pages(api), 30ms)) == rows);
    CHECK(time.now().time_since_epoch() == 20 * 60ms);

    // With it the next page downloads while the consumer works on this one: the first fetch, then 20 x 30 ms.
    for (const std::size_t depth : {1u, 2u, 5u}) {
        CAPTURE(depth);
        const auto start = time.now();
        fetches = 0;
        CHECK(paged::sync_wait(loop, consume_slowly(paged::pages(api, paged::walk_options().prefetch(depth)), 30ms)) ==
              rows);
        CHECK(fetches == 20);
        CHECK(time.now() - start == 30ms + 20 * 30ms);
    }
    // paginate() too, synchronous sources too.
    const memory_fetcher instant{&rows, 50};
    CHECK(all(loop, paged::paginate(instant, paged::walk_options().prefetch(3))) == rows);
}

TEST_CASE("paginate: prefetch never runs more than its depth ahead, and stopping cancels the fetch in flight",
          "[paginate][prefetch]") {
    const auto rows = paged_test::iota_rows(1'000);
    int fetches = 0;
    paged::manual_clock time;
    paged::event_loop loop(time);
    const memory_fetcher api{&rows, 50, &fetches, 30ms};
    // The consumer takes 10 records and stops while the reads ahead are under way.
    CHECK(read(loop, paged::paginate(api, paged::walk_options().prefetch(2)), 10) == paged_test::iota_rows(10));
    CHECK(fetches <= 3);
    // Nothing left running behind: an hour later no fetch has started or finished.
    const int after_stop = fetches;
    paged::sync_wait(loop, []() -> paged::task<void> { co_await paged::sleep_for(1h); }());
    CHECK(fetches == after_stop);
    // A slow consumer: the reader stops at the depth, however long the consumer takes.
    fetches = 0;
    auto walk = paged::pages(api, paged::walk_options().prefetch(2));
    const auto first_page = [&]() -> paged::task<std::size_t> {
        auto it = co_await walk.begin();
        co_await paged::sleep_for(10s);  // 2 pages ahead are long since fetched
        co_return it->items.size();
    };
    CHECK(paged::sync_wait(loop, first_page()) == 50);
    CHECK(fetches == 3);
}

TEST_CASE("paginate: with prefetch a failure reaches the consumer after every page before it, and checkpoints "
          "follow the consumer", "[paginate][prefetch]") {
    scripted_fetcher api;
    api.script[""] = scripted_page({1, 2}, "A");
    api.script["A"] = scripted_page({3, 4}, "B");  // "B" has no page: the fetch throws
    paged::event_loop loop;
    std::vector<int> got;
    try {
        for (int item : paged::blocking(paged::paginate(api, paged::walk_options().prefetch(4)), loop)) got.push_back(item);
        FAIL("no error");
    } catch (const std::out_of_range&) {
    }
    CHECK(got == std::vector<int>{1, 2, 3, 4});

    const auto rows = paged_test::iota_rows(230);
    const memory_fetcher table{&rows, 50};
    paged::walk_state state(table);
    std::vector<int> processed;
    for (int item : paged::blocking(paged::paginate(table, paged::walk_options().prefetch(3).state(state)), loop)) {
        processed.push_back(item);
        if (processed.size() == 75) break;
    }
    // Fetched ahead: pages 1 to 3 (the reader runs when the loop turns, and this consumer never waits).
    CHECK(state.pages == 3);
    CHECK(state.cursor == 50);
    CHECK(state.offset == 25);  // but the checkpoint is where the consumer stands
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    const auto rest = all(loop, paged::paginate(table, paged::walk_options().resume(saved)));
    processed.insert(processed.end(), rest.begin(), rest.end());
    CHECK(processed == rows);
}

TEST_CASE("paginate: concurrency fetches pages at predicted cursors and hands them out in order", "[paginate][concurrency]") {
    const auto rows = paged_test::iota_rows(1'000);
    int fetches = 0;
    paged::manual_clock time;
    paged::event_loop loop(time);
    memory_fetcher api{&rows, 50, &fetches, 30ms};  // 20 pages of 30 ms each: 600 ms one after the other

    CHECK(all(loop, paged::paginate(api, paged::walk_options().concurrency(4))) == rows);
    CHECK(time.now().time_since_epoch() == 5 * 30ms);  // four at a time
    CHECK(fetches >= 20);
    CHECK(fetches <= 23);  // at most width - 1 guesses past the last page, cancelled

    SECTION("a short last page ends the walk and drops the guesses after it") {
        const auto uneven = paged_test::iota_rows(1'010);
        fetches = 0;
        const memory_fetcher short_end{&uneven, 50, &fetches, 30ms};
        CHECK(all(loop, paged::paginate(short_end, paged::walk_options().concurrency(8))) == uneven);
        // Nothing still running: an hour later no fetch has started.
        const int after = fetches;
        paged::sync_wait(loop, []() -> paged::task<void> { co_await paged::sleep_for(1h); }());
        CHECK(fetches == after);
    }
    SECTION("a source that serves fewer than predicted: every guess is dropped, nothing lost or repeated") {
        api.serve = 40;
        fetches = 0;
        CHECK(all(loop, paged::paginate(api, paged::walk_options().concurrency(4))) == rows);
    }
    SECTION("max_pages and max_items bound it like a sequential walk") {
        paged::walk_state state(api);
        CHECK(all(loop, paged::paginate(api, paged::walk_options().concurrency(8).max_items(120).state(state))) ==
              paged_test::iota_rows(120));
        CHECK(state.stop == paged::stop_reason::max_items);
        CHECK(all(loop, paged::paginate(api, paged::walk_options().concurrency(8).max_pages(3))).size() == 150);
    }
    SECTION("a fetcher without predicted_next is refused: its addresses come from the pages") {
        scripted_fetcher scripted;
        scripted.script[""] = scripted_page({1}, std::nullopt);
        CHECK_THROWS_AS(all(loop, paged::paginate(scripted, paged::walk_options().concurrency(2))), paged::usage_error);
    }
}

TEST_CASE("paginate: with concurrency a slow page does not hold back the requests after it", "[paginate][concurrency]") {
    const auto rows = paged_test::iota_rows(1'000);
    paged::manual_clock time;
    paged::event_loop loop(time);
    memory_fetcher api{&rows, 50, nullptr, 10ms};  // 20 pages of 10 ms
    api.slow_offset = 0;
    api.slow_latency = 100ms;
    CHECK(paged::sync_wait(loop, consume_slowly(paged::pages(api, paged::walk_options().concurrency(4)), 1ms)) == rows);
    // Pages 1-3 wait for page 0 (100 ms); then the 16 pages after them go four at a time, each slot refilled as soon
    // as its page is handed over: 100 + 4 x 10 ms, and the consumer's 1 ms on each of the last four pages. Pages handed
    // over but not yet consumed must not hold back requests (they did: 183 ms).
    CHECK(time.now().time_since_epoch() == 144ms);
}

TEST_CASE("paginate: N shards take every page exactly once between them, each with its own checkpoints",
          "[paginate][shard]") {
    const auto rows = paged_test::iota_rows(1'010);  // 21 pages of 50, the last short
    paged::event_loop loop;
    const memory_fetcher api{&rows, 50};
    for (const std::size_t workers : {1u, 2u, 4u, 7u, 30u}) {
        CAPTURE(workers);
        std::vector<int> together;
        for (std::size_t k = 0; k < workers; ++k) {
            const auto part = all(loop, paged::paginate(api, paged::walk_options().shard(k, workers).concurrency(3)));
            together.insert(together.end(), part.begin(), part.end());
        }
        std::sort(together.begin(), together.end());
        CHECK(together == rows);
    }

    // Shard 1 of 3 stops after 60 records and resumes from its checkpoint; shard 2's options refuse it.
    paged::walk_state state(api);
    std::vector<int> processed;
    for (int item : paged::blocking(paged::paginate(api, paged::walk_options().shard(1, 3).state(state)), loop)) {
        processed.push_back(item);
        if (processed.size() == 60) break;
    }
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    const auto rest = all(loop, paged::paginate(api, paged::walk_options().shard(1, 3).resume(saved)));
    processed.insert(processed.end(), rest.begin(), rest.end());
    std::vector<int> expected;
    for (int page = 1; page < 21; page += 3) {
        for (int i = page * 50; i < std::min(page * 50 + 50, 1'010); ++i) expected.push_back(i);
    }
    CHECK(processed == expected);
    CHECK_THROWS_AS(all(loop, paged::paginate(api, paged::walk_options().shard(2, 3).resume(saved))),
                    paged::checkpoint_error);
    CHECK_THROWS_AS(paged::walk_options().shard(3, 3), paged::usage_error);

    SECTION("a page that is not full before the end would make shards overlap: an error after it") {
        memory_fetcher short_pages{&rows, 50};
        short_pages.serve = 40;
        std::vector<int> got;
        try {
            for (int item : paged::blocking(paged::paginate(short_pages, paged::walk_options().shard(0, 2)), loop)) {
                got.push_back(item);
            }
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::shard_page_short);
        }
        CHECK(got == paged_test::iota_rows(40));
    }
}

TEST_CASE("paginate: prefetch deeper than concurrency reads the whole walk", "[paginate][concurrency][prefetch]") {
    const auto rows = paged_test::iota_rows(1'000);
    paged::manual_clock time;
    paged::event_loop loop(time);
    const memory_fetcher api{&rows, 50, nullptr, 30ms};
    for (const auto& [prefetch, concurrency] : std::vector<std::pair<std::size_t, std::size_t>>{{4, 2}, {8, 2}, {3, 2}, {2, 4}}) {
        CAPTURE(prefetch, concurrency);
        CHECK(paged::sync_wait(loop, consume_slowly(paged::pages(api, paged::walk_options().prefetch(prefetch).concurrency(
                                                                           concurrency)),
                                                    10ms)) == rows);
    }
}
