// The forms users write, exactly as they write them: requests, options and callables built inline, inside a
// co_await. On g++ 12 the aggregate versions of these were bad frees, double frees and use-after-frees (see
// include/paged/detail/gcc12_temporaries.hpp); this file is built and run under ASan + UBSan with g++ at -O0 and -O2
// and with clang-19, so a regression to an aggregate shows up as a sanitizer failure here.
//
// Rule of this file: every argument is built inline in the co_await full-expression, never as a named local first,
// unless the test says otherwise (the named-lambda forms are the point of those tests).

#include <paged/adaptors.hpp>
#include <paged/collect.hpp>
#include <paged/for_each.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using paged::testing::fake_api;

namespace {

const std::string endpoint = "https://api.test/v1/records";

// Long enough that std::string allocates: a bad free or double free of it is what ASan reports.
std::string long_text(char fill) { return std::string(64, fill); }

std::vector<int> ids(const std::vector<nlohmann::json>& records) {
    std::vector<int> out;
    for (const auto& record : records) out.push_back(record.at("id").get<int>());
    return out;
}

std::vector<int> id_range(int first, int last) {
    std::vector<int> out;
    for (int id = first; id <= last; ++id) out.push_back(id);
    return out;
}

template <class T>
T run(paged::task<T> work) {
    paged::manual_clock time;
    paged::event_loop loop(time);
    return paged::sync_wait(loop, std::move(work));
}

}  // namespace

TEST_CASE("user forms: a request built inline inside co_await, with query and headers", "[user_forms]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(30)));
    const std::string token = long_text('t');
    const auto body = run([](fake_api& api, std::string url, std::string token) -> paged::task<std::string> {
        const paged::http::response reply = co_await api.send(
            paged::http::request(url + "?sort=id").query("_limit", "5").query("offset", "10").header("Authorization",
                                                                                                   "Bearer " + token));
        co_return reply.body;
    }(api, endpoint, token));

    REQUIRE(api.request_log().size() == 1);
    const paged::http::request& sent = api.request_log()[0];
    CHECK(sent.target() == endpoint + "?sort=id&_limit=5&offset=10");
    CHECK(sent.headers().get("Authorization") == "Bearer " + token);
    CHECK(nlohmann::json::parse(body).size() == 10);  // the endpoint ignores _limit: default page of 10
}

TEST_CASE("user forms: walk options built inline inside co_await: start, max_items, state", "[user_forms]") {
    fake_api api(paged::testing::link_endpoint(paged::testing::numbered_records(100), {.default_page_size = 10}));
    const auto fetcher = paged::http::next_link(api, endpoint);
    paged::walk_state state(fetcher);
    const std::string saved = endpoint + "?per_page=10&page=3";

    const auto records = run([](auto fetcher, std::string saved, auto& state) -> paged::task<std::vector<nlohmann::json>> {
        co_return co_await paged::collect(
            paged::paginate(fetcher, paged::walk_options().start(saved).max_items(25).state(state)));
    }(fetcher, saved, state));

    CHECK(ids(records) == id_range(21, 45));
    CHECK(state.stop == paged::stop_reason::max_items);
    CHECK(state.requests == 3);
}

TEST_CASE("user forms: resume from a checkpoint, parsed inline inside co_await", "[user_forms]") {
    fake_api api(paged::testing::cursor_endpoint(paged::testing::numbered_records(57)));
    const auto fetcher = paged::http::cursor(api, paged::http::cursor_options(endpoint).page_size(10));
    paged::walk_state state(fetcher);
    const auto first = run([](auto fetcher, auto& state) -> paged::task<std::vector<nlohmann::json>> {
        co_return co_await paged::collect(paged::paginate(fetcher, paged::walk_options().max_items(23).state(state)));
    }(fetcher, state));
    const std::string line = state.to_checkpoint().to_string();

    const auto rest = run([](auto fetcher, std::string line) -> paged::task<std::vector<nlohmann::json>> {
        co_return co_await paged::collect(
            paged::paginate(fetcher, paged::walk_options().resume(paged::checkpoint::parse(line))));
    }(fetcher, line));

    CHECK(ids(first) == id_range(1, 23));
    CHECK(ids(rest) == id_range(24, 57));
}

