#include <paged/http/content_range.hpp>
#include <paged/http/error.hpp>
#include <paged/http/json_body.hpp>

#include <catch2/catch.hpp>

#include <string>

using nlohmann::json;

namespace {
paged::http::response reply_with(std::string body) {
    paged::http::response reply;
    reply.status = 200;
    reply.url = "https://api.test/items?page=3";
    reply.body = std::move(body);
    return reply;
}

struct point {
    int x = 0;
    int y = 0;
    friend bool operator==(const point&, const point&) = default;
};
void from_json(const json& j, point& p) {
    j.at("x").get_to(p.x);
    j.at("y").get_to(p.y);
}
}  // namespace

TEST_CASE("json body: items found by JSON Pointer and decoded with from_json", "[http][json]") {
    const auto top = reply_with(R"([{"x": 1, "y": 2}, {"x": 3, "y": 4}])");
    auto body = paged::http::parse_json_body(top);
    CHECK(paged::http::take_items<point>(body, json::json_pointer(""), top) == std::vector<point>{{1, 2}, {3, 4}});

    const auto nested = reply_with(R"({"result": {"items": [{"x": 5, "y": 6}]}})");
    body = paged::http::parse_json_body(nested);
    CHECK(paged::http::take_items<point>(body, json::json_pointer("/result/items"), nested) == std::vector<point>{{5, 6}});
    const auto raw = paged::http::take_items<json>(body, json::json_pointer("/result/items"), nested);
    CHECK(raw.at(0).at("x") == 5);
}

TEST_CASE("json body: errors name the URL, the status, the pointer and an excerpt", "[http][json]") {
    const auto html = reply_with("<html>Service Unavailable</html>");
    try {
        (void)paged::http::parse_json_body(html);
        FAIL("no error");
    } catch (const paged::http::body_error& e) {
        CHECK(e.url() == "https://api.test/items?page=3");
        CHECK(e.status() == 200);
        CHECK_THAT(e.what(), Catch::Contains("expected a JSON body") && Catch::Contains("<html>Service Unavailable"));
    }

    const auto object = reply_with(R"({"data": {"not": "an array"}})");
    auto body = paged::http::parse_json_body(object);
    CHECK_THROWS_WITH(paged::http::take_items<json>(body, json::json_pointer("/data"), object),
                      Catch::Contains("array of items at pointer '/data'") && Catch::Contains("api.test/items?page=3"));
    CHECK_THROWS_WITH(paged::http::take_items<json>(body, json::json_pointer("/items"), object),
                      Catch::Contains("pointer '/items'"));

    const auto wrong_item = reply_with(R"([{"x": 1, "y": 2}, {"x": "one"}])");
    body = paged::http::parse_json_body(wrong_item);
    CHECK_THROWS_WITH(paged::http::take_items<point>(body, json::json_pointer(""), wrong_item),
                      Catch::Contains("item 1 at '' does not decode"));

    const std::string long_body(5000, 'x');
    try {
        (void)paged::http::parse_json_body(reply_with(long_body));
        FAIL("no error");
    } catch (const paged::http::body_error& e) {
        CHECK(std::string(e.what()).size() < 400);  // an excerpt, not the whole body
    }
    CHECK_THROWS_AS(paged::http::json_pointer_option("data", "items"), paged::usage_error);
}

TEST_CASE("json body: cursors, flags and counts", "[http][json]") {
    const auto reply = reply_with(R"({"a": "tok", "b": null, "c": "", "d": 42, "e": true, "f": [1], "g": -1})");
    const auto body = paged::http::parse_json_body(reply);
    using ptr = json::json_pointer;
    CHECK(paged::http::string_at(body, ptr("/a"), reply) == "tok");
    CHECK_FALSE(paged::http::string_at(body, ptr("/b"), reply));
    CHECK_FALSE(paged::http::string_at(body, ptr("/c"), reply));
    CHECK_FALSE(paged::http::string_at(body, ptr("/missing"), reply));
    CHECK(paged::http::string_at(body, ptr("/d"), reply) == "42");
    CHECK_THROWS_AS(paged::http::string_at(body, ptr("/f"), reply), paged::http::body_error);
    CHECK(paged::http::bool_at(body, ptr("/e"), reply) == true);
    CHECK_THROWS_AS(paged::http::bool_at(body, ptr("/a"), reply), paged::http::body_error);
    CHECK_THROWS_AS(paged::http::bool_at(body, ptr("/b"), reply), paged::http::body_error);
    CHECK_THROWS_AS(paged::http::bool_at(body, ptr("/missing"), reply), paged::http::body_error);
    CHECK(paged::http::count_at(body, ptr("/d"), reply) == 42u);
    CHECK_THROWS_AS(paged::http::count_at(body, ptr("/g"), reply), paged::http::body_error);
}

TEST_CASE("content range: the forms servers send, and malformed ones", "[http][json]") {
    using paged::http::parse_content_range;
    auto r = parse_content_range("items 0-99/12345");
    REQUIRE(r);
    CHECK(r->first == 0u);
    CHECK(r->last == 99u);
    CHECK(r->complete == 12345u);
    r = parse_content_range("0-24/3573");  // PostgREST: no unit
    REQUIRE(r);
    CHECK(r->complete == 3573u);
    r = parse_content_range("bytes 0-24/*");
    REQUIRE(r);
    CHECK_FALSE(r->complete);
    r = parse_content_range("*/0");
    REQUIRE(r);
    CHECK(r->complete == 0u);
    CHECK_FALSE(r->first);
    CHECK(parse_content_range("  items 5-5/6 "));
    for (const char* bad : {"", "items", "items 0-99", "items 0-99/", "items 99-0/100", "items 0-100/100", "items a-b/5",
                            "items 0-1/-5", "items 0-1/5x", "it ems 0-1/5", "items 0--1/5", "items */*x",
                            "items 0-99999999999999999999/5"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_content_range(bad));
    }
}
