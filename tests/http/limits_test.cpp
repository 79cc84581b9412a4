// Hostile or broken servers: every page is bounded while it is parsed (items, depth, decoded memory), error paths never
// recurse over a response's values, and a keyset page that does not advance is refused before it is handed out again.

#include <paged/blocking.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using paged::testing::fake_api;
using paged_test::id_range;
using paged_test::respond_with;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/v1/items";

paged::http::response reply_with(std::string body) {
    paged::http::response reply;
    reply.status = 200;
    reply.url = endpoint;
    reply.body = std::move(body);
    return reply;
}

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// `[{},{},...]`: 3 bytes of text per value, far more once parsed.
std::string empty_objects(std::size_t count) {
    std::string body = "[";
    for (std::size_t i = 0; i < count; ++i) body += i == 0 ? "{}" : ",{}";
    return body + "]";
}

std::string numbered_array(std::size_t count) {
    std::string body = "[";
    for (std::size_t i = 1; i <= count; ++i) {
        body += (i == 1 ? "" : ",") + std::string(R"({"id": )") + std::to_string(i) + "}";
    }
    return body + "]";
}

fake_api never_called() {
    return fake_api([](const paged::http::request&, const paged::http::url&) -> paged::http::response {
        throw std::logic_error("a scripted response was expected");
    });
}

// The body_error a walk of `fetcher` ends with; fails the test if it ends otherwise.
template <class Fetcher>
paged::http::body_error body_error_of(Fetcher fetcher) {
    try {
        walk(std::move(fetcher));
    } catch (const paged::http::body_error& e) {
        return e;
    }
    FAIL("no body_error");
    throw std::logic_error("not reached");
}
}  // namespace

TEST_CASE("limits: defaults, setters on every strategy's options, and nonsense refused", "[http][limits]") {
    const paged::http::json_limits defaults;
    CHECK(defaults.max_items_per_page() == 1'000'000);
    CHECK(defaults.max_depth() == 256);
    CHECK(defaults.max_decoded_bytes() == std::size_t{512} << 20);
    CHECK_THROWS_AS(paged::http::json_limits().max_depth(0), paged::usage_error);
    CHECK_THROWS_AS(paged::http::json_limits().max_items_per_page(0), paged::usage_error);
    CHECK_THROWS_WITH(paged::http::json_limits().max_decoded_bytes(0), Catch::Contains("max_decoded_bytes"));

    const auto options = paged::http::cursor_options(endpoint).max_items_per_page(5).max_depth(7).max_decoded_bytes(9);
    CHECK(options.max_items_per_page() == 5);
    CHECK(options.limits().max_depth() == 7);
    CHECK(options.max_decoded_bytes() == 9);
    CHECK(paged::http::link_options(endpoint).max_depth(3).items("/data").max_depth() == 3);
    CHECK(paged::http::keyset_options(endpoint).page_size(2).max_items_per_page(4).max_items_per_page() == 4);
    CHECK(paged::http::offset_options(endpoint).max_decoded_bytes(1).page_size(2).max_decoded_bytes() == 1);
    CHECK_THROWS_AS(paged::http::offset_options(endpoint).max_depth(0), paged::usage_error);
}

TEST_CASE("limits: items per page, checked before any item is decoded", "[http][limits]") {
    fake_api api = never_called();
    respond_with(api, numbered_array(6));
    const auto error =
        body_error_of(paged::http::offset(api, paged::http::offset_options(endpoint).items("").max_items_per_page(5)));
    CHECK(error.url() == endpoint + "?offset=0&limit=100");
    CHECK(error.status() == 200);
    CHECK_THAT(error.what(), Catch::Contains("expected at most 5 items at pointer ''") &&
                                 Catch::Contains("(max_items_per_page), got 6") && Catch::Contains(R"([{"id": 1})"));

    respond_with(api, numbered_array(5));  // at the limit: fine
    const auto at_limit = paged::http::offset_options(endpoint).items("").max_items_per_page(5);
    CHECK(walk(paged::http::offset(api, at_limit)).size() == 5);
}

