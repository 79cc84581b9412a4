// The origin policy through real HTTP: credentials stay with the walk's first origin whatever its next links and
// redirects say, and https never continues over http. Two (and a TLS) paged_server.py instances on 127.0.0.1 are the
// origins; each counts the requests that arrived carrying Authorization or X-Api-Key.

#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include "../support/local_server.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using nlohmann::json;
using paged::http::client;
using paged::http::client_options;

namespace {

paged_test::local_server& home() {
    static paged_test::local_server server(PAGED_TEST_SERVER, 100);
    return server;
}
paged_test::local_server& elsewhere() {
    static paged_test::local_server server(PAGED_TEST_SERVER, 100);
    return server;
}
paged_test::local_server& secure() {
    static paged_test::local_server server(PAGED_TEST_SERVER, 100, true);
    return server;
}

std::string origin_of(const paged_test::local_server& server) { return server.url(""); }

json counters(const paged_test::local_server& server, const std::string& endpoint) {
    return server.stats().at("endpoints").value(endpoint, json{{"requests", 0}, {"with_credentials", 0}});
}

client_options with_token() { return client_options().header("Authorization", "Bearer s3cret"); }

// Walks `url` (next links), with a strategy-level X-Api-Key too; returns the records seen and the error, if any.
struct walked {
    std::size_t records = 0;
    std::exception_ptr error;
};
template <class Options>
walked walk_links(Options options, paged::http::link_options links) {
    paged::event_loop loop;
    client http(loop, std::move(options));
    walked result;
    try {
        for ([[maybe_unused]] const json& record :
             paged::blocking(paged::paginate(paged::http::next_link(http, std::move(links).header("X-Api-Key", "k3y"))), loop)) {
            ++result.records;
        }
    } catch (const paged::error&) {
        result.error = std::current_exception();
    }
    return result;
}

paged::http::link_options leading_elsewhere(const std::string& endpoint) {
    return paged::http::link_options(home().url(endpoint + "?per_page=10&next_base=" + origin_of(elsewhere())));
}

}  // namespace

TEST_CASE("origin policy: a Link to another origin is refused by default, naming both origins",
          "[integration][security]") {
    home().reset();
    elsewhere().reset();
    const walked result = walk_links(with_token(), leading_elsewhere("/pages"));
    CHECK(result.records == 10);  // page 1, from home
    REQUIRE(result.error);
    try {
        std::rethrow_exception(result.error);
    } catch (const paged::http::origin_error& e) {
        CHECK(e.from() == origin_of(home()) + "");
        CHECK(e.to() == origin_of(elsewhere()));
        CHECK_THAT(e.what(), Catch::Contains(origin_of(home())) && Catch::Contains(origin_of(elsewhere())));
    }
    CHECK(counters(elsewhere(), "/pages").at("requests") == 0);  // nothing at all went there
    CHECK(counters(home(), "/pages").at("with_credentials") == 1);

    // The same for a next URL in the body.
    const walked in_body =
        walk_links(with_token(), leading_elsewhere("/next-in-body").items("/data").next("/links/next"));
    CHECK(in_body.records == 10);
    CHECK_THROWS_AS(std::rethrow_exception(in_body.error), paged::http::origin_error);
    CHECK(counters(elsewhere(), "/next-in-body").at("requests") == 0);
}

TEST_CASE("origin policy: followed without credentials when chosen, with them when allowed", "[integration][security]") {
    home().reset();
    elsewhere().reset();
    const walked stripped =
        walk_links(with_token().cross_origin(paged::http::cross_origin::without_credentials), leading_elsewhere("/pages"));
    CHECK(stripped.records == 100);
    CHECK_FALSE(stripped.error);
    CHECK(counters(elsewhere(), "/pages").at("requests") == 9);
    CHECK(counters(elsewhere(), "/pages").at("with_credentials") == 0);  // neither Authorization nor X-Api-Key

    elsewhere().reset();
    const walked allowed = walk_links(with_token().allow_origin(origin_of(elsewhere())), leading_elsewhere("/pages"));
    CHECK(allowed.records == 100);
    CHECK(counters(elsewhere(), "/pages").at("with_credentials") == 9);
}

