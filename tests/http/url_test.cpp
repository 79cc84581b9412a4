#include <paged/http/error.hpp>
#include <paged/http/headers.hpp>
#include <paged/http/message.hpp>
#include <paged/http/url.hpp>

#include <catch2/catch.hpp>

#include <string>

using paged::http::url;

TEST_CASE("url: query parameters are percent-encoded and appended to the query already there", "[http][url]") {
    url target("https://api.test/v1/items?fixed=1");
    target.append_query("q", "a b&c=d/é+%").append_query("cursor", "abc==");
    CHECK(target.str() == "https://api.test/v1/items?fixed=1&q=a+b%26c%3dd%2f%c3%a9%2b%25&cursor=abc%3d%3d");

    const auto pairs = target.query_pairs();
    REQUIRE(pairs.size() == 3);
    CHECK(pairs[1] == std::pair<std::string, std::string>("q", "a b&c=d/é+%"));
    CHECK(pairs[2].second == "abc==");
    // A '=' in a name, and a NUL anywhere, are encoded, not cut or refused (libcurl writes escapes in lower case).
    target.append_query("a=b", std::string("n20\0tail", 8));
    CHECK(target.query_pairs().back() == std::pair<std::string, std::string>("a=b", std::string("n20\0tail", 8)));
    CHECK(target.str().ends_with("&a%3db=n20%00tail"));
}

TEST_CASE("url: a NUL byte in a URL or a reference is a url_error, never a shorter URL", "[http][url]") {
    CHECK_THROWS_AS(url(std::string("https://api.test/a\0b", 20)), paged::http::url_error);
    CHECK_THROWS_WITH(url(std::string("https://api.test/a\0b", 20)), Catch::Contains("\\x00") && Catch::Contains("NUL"));
    CHECK_THROWS_AS(url("https://api.test/").resolve(std::string("/next\0evil", 10)), paged::http::url_error);
    // An error quotes a hostile URL only in part.
    try {
        (void)url("https://" + std::string(100'000, 'a') + " /");
        FAIL("no error");
    } catch (const paged::http::url_error& e) {
        CHECK(std::string(e.what()).size() < 1'000);
    }
    CHECK(url("HTTPS://API.Test/x").origin() == "https://api.test:443");
    CHECK(url("http://api.test:8080/x").origin() == "http://api.test:8080");
}

TEST_CASE("url: request::target builds the URL on the wire", "[http][url]") {
    const auto outgoing =
        paged::http::request("https://api.test/items").query("limit", "50").query("after", "2024-01-01T00:00:00+00:00");
    CHECK(outgoing.url() == "https://api.test/items");
    CHECK(outgoing.method() == "GET");
    CHECK(outgoing.query().size() == 2);
    CHECK(outgoing.target() == "https://api.test/items?limit=50&after=2024-01-01T00%3a00%3a00%2b00%3a00");
}

TEST_CASE("url: relative references resolve as RFC 3986 says", "[http][url]") {
    const url base("https://api.test/v1/items?page=1");
    CHECK(base.resolve("?page=2").str() == "https://api.test/v1/items?page=2");
    CHECK(base.resolve("/v2/items?page=2").str() == "https://api.test/v2/items?page=2");
    CHECK(base.resolve("other").str() == "https://api.test/v1/other");
    CHECK(base.resolve("../x").str() == "https://api.test/x");
    CHECK(base.resolve("https://elsewhere.test/p").str() == "https://elsewhere.test/p");
    CHECK(base.resolve("//cdn.test/p").str() == "https://cdn.test/p");
}

TEST_CASE("url: what libcurl cannot parse is a url_error naming the URL", "[http][url]") {
    CHECK_THROWS_AS(url("not a url"), paged::http::url_error);
    CHECK_THROWS_WITH(url("https://exa mple.test/"), Catch::Contains("exa mple.test"));
    CHECK_THROWS_AS(url(""), paged::http::url_error);
}

TEST_CASE("headers: names compare without regard to case, values keep theirs, repeats are kept", "[http][url]") {
    paged::http::headers fields{{"Link", "<a>; rel=next"}, {"X-Total-Count", "12"}};
    fields.add("LINK", "<b>; rel=last");
    CHECK(fields.get("x-total-count") == "12");
    CHECK(fields.get("link") == "<a>; rel=next");
    CHECK(fields.get_all("Link") == std::vector<std::string_view>{"<a>; rel=next", "<b>; rel=last"});
    CHECK_FALSE(fields.get("Content-Range").has_value());
}