TEST_CASE("limits: nesting depth, refused while parsing", "[http][limits]") {
    fake_api api = never_called();
    respond_with(api, R"({"data": [{"a": [[1]]}], "next_cursor": null})");  // 5 deep
    CHECK(walk(paged::http::cursor(api, paged::http::cursor_options(endpoint).max_depth(5))).size() == 1);
    respond_with(api, R"({"data": [{"a": [[[1]]]}], "next_cursor": null})");  // 6 deep
    const auto error = body_error_of(paged::http::cursor(api, paged::http::cursor_options(endpoint).max_depth(5)));
    CHECK(error.status() == 200);
    CHECK_THAT(error.what(),
               Catch::Contains(endpoint) && Catch::Contains("expected JSON nested at most 5 deep (max_depth)"));

    // 75,000 arrays deep: refused at level 257 by default, nothing recursed over.
    const auto deep = reply_with(nested_arrays(75'000));
    CHECK_THROWS_WITH(paged::http::parse_json_body(deep), Catch::Contains("nested at most 256 deep"));
}

TEST_CASE("limits: decoded memory, refused part-way through a page of empty objects", "[http][limits]") {
    // 100,000 empty objects: 300 KB of text, several megabytes parsed.
    const std::string objects = empty_objects(100'000);
    CHECK(paged::http::parse_json_body(reply_with(objects)).size() == 100'000);
    const auto one_megabyte = paged::http::json_limits().max_decoded_bytes(1 << 20);
    CHECK_THROWS_WITH(paged::http::parse_json_body(reply_with(objects), one_megabyte),
                      Catch::Contains("decodes within 1048576 bytes of memory (max_decoded_bytes)"));

    fake_api api = never_called();
    paged::http::headers link;
    link.add("Link", "<" + endpoint + "?page=2>; rel=\"next\"");
    respond_with(api, objects, link);
    const auto error =
        body_error_of(paged::http::next_link(api, paged::http::link_options(endpoint).max_decoded_bytes(1 << 20)));
    CHECK(error.url() == endpoint);
    CHECK_THAT(error.what(), Catch::Contains("max_decoded_bytes") && Catch::Contains("[{},{},"));
    CHECK(api.requests().size() == 1);

    // An ordinary page is far inside the default: 100 records of a few fields.
    const auto records = paged::testing::detail::json_response(paged::testing::numbered_records(100)).body;
    const auto hundred_kilobytes = paged::http::json_limits().max_decoded_bytes(100'000);
    CHECK_NOTHROW(paged::http::parse_json_body(reply_with(records), hundred_kilobytes));
}

TEST_CASE("limits: a keyset page whose last item is nested 75,000 deep is an error, not a crash", "[http][limits]") {
    const std::string body = R"({"data": [{"id": 1}, )" + nested_arrays(75'000) + R"(], "has_more": true})";
    fake_api api = never_called();
    respond_with(api, body);
    CHECK_THROWS_WITH(walk(paged::http::keyset(api, endpoint)), Catch::Contains("(max_depth)"));

    // With the depth limit lifted the page parses; the message about its last item quotes a bounded excerpt of it,
    // written without recursion (dump() would overflow the stack here).
    respond_with(api, body);
    const auto error =
        body_error_of(paged::http::keyset(api, paged::http::keyset_options(endpoint).max_depth(100'000)));
    CHECK_THAT(error.what(), Catch::Contains("key at '/id'") && Catch::Contains("; body: [[[[[[[[") &&
                                 Catch::Contains("..."));
    CHECK(std::string(error.what()).size() < 600);
}

TEST_CASE("limits: excerpts of a value are bounded whatever its size or depth", "[http][limits]") {
    using nlohmann::json;
    using paged::http::detail::json_excerpt;
    CHECK(json_excerpt(json::parse(R"({"a": 1, "b": [true, null, "x\n"], "c": {}})")) ==
          R"({"a":1,"b":[true,null,"x\n"],"c":{}})");
    CHECK(json_excerpt(json::parse("[]")) == "[]");
    CHECK(json_excerpt(json("plain")) == R"("plain")");

    const json long_string(std::string(1'000'000, 'y'));
    CHECK(json_excerpt(long_string, 50) == "\"" + std::string(49, 'y') + "...");
    const auto deep = paged::http::parse_json_body(reply_with(nested_arrays(20'000)),
                                                   paged::http::json_limits().max_depth(30'000));
    CHECK(json_excerpt(deep, 10) == "[[[[[[[[[[...");
    const json many_keys = json::parse(R"({"k1": "v", "k2": "v", "k3": "v", "k4": "v"})");
    CHECK(json_excerpt(many_keys, 12) == R"({"k1":"v","k...)");
}

TEST_CASE("keyset: a page that ends on the item it was asked to start after is refused before it is handed out",
          "[http][keyset][limits]") {
    // A server that ignores starting_after: the first page, again and again.
    const auto records = paged::testing::numbered_records(10);
    fake_api api([&records](const paged::http::request&, const paged::http::url&) {
        nlohmann::json body;
        body["data"] = records;
        body["has_more"] = true;
        return paged::testing::detail::json_response(body);
    });
    paged::event_loop loop;
    std::vector<std::uint64_t> handed_out;
    try {
        auto records_walked = paged::paginate(paged::http::keyset(api, endpoint));
        for (const nlohmann::json& record : paged::blocking(std::move(records_walked), loop)) {
            handed_out.push_back(record.at("id").get<std::uint64_t>());
        }
        FAIL("no error");
    } catch (const paged::pagination_error& e) {
        CHECK(e.failure() == paged::pagination_failure::stalled_cursor);
        CHECK_THAT(e.what(), Catch::Contains(endpoint + "?limit=100&starting_after=10") &&
                                 Catch::Contains("does the API ignore 'starting_after'?"));
    }
    CHECK(handed_out == id_range(1, 10));  // page 1 only: its repeat is not handed out
    CHECK(api.requests().size() == 2);

    // Starting from a saved watermark that the server answers with the same last item is the same stall.
    fake_api stuck = never_called();
    respond_with(stuck, R"({"data": [{"id": 4}, {"id": 7}], "has_more": true})");
    const std::vector<std::string> after_7{"7"};
    CHECK_THROWS_AS(walk(paged::http::keyset(stuck, endpoint), paged::walk_options().start(after_7)),
                    paged::pagination_error);
}