TEST_CASE("origin policy: redirects obey it too", "[integration][security]") {
    const std::string target = elsewhere().url("/echo-headers");
    const std::string redirect = home().url("/redirect?to=" + target);
    const auto get = [&](client_options options) {
        paged::event_loop loop;
        client http(loop, std::move(options).header("X-Api-Key", "k3y"));
        return paged::sync_wait(loop, http.get(redirect));
    };
    CHECK_THROWS_AS(get(with_token()), paged::http::origin_error);

    const auto stripped = get(with_token().cross_origin(paged::http::cross_origin::without_credentials));
    CHECK(stripped.status == 200);
    CHECK(stripped.url == target);
    const json seen = json::parse(stripped.body);
    CHECK_FALSE(seen.contains("authorization"));
    CHECK_FALSE(seen.contains("x-api-key"));

    const json allowed = json::parse(get(with_token().allow_origin(origin_of(elsewhere()))).body);
    CHECK(allowed.at("authorization") == "Bearer s3cret");
    CHECK(allowed.at("x-api-key") == "k3y");

    // A same-origin redirect keeps them, and resolves relative Locations.
    paged::event_loop loop;
    client http(loop, with_token());
    const auto same = paged::sync_wait(loop, http.get(home().url("/redirect?to=/echo-headers")));
    CHECK(json::parse(same.body).at("authorization") == "Bearer s3cret");
}

TEST_CASE("origin policy: every strategy meets a redirect to another origin the same way", "[integration][security]") {
    const std::string away = "?redirect_base=" + origin_of(elsewhere());
    const auto walk = [&](int kind, client_options options) {
        paged::event_loop loop;
        client http(loop, std::move(options));
        const auto records = [&]() -> paged::async_generator<json> {
            switch (kind) {
                case 0: return paged::paginate(paged::http::offset(http, paged::http::offset_options(home().url("/offset" + away)).page_size(10).header("X-Api-Key", "k3y")));
                case 1: return paged::paginate(paged::http::cursor(http, paged::http::cursor_options(home().url("/cursor" + away)).page_size(10).header("X-Api-Key", "k3y")));
                case 2: return paged::paginate(paged::http::keyset(http, paged::http::keyset_options(home().url("/stripe" + away)).page_size(10).header("X-Api-Key", "k3y")));
                default: return paged::paginate(paged::http::next_link(http, paged::http::link_options(home().url("/pages" + away + "&per_page=10")).header("X-Api-Key", "k3y")));
            }
        };
        walked result;
        try {
            for ([[maybe_unused]] const json& record : paged::blocking(records(), loop)) ++result.records;
        } catch (const paged::error&) {
            result.error = std::current_exception();
        }
        return result;
    };
    const std::string endpoints[] = {"/offset", "/cursor", "/stripe", "/pages"};
    for (int kind = 0; kind < 4; ++kind) {
        CAPTURE(endpoints[kind]);
        elsewhere().reset();
        const walked refused = walk(kind, with_token());
        CHECK(refused.records == 0);
        CHECK_THROWS_AS(std::rethrow_exception(refused.error), paged::http::origin_error);
        CHECK(counters(elsewhere(), endpoints[kind]).at("requests") == 0);

        const walked stripped = walk(kind, with_token().cross_origin(paged::http::cross_origin::without_credentials));
        CHECK(stripped.records == 100);
        CHECK(counters(elsewhere(), endpoints[kind]).at("requests") == 10);
        CHECK(counters(elsewhere(), endpoints[kind]).at("with_credentials") == 0);

        elsewhere().reset();
        const walked allowed = walk(kind, with_token().allow_origin(origin_of(elsewhere())));
        CHECK(allowed.records == 100);
        CHECK(counters(elsewhere(), endpoints[kind]).at("with_credentials") == 10);
    }
}

TEST_CASE("origin policy: a request body goes on to another origin only where credentials may go",
          "[integration][security]") {
    const std::string redirect = home().url("/redirect-with?status=307&to=" + elsewhere().url("/echo"));
    const auto post = [&](client_options options) {
        paged::event_loop loop;
        client http(loop, std::move(options));
        return paged::sync_wait(loop, http.send(paged::http::request(redirect).method("POST").body("{\"account\": 7}",
                                                                                                     "application/json")));
    };
    elsewhere().reset();
    CHECK_THROWS_AS(post(with_token().cross_origin(paged::http::cross_origin::without_credentials)),
                    paged::http::origin_error);
    CHECK(counters(elsewhere(), "/echo").at("requests") == 0);
    const json allowed = json::parse(post(with_token().allow_origin(origin_of(elsewhere()))).body);
    CHECK(allowed.at("method") == "POST");
}

