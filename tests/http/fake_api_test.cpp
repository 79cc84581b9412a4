#include <paged/sync_wait.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>
#include <paged/when_all.hpp>

#include <catch2/catch.hpp>

#include <chrono>

using namespace std::chrono_literals;
using paged::testing::fake_api;

namespace {
paged::task<paged::http::response> get(fake_api& api, std::string url) {
    co_return co_await api.send(paged::http::request(std::move(url)));  // a builder: safe inline in a co_await
}
}  // namespace

static_assert(paged::http::transport<fake_api>);

TEST_CASE("fake_api: responses take their latency on the loop's clock, concurrently", "[http][fake_api]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(10)));
    api.latency = 40ms;
    paged::manual_clock time;
    paged::event_loop loop(time);
    auto [a, b] = paged::sync_wait(loop, paged::when_all(get(api, "https://api.test/a?limit=2"),
                                                         get(api, "https://api.test/b?offset=8")));
    CHECK(time.now().time_since_epoch() == 40ms);  // both waited at once
    CHECK(a.elapsed == 40ms);
    CHECK(nlohmann::json::parse(a.body).size() == 2);
    CHECK(nlohmann::json::parse(b.body).at(1).at("id") == 10);
    CHECK(a.headers.get("X-Total-Count") == "10");
    CHECK(api.requests() == std::vector<std::string>{"https://api.test/a?limit=2", "https://api.test/b?offset=8"});
}

TEST_CASE("fake_api: scripted responses come first, in order, then the handler again", "[http][fake_api]") {
    fake_api api(paged::testing::offset_endpoint(paged::testing::numbered_records(3)));
    paged::testing::scripted_response busy;
    busy.status = 429;
    busy.headers.add("Retry-After", "2");
    busy.delay = 5ms;
    api.respond_next(busy);
    paged::testing::scripted_response broken;
    broken.status = 200;
    broken.body = "{";
    api.respond_next(broken);
    paged::manual_clock time;
    paged::event_loop loop(time);

    const auto first = paged::sync_wait(loop, get(api, "https://api.test/x"));
    CHECK(first.status == 429);
    CHECK(first.headers.get("retry-after") == "2");
    CHECK(time.now().time_since_epoch() == 5ms);
    CHECK(paged::sync_wait(loop, get(api, "https://api.test/x")).body == "{");
    CHECK(paged::sync_wait(loop, get(api, "https://api.test/x")).status == 200);
}

TEST_CASE("fake endpoints: malformed parameters get a 400, like a real server", "[http][fake_api]") {
    paged::event_loop loop;
    fake_api offset(paged::testing::offset_endpoint(paged::testing::numbered_records(3)));
    CHECK(paged::sync_wait(loop, get(offset, "https://api.test/x?limit=ten")).status == 400);
    fake_api cursor(paged::testing::cursor_endpoint(paged::testing::numbered_records(3)));
    CHECK(paged::sync_wait(loop, get(cursor, "https://api.test/x?cursor=forged")).status == 400);
    fake_api keyset(paged::testing::keyset_endpoint(paged::testing::numbered_records(3)));
    CHECK(paged::sync_wait(loop, get(keyset, "https://api.test/x?starting_after=abc")).status == 400);
    fake_api link(paged::testing::link_endpoint(paged::testing::numbered_records(3)));
    CHECK(paged::sync_wait(loop, get(link, "https://api.test/x?page=0")).status == 400);
}
