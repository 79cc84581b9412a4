#include <paged/http/link_fetcher.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include "walk.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using paged::testing::fake_api;
using paged::testing::link_endpoint;
using paged_test::id_range;
using paged_test::ids;
using paged_test::walk;

namespace {
const std::string endpoint = "https://api.test/repos/o/r/issues";

void answer(fake_api& api, std::string link, std::string body = "[{\"id\": 1}]") {
    paged::http::headers fields;
    if (!link.empty()) fields.add("Link", std::move(link));
    paged_test::respond_with(api, std::move(body), std::move(fields));
}
}  // namespace

TEST_CASE("link: GitHub-style Link headers walk every record once, in order", "[http][link]") {
    fake_api api(link_endpoint(paged::testing::numbered_records(20'000)));
    CHECK(ids(walk(paged::http::next_link(api, endpoint + "?state=open&per_page=50"))) == id_range(1, 20'000));
    REQUIRE(api.requests().size() == 400);
    CHECK(api.requests()[0] == endpoint + "?state=open&per_page=50");
    // Followed exactly as the server wrote it: its next link drops state=open, and so does the walk.
    CHECK(api.requests()[1] == endpoint + "?per_page=50&page=2");

    CHECK(walk(paged::http::next_link(api, endpoint + "?per_page=50"), paged::walk_options().max_items(10)).size() ==
          10);
    CHECK(api.requests().size() == 401);
}

TEST_CASE("link: relative links resolve against the URL that answered; several headers and links", "[http][link]") {
    fake_api api(link_endpoint(paged::testing::numbered_records(45), {.relative_links = true}));
    CHECK(ids(walk(paged::http::next_link(api, endpoint + "?per_page=20"))) == id_range(1, 45));
    CHECK(api.requests()[2] == endpoint + "?per_page=20&page=3");

    fake_api scripted(link_endpoint({}));
    paged::testing::scripted_response two_headers;
    two_headers.headers.add("Link", R"(<https://api.test/x?page=9>; rel="last")");
    two_headers.headers.add("link", R"(<../other?cursor=a%2Cb>; title="a, b; c"; rel="NEXT prefetch")");
    two_headers.body = R"([{"id": 1}])";
    scripted.respond_next(two_headers);
    answer(scripted, "", R"([{"id": 2}])");
    CHECK(walk(paged::http::next_link(scripted, endpoint)).size() == 2);
    CHECK(scripted.requests()[1] == "https://api.test/repos/o/other?cursor=a%2Cb");
}

TEST_CASE("link: the next URL in the body", "[http][link]") {
    for (const std::string pointer : {"/next", "/links/next", "/paging/next"}) {
        CAPTURE(pointer);
        fake_api api(link_endpoint(paged::testing::numbered_records(70), {.items = "/data", .next = pointer}));
        CHECK(ids(walk(paged::http::next_link(
                  api, paged::http::link_options(endpoint + "?per_page=25").items("/data").next(pointer)))) ==
              id_range(1, 70));
        CHECK(api.requests().size() == 3);
    }
}

TEST_CASE("link: a cycle of next links is caught", "[http][link]") {
    fake_api api(link_endpoint({}));
    answer(api, "<" + endpoint + "?page=2>; rel=\"next\"", R"([{"id": 1}])");
    answer(api, "<" + endpoint + "?page=3>; rel=\"next\"", R"([{"id": 2}])");
    answer(api, "<?page=2>; rel=\"next\"", R"([{"id": 3}])");
    CHECK_THROWS_AS(walk(paged::http::next_link(api, endpoint)), paged::pagination_error);
    CHECK(api.requests().size() == 3);

    answer(api, "<" + endpoint + ">; rel=\"next\"", R"([{"id": 1}])");  // back to the first page
    CHECK_THROWS_AS(walk(paged::http::next_link(api, endpoint)), paged::pagination_error);
}

TEST_CASE("link: malformed Link headers and bodies are typed errors", "[http][link]") {
    fake_api api(link_endpoint({}));
    const auto fetcher = paged::http::next_link(api, endpoint);
    answer(api, "<https://api.test/?page=2; rel=\"next\"");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("Link header") && Catch::Contains(endpoint));
    answer(api, "", "not json");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected a JSON body") && Catch::Contains("not json"));
    answer(api, "", R"({"items": []})");
    CHECK_THROWS_WITH(walk(fetcher), Catch::Contains("expected a JSON array of items at pointer ''"));

    paged::testing::scripted_response no_content;
    no_content.status = 204;
    api.respond_next(no_content);
    CHECK(walk(fetcher).empty());  // GitHub answers some empty lists with 204
}

TEST_CASE("link: resume from a saved URL and from a checkpoint", "[http][link]") {
    fake_api api(link_endpoint(paged::testing::numbered_records(100)));
    const auto fetcher = paged::http::next_link(api, endpoint + "?per_page=30");
    CHECK(ids(walk(fetcher, paged::walk_options().start(endpoint + "?per_page=30&page=3"))) == id_range(61, 100));

    paged::walk_state state(fetcher);
    CHECK(walk(fetcher, paged::walk_options().max_items(40).state(state)).size() == 40);
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    CHECK(ids(walk(fetcher, paged::walk_options().resume(saved))) == id_range(41, 100));
}

TEST_CASE("link: a page with the previous page's items under a new URL meets the repeat policy", "[http][link]") {
    fake_api api(link_endpoint({}));
    const std::string page = R"([{"id": 1}, {"id": 2}])";
    answer(api, "<" + endpoint + "?page=1&p=2>; rel=\"next\"", page);
    answer(api, "<" + endpoint + "?page=1&p=3>; rel=\"next\"", page);  // the link moves p, which the API ignores
    answer(api, "", R"([{"id": 3}])");
    const auto fetcher = paged::http::next_link(api, endpoint + "?page=1");

    SECTION("error (default): caught on page 2, naming both URLs") {
        try {
            walk(fetcher);
            FAIL("no error");
        } catch (const paged::pagination_error& e) {
            CHECK(e.failure() == paged::pagination_failure::repeated_page);
            CHECK_THAT(e.what(), Catch::Contains(endpoint + "?page=1&p=2") && Catch::Contains("before it (" + endpoint + "?page=1)") &&
                                     Catch::Contains("ignore the parameter its next link moves"));
        }
        CHECK(api.requests().size() == 2);
    }
    SECTION("stop: the walk ends before the repeated page") {
        paged::walk_state state(fetcher);
        CHECK(ids(walk(fetcher, paged::walk_options().repeats(paged::repeat_policy::stop).state(state))) ==
              id_range(1, 2));
        CHECK(state.stop == paged::stop_reason::repeated_page);
        CHECK(api.requests().size() == 2);
    }
    SECTION("allow: handed out again, and the walk goes on") {
        CHECK(ids(walk(fetcher, paged::walk_options().repeats(paged::repeat_policy::allow))) ==
              std::vector<std::uint64_t>{1, 2, 1, 2, 3});
    }
}

TEST_CASE("link: items are compared, not the envelope around them; empty pages repeat nothing", "[http][link]") {
    fake_api api(link_endpoint({}));
    const auto fetcher = paged::http::next_link(api, paged::http::link_options(endpoint).items("/data").next("/next"));
    // A next link in the body makes every body differ: the items alone still tell the repeat.
    paged_test::respond_with(api, R"({"data": [{"id": 1}], "next": "?again=1"})");
    paged_test::respond_with(api, R"({"data": [{"id": 1}], "next": "?again=2"})");
    CHECK_THROWS_AS(walk(fetcher), paged::pagination_error);
    CHECK(api.requests().size() == 2);

    paged_test::respond_with(api, R"({"data": [], "next": "?p=2"})");  // a filtered API: empty pages, more to come
    paged_test::respond_with(api, R"({"data": [], "next": "?p=3"})");
    paged_test::respond_with(api, R"({"data": [{"id": 1}], "next": null})");
    CHECK(ids(walk(fetcher)) == id_range(1, 1));
}
