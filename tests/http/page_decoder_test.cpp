// One-pass page decoding (http/detail/page_decoder.hpp): items decoded as they are parsed, the envelope kept as a DOM,
// limits checked on what is held, and the items' digest fed one item at a time.

#include <paged/http/detail/page_decoder.hpp>
#include <paged/http/error.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

using nlohmann::json;
namespace detail = paged::http::detail;

namespace {
paged::http::response reply_with(std::string body, int status = 200) {
    paged::http::response reply;
    reply.status = status;
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

struct nothing {};
void from_json(const json&, nothing&) {}

template <class T = json>
auto decode(const std::string& body, const std::string& at, paged::http::json_limits limits = {}) {
    return detail::decode_page<T>(reply_with(body), limits, json::json_pointer(at), detail::digest_items::yes);
}

template <class T = json>
std::vector<T> items(const std::string& body, const std::string& at, paged::http::json_limits limits = {}) {
    auto page = decode<T>(body, at, limits);
    return detail::items_of(page, json::json_pointer(at));
}

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEST_CASE("page decoder: items at a pointer, the rest kept as the envelope", "[http][decode]") {
    CHECK(items<point>(R"([{"x": 1, "y": 2}, {"x": 3, "y": 4}])", "") == std::vector<point>{{1, 2}, {3, 4}});

    auto page = decode<point>(R"({"meta": {"next": "abc", "n": [1, 2]}, "data": [{"x": 5, "y": 6}], "more": true})",
                              "/data");
    CHECK(page.has_items);
    CHECK(page.count == 1);
    CHECK(page.items == std::vector<point>{{5, 6}});
    CHECK(page.body == json::parse(R"({"meta": {"next": "abc", "n": [1, 2]}, "data": [], "more": true})"));

    // Through arrays, and only the element the pointer names: its siblings stay in the envelope.
    auto through = decode(R"({"pages": [[1], {"items": [2]}, {"items": [3, 4]}]})", "/pages/2/items");
    CHECK(through.items == std::vector<json>{3, 4});
    CHECK(through.body == json::parse(R"({"pages": [[1], {"items": [2]}, {"items": []}]})"));
    CHECK(items(R"([[1, 2], [3]])", "/1") == std::vector<json>{3});
    CHECK(items(R"({"a/b": {"~": [true]}})", "/a~1b/~0") == std::vector<json>{true});

    // Items of any kind; nlohmann::json items are the parsed values.
    CHECK(items(R"({"d": [null, "s", 1.5, -2, [[]], {"k": {"l": [1]}}]})", "/d") ==
          json::parse(R"([null, "s", 1.5, -2, [[]], {"k": {"l": [1]}}])").get<std::vector<json>>());
}

TEST_CASE("page decoder: a repeated key replaces the items as it would in a DOM", "[http][decode]") {
    CHECK(items(R"({"data": [1, 2], "data": [3]})", "/data") == std::vector<json>{3});
    CHECK(items(R"({"data": null, "data": [3]})", "/data") == std::vector<json>{3});
    CHECK_THROWS_WITH(items(R"({"data": [1, 2], "data": null})", "/data"),
                      Catch::Contains("expected a JSON array of items at pointer '/data'"));
    CHECK_THROWS_WITH(items(R"({"r": {"items": [1]}, "r": 5})", "/r/items"),
                      Catch::Contains("array of items at pointer '/r/items'"));
    CHECK_THROWS_WITH(items(R"({"data": {"not": "an array"}})", "/data"),
                      Catch::Contains("array of items at pointer '/data'") && Catch::Contains("api.test/items?page=3"));
    CHECK_THROWS_WITH(items(R"({"data": [1]})", "/items"), Catch::Contains("pointer '/items'"));
}

TEST_CASE("page decoder: an item that does not decode is raised by items_of, after the envelope is read",
          "[http][decode]") {
    auto page = decode<point>(R"({"errors": [{"message": "boom"}], "data": [{"x": 1, "y": 2}, {"x": "one"}, {}]})",
                              "/data");
    CHECK(page.count == 3);  // counted, though not decoded
    CHECK(page.body.at("errors").at(0).at("message") == "boom");
    CHECK_THROWS_WITH(detail::items_of(page, json::json_pointer("/data")),
                      Catch::Contains("item 1 at '/data' does not decode") && Catch::Contains("api.test"));

    // 204 No Content: no items, nothing parsed.
    auto empty = detail::decode_page<point>(reply_with("", 204), {}, json::json_pointer("/data"), detail::digest_items::yes);
    CHECK(detail::items_of(empty, json::json_pointer("/data")).empty());
    CHECK_FALSE(empty.digest);
    CHECK_THROWS_WITH(items("<html>", ""), Catch::Contains("expected a JSON body (not JSON at byte"));
}

TEST_CASE("page decoder: limits hold while the items are decoded", "[http][decode][limits]") {
    const auto two = paged::http::json_limits().max_items_per_page(2);
    CHECK(items(R"({"data": [1, [2]]})", "/data", two).size() == 2);
    // Past the limit nothing more is built, but the rest is counted for the message.
    CHECK_THROWS_WITH(items(R"({"data": [1, [2], {"a": [3, [4]]}, 5], "next": "x"})", "/data", two),
                      Catch::Contains("expected at most 2 items at pointer '/data' (max_items_per_page), got 4"));

    // Depth counts the envelope around the items.
    const auto five = paged::http::json_limits().max_depth(5);
    CHECK(items(R"({"data": [{"a": [[1]]}]})", "/data", five).size() == 1);
    CHECK_THROWS_WITH(items(R"({"data": [{"a": [[[1]]]}]})", "/data", five),
                      Catch::Contains("expected JSON nested at most 5 deep (max_depth)"));
    CHECK_THROWS_WITH(items(nested_arrays(75'000), ""), Catch::Contains("nested at most 256 deep"));

    // Memory counts what is held: the trees of nlohmann::json items, only the decoded T otherwise.
    std::string objects = "[";
    for (int i = 0; i < 100'000; ++i) objects += i == 0 ? "{}" : ",{}";
    objects += "]";
    const auto one_megabyte = paged::http::json_limits().max_decoded_bytes(1 << 20);
    CHECK_THROWS_WITH(items(objects, "", one_megabyte),
                      Catch::Contains("decodes within 1048576 bytes of memory (max_decoded_bytes)"));
    CHECK(items<nothing>(objects, "", one_megabyte).size() == 100'000);
}

TEST_CASE("page decoder: the items' digest ignores the envelope and the spacing, and tells the items apart",
          "[http][decode][digest]") {
    const auto a = decode(R"({"data": [{"id": 1, "tags": ["x"]}, {"id": 2}], "next": "p2", "request_id": "r1"})", "/data");
    const auto b = decode(R"({"request_id": "r2", "next": "p3", "data": [{"tags": [ "x" ], "id": 1},{"id":2}]})", "/data");
    REQUIRE(a.digest);
    CHECK(a.digest == b.digest);

    for (const char* other : {R"([{"id": 1, "tags": ["x"]}])", R"([{"id": 1, "tags": ["x"]}, {"id": 2}, {"id": 2}])",
                              R"([{"id": 1, "tags": ["x"]}, {"id": "2"}])", R"([{"id": 1, "tags": "x"}, {"id": 2}])",
                              R"([{"id": 1, "tags": ["x"]}, {"id": 2.0}])", R"([{"id": 1}, {"tags": ["x"], "id": 2}])",
                              R"([{"id": 1, "tags": ["x"], "id2": 2}])", R"([[{"id": 1, "tags": ["x"]}, {"id": 2}]])"}) {
        CAPTURE(other);
        CHECK(decode(R"({"data": )" + std::string(other) + "}", "/data").digest != a.digest);
    }
    CHECK_FALSE(decode(R"({"data": []})", "/data").digest);
    CHECK_FALSE(decode(R"({"data": null})", "/data").digest);
    CHECK_FALSE(decode("[]", "").digest);
    CHECK_FALSE(detail::decode_page<json>(reply_with("[1]"), {}, json::json_pointer(""), detail::digest_items::no).digest);

    // Items that are the whole body are digested as received.
    CHECK(decode("[1, 2]", "").digest == paged::http::detail::content_digest("[1, 2]"));

    // Pages of many chunks: a difference in the last item only, or one item more, still tells.
    std::string many = R"({"data": [)";
    for (int i = 0; i < 5'000; ++i) many += (i == 0 ? "" : ",") + std::string(R"({"id":)") + std::to_string(i) + "}";
    CHECK(decode(many + "]}", "/data").digest == decode(many + R"(], "next": 2})", "/data").digest);
    CHECK(decode(many + "]}", "/data").digest != decode(many + R"(,{"id":5000}]})", "/data").digest);
    std::string changed = many;
    changed[changed.size() - 2] = '8';
    CHECK(decode(many + "]}", "/data").digest != decode(changed + "]}", "/data").digest);
}

TEST_CASE("page decoder: items nested far deeper than a stack allows are digested without recursion",
          "[http][decode][digest]") {
    const auto deep = paged::http::json_limits().max_depth(100'000);
    const std::string body = R"({"data": [1, )" + nested_arrays(75'000) + "]}";
    const auto page = decode(body, "/data", deep);
    CHECK(page.count == 2);
    CHECK(page.digest);
    CHECK(page.digest != decode(R"({"data": [1, )" + nested_arrays(74'999) + "]}", "/data", deep).digest);
}

TEST_CASE("page decoder: extract reads each item before it is decoded; its first error is kept", "[http][decode]") {
    std::vector<std::size_t> seen;
    auto read = [&seen](const json& item, const paged::http::response& raw) {
        CHECK(raw.url == "https://api.test/items?page=3");
        if (!item.contains("x")) throw std::runtime_error("no x in item " + std::to_string(seen.size()));
        seen.push_back(item.size());
        return item.at("x").get<int>();
    };
    auto page = detail::decode_page<point>(reply_with(R"({"data": [{"x": 1, "y": 2}, {"x": 3, "y": 4, "z": 0}]})"), {},
                                           json::json_pointer("/data"), detail::digest_items::no, &read);
    CHECK(page.extras == std::vector<int>{1, 3});
    CHECK(seen == std::vector<std::size_t>{2, 3});
    CHECK(page.items == std::vector<point>{{1, 2}, {3, 4}});

    seen.clear();
    auto failed = detail::decode_page<json>(reply_with(R"([{"x": 1}, {"y": 2}, {"x": 3}, {}])"), {}, json::json_pointer(""),
                                            detail::digest_items::no, &read);
    CHECK(failed.extras == std::vector<int>{1});  // nothing read after the first error
    CHECK(failed.items.size() == 4);               // decoding goes on: items_of is not what raises it
    REQUIRE(failed.extract_error);
    CHECK_THROWS_WITH(std::rethrow_exception(failed.extract_error), "no x in item 1");
}