TEST_CASE("origin policy: an https walk never continues over http, allowed or not", "[integration][security]") {
    const auto trusting = [] {
        return with_token()
            .ca_file(secure().cert_file())
            .allow_origin(origin_of(home()))
            .cross_origin(paged::http::cross_origin::without_credentials);
    };
    // Over TLS, verified against the server's own certificate (ca_file), a walk works.
    const walked encrypted = walk_links(trusting(), paged::http::link_options(secure().url("/pages?per_page=10")));
    CHECK(encrypted.records == 100);
    CHECK_FALSE(encrypted.error);

    home().reset();
    const walked downgraded = walk_links(
        trusting(), paged::http::link_options(secure().url("/pages?per_page=10&next_base=" + origin_of(home()))));
    CHECK(downgraded.records == 10);
    REQUIRE(downgraded.error);
    CHECK_THROWS_WITH(std::rethrow_exception(downgraded.error), Catch::Contains("cleartext"));
    CHECK(counters(home(), "/pages").at("requests") == 0);

    paged::event_loop loop;
    client http(loop, trusting());
    CHECK_THROWS_AS(paged::sync_wait(loop, http.get(secure().url("/redirect?to=" + home().url("/offset")))),
                    paged::http::origin_error);

    // From http up to an allowed https origin, and down again: the second hop is a downgrade all the same.
    const auto escaped = [](const std::string& text) {
        char* encoded = curl_easy_escape(nullptr, text.c_str(), 0);
        std::string copy(encoded);
        curl_free(encoded);
        return copy;
    };
    home().reset();
    paged::event_loop other_loop;
    client upward(other_loop, with_token().ca_file(secure().cert_file()).allow_origin(origin_of(secure())));
    const std::string down = secure().url("/redirect?to=" + escaped(home().url("/offset?limit=1")));
    CHECK_THROWS_WITH(paged::sync_wait(other_loop, upward.get(home().url("/redirect?to=" + escaped(down)))),
                      Catch::Contains("cleartext"));
    CHECK(counters(home(), "/offset").at("requests") == 0);
}

TEST_CASE("a Link field folded over two lines (obs-fold) is unfolded, not cut short", "[integration][security]") {
    paged::event_loop loop;
    client http(loop);
    std::size_t records = 0;
    for ([[maybe_unused]] const json& record :
         paged::blocking(paged::paginate(paged::http::next_link(http, home().url("/pages?per_page=10&fold=1"))), loop)) {
        ++records;
    }
    CHECK(records == 100);
}

TEST_CASE("the exchange observer sees method, URL, status and time, never credentials", "[integration][security]") {
    std::vector<std::string> lines;
    const auto note = [&lines](const paged::http::exchange_event& event) {
        lines.push_back(std::string(event.method) + " " + std::string(event.url) + " " + std::to_string(event.status));
        CHECK(event.elapsed > paged::clock::duration::zero());
    };
    paged::event_loop loop;
    client http(loop, with_token().on_exchange(note));
    const std::string with_password = "http://user:hunter2@127.0.0.1:" + std::to_string(home().port());
    (void)paged::sync_wait(loop, http.get(with_password + "/redirect?to=/offset%3Flimit%3D1"));
    REQUIRE(lines.size() == 2);  // the redirect and the page
    CHECK(lines[0] == "GET " + home().url("/redirect?to=/offset%3Flimit%3D1") + " 302");
    CHECK(lines[1] == "GET " + home().url("/offset?limit=1") + " 200");
    for (const auto& line : lines) {
        CHECK_THAT(line, !Catch::Contains("hunter2") && !Catch::Contains("s3cret"));
    }
}

TEST_CASE("a proxy carries every request when set", "[integration][security]") {
    // paged_server.py serves absolute-form requests too, so it can stand in for a forward proxy: a host that does not
    // resolve is reached only if the request really goes through it.
    elsewhere().reset();
    paged::event_loop loop;
    client http(loop, client_options().proxy(origin_of(elsewhere())));
    const auto reply = paged::sync_wait(loop, http.get("http://paged-proxy-test.invalid/offset?limit=3"));
    CHECK(reply.status == 200);
    CHECK(json::parse(reply.body).size() == 3);
    CHECK(counters(elsewhere(), "/offset").at("requests") == 1);
}