TEST_CASE("user forms: strategy options built inline inside co_await, every strategy", "[user_forms]") {
    const auto records = paged::testing::numbered_records(45);
    const std::string key = long_text('k');

    SECTION("offset") {
        fake_api api(paged::testing::offset_endpoint(records));
        const auto walked = run([](fake_api& api, std::string key) -> paged::task<std::vector<nlohmann::json>> {
            co_return co_await paged::collect(paged::paginate(paged::http::offset(
                api, paged::http::offset_options(endpoint).page_size(20).header("X-Api-Key", key))));
        }(api, key));
        CHECK(ids(walked) == id_range(1, 45));
        CHECK(api.request_log().back().headers().get("X-Api-Key") == key);
    }
    SECTION("cursor") {
        fake_api api(paged::testing::cursor_endpoint(records, {.items = "/members", .next = "/meta/next"}));
        const auto walked = run([](fake_api& api) -> paged::task<std::vector<nlohmann::json>> {
            co_return co_await paged::collect(paged::paginate(paged::http::cursor(
                api, paged::http::cursor_options(endpoint).items("/members").next("/meta/next").page_size(20))));
        }(api));
        CHECK(ids(walked) == id_range(1, 45));
    }
    SECTION("keyset with two keys") {
        std::vector<nlohmann::json> rows;
        for (int id = 1; id <= 45; ++id) rows.push_back({{"id", id}, {"created_at", 1000 + id / 4}});
        fake_api api(paged::testing::keyset_endpoint(
            rows, {.items = "", .keys = {{"/created_at", "after_created_at"}, {"/id", "after_id"}}, .has_more = ""}));
        const auto walked = run([](fake_api& api) -> paged::task<std::vector<nlohmann::json>> {
            co_return co_await paged::collect(paged::paginate(paged::http::keyset(
                api, paged::http::keyset_options(endpoint).items("").has_more("").page_size(10)
                         .key("/created_at", "after_created_at").key("/id", "after_id"))));
        }(api));
        CHECK(ids(walked) == id_range(1, 45));
    }
    SECTION("next link, from the body") {
        fake_api api(paged::testing::link_endpoint(records, {.items = "/data", .next = "/links/next"}));
        const auto walked = run([](fake_api& api) -> paged::task<std::vector<nlohmann::json>> {
            co_return co_await paged::collect(
                paged::paginate(paged::http::next_link(api, paged::http::link_options(endpoint).items("/data").next("/links/next"))));
        }(api));
        CHECK(ids(walked) == id_range(1, 45));
    }
}

TEST_CASE("user forms: callables inline inside co_await", "[user_forms]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(60)));
    const auto fetcher = paged::http::offset(api, paged::http::offset_options(endpoint).page_size(25));

    SECTION("an on_page lambda capturing by reference, written inline") {
        std::vector<std::size_t> pages;
        run([](auto fetcher, std::vector<std::size_t>& pages) -> paged::task<int> {
            const auto records = co_await paged::collect(paged::paginate(
                fetcher, paged::walk_options().on_page([&pages](const paged::page_event& e) { pages.push_back(e.items); })));
            co_return static_cast<int>(records.size());
        }(fetcher, pages));
        CHECK(pages == std::vector<std::size_t>{25, 25, 10});
    }
    SECTION("an on_page lambda that owns a string: named, then passed inline") {
        std::vector<std::string> log;
        run([](auto fetcher, std::vector<std::string>& log) -> paged::task<int> {
            const std::string prefix = long_text('p');
            auto progress = [prefix, &log](const paged::page_event& e) { log.push_back(prefix + std::to_string(e.index)); };
            const auto records = co_await paged::collect(paged::paginate(fetcher, paged::walk_options().on_page(progress)));
            co_return static_cast<int>(records.size());
        }(fetcher, log));
        CHECK(log == std::vector<std::string>{long_text('p') + "0", long_text('p') + "1", long_text('p') + "2"});
    }
    SECTION("filter, map and for_each with lambdas written inline") {
        std::vector<int> seen;
        run([](auto fetcher, std::vector<int>& seen) -> paged::task<int> {
            co_await paged::for_each(
                paged::paginate(fetcher) | paged::filter([](const nlohmann::json& r) { return r.at("id").get<int>() % 7 == 0; }) |
                    paged::map([](nlohmann::json& r) { return r.at("id").get<int>(); }) | paged::take(4),
                [&seen](int id) { seen.push_back(id); });
            co_return 0;
        }(fetcher, seen));
        CHECK(seen == std::vector<int>{7, 14, 21, 28});
    }
    SECTION("an owning predicate, named, used inline") {
        const std::string wanted = long_text('w');
        const auto matches = run([](auto fetcher, std::string wanted) -> paged::task<std::size_t> {
            auto has_even_id = [wanted](const nlohmann::json& r) { return !wanted.empty() && r.at("id").get<int>() % 2 == 0; };
            const auto kept = co_await paged::collect(paged::paginate(fetcher) | paged::filter(has_even_id));
            co_return kept.size();
        }(fetcher, wanted));
        CHECK(matches == 30);
    }
}

TEST_CASE("user forms: misuse is a paged::usage_error that says what to write", "[user_forms]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(10)));
    CHECK_THROWS_AS(paged::http::offset(api, paged::http::offset_options(endpoint).page_size(0)), paged::usage_error);
    CHECK_THROWS_WITH(paged::http::offset(api, paged::http::offset_options(endpoint).items("data")),
                      Catch::Contains("is not a JSON Pointer"));
    const auto fetcher = paged::http::offset(api, endpoint);
    CHECK_THROWS_WITH(paged::paginate(fetcher, paged::walk_options().start(std::uint64_t{0}).resume(paged::checkpoint())),
                      Catch::Contains("give one"));
    CHECK_THROWS_WITH(paged::paginate(fetcher, paged::walk_options().start(-1)), Catch::Contains("out of range"));
    CHECK(api.requests().empty());

    // sync_wait inside a coroutine that the same loop runs: refused instead of re-entering the loop.
    paged::event_loop loop;
    const auto nested = [](paged::event_loop& loop) -> paged::task<int> {
        co_await paged::sleep_for(1ms);
        co_return paged::sync_wait(loop, []() -> paged::task<int> { co_return 1; }());
    };
    CHECK_THROWS_WITH(paged::sync_wait(loop, nested(loop)), Catch::Contains("co_await the task"));
}

TEST_CASE("user forms: cancellation and deadlines built inline inside co_await", "[user_forms][cancellation]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(100)));
    api.latency = 1s;
    std::stop_source stop;
    const auto found = run([](fake_api& api, std::string url, std::stop_source& stop) -> paged::task<std::size_t> {
        // A single request with a timeout and a token, and a walk with both, each written inline.
        const paged::http::response reply = co_await paged::cancellable(
            api.send(paged::http::request(url + "?" + long_text('q')).query("offset", "0")),
            paged::cancellation().token(stop.get_token()).timeout(5s));
        CHECK(reply.status == 200);
        try {
            (void)co_await paged::collect(paged::paginate(
                paged::http::offset(api, paged::http::offset_options(url).page_size(10)),
                paged::walk_options().stop_token(stop.get_token()).timeout(3500ms).on_page([](const paged::page_event&) {})));
            FAIL("no deadline");
        } catch (const paged::deadline_exceeded&) {
        }
        co_return api.requests().size();
    }(api, endpoint, stop));
    CHECK(found == 5);  // the single request, then pages at 2, 3 s and the fourth, cut at 4.5 s
}
