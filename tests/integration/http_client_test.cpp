// The libcurl client against tests/support/paged_server.py on 127.0.0.1: real HTTP, real sockets, every strategy.

#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/collect.hpp>
#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>
#include <paged/when_all.hpp>

#include "../support/local_server.hpp"
#include "../support/walk_in_order.hpp"
#include "../support/start.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

using paged::http::client;
using paged_test::walk_in_order;

namespace {

paged_test::local_server& server() {
    static paged_test::local_server shared(PAGED_TEST_SERVER);
    return shared;
}

nlohmann::json endpoint_stats(const std::string& endpoint) { return server().stats().at("endpoints").at(endpoint); }


paged::task<paged::http::response> send(client& http, paged::http::request outgoing) {
    co_return co_await http.send(std::move(outgoing));
}

paged::task<paged::http::response> get(client& http, std::string url) {
    co_return co_await http.get(std::move(url));
}

}  // namespace

static_assert(paged::http::transport<client>);

TEST_CASE("integration: every strategy walks 20,000 records in 400 requests over one connection", "[integration]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    using paged::http::cursor_options;
    using paged::http::keyset_options;
    using paged::http::link_options;
    using paged::http::offset_options;

    CHECK(walk_in_order(loop, paged::http::offset(http, offset_options(server().url("/offset")).page_size(50))) == 20'000);
    CHECK(walk_in_order(loop, paged::http::offset(http, offset_options(server().url("/offset-range")).page_size(50))) ==
          20'000);
    CHECK(walk_in_order(loop, paged::http::next_link(http, server().url("/pages?per_page=50"))) == 20'000);
    CHECK(walk_in_order(loop, paged::http::next_link(http, link_options(server().url("/next-in-body?per_page=50"))
                                                               .items("/data")
                                                               .next("/links/next"))) == 20'000);
    CHECK(walk_in_order(loop, paged::http::cursor(http, cursor_options(server().url("/cursor")).page_size(50))) == 20'000);
    CHECK(walk_in_order(loop, paged::http::keyset(http, keyset_options(server().url("/stripe")).page_size(50))) == 20'000);
    CHECK(walk_in_order(loop, paged::http::keyset(http, keyset_options(server().url("/keyset"))
                                                            .items("")
                                                            .key("/created_at", "after_created_at")
                                                            .key("/id", "after_id")
                                                            .has_more("")
                                                            .page_size(50))) == 20'000);

    const auto stats = server().stats().at("endpoints");
    for (const char* endpoint : {"/offset", "/offset-range", "/pages", "/next-in-body", "/cursor", "/stripe"}) {
        CAPTURE(endpoint);
        CHECK(stats.at(endpoint).at("requests") == 400);
        CHECK(stats.at(endpoint).at("connections") == 1);
    }
    CHECK(stats.at("/keyset").at("requests") == 401);  // 400 full pages: only an empty one says it is over
    CHECK(stats.at("/keyset").at("connections") == 1);
}

TEST_CASE("integration: the first 10, and the first 5 even through filter | take, cost one request", "[integration]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    const auto api = paged::http::cursor(http, paged::http::cursor_options(server().url("/cursor")).page_size(50));

    std::size_t read = 0;
    for (const auto& record : paged::blocking(paged::paginate(api) | paged::take(10), loop)) read += record.is_object();
    CHECK(read == 10);
    CHECK(endpoint_stats("/cursor").at("requests") == 1);

    const auto even = [](const nlohmann::json& r) { return r.at("id").get<int>() % 2 == 0; };
    const auto id = [](const nlohmann::json& r) { return r.at("id").get<int>(); };
    auto first_even = paged::paginate(api) | paged::filter(even) | paged::map(id) | paged::take(5);
    CHECK(paged::sync_wait(loop, paged::collect(std::move(first_even))) == std::vector<int>{2, 4, 6, 8, 10});
    CHECK(endpoint_stats("/cursor").at("requests") == 2);
    CHECK(endpoint_stats("/cursor").at("connections") == 1);  // and the second walk reused the first one's connection
}

TEST_CASE("integration: breaking out while the next page downloads removes the transfer at once", "[integration]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    std::size_t consumed = 0;
    const auto consume = [&consumed](paged::async_generator<nlohmann::json> records) -> paged::task<void> {
        for (auto it = co_await records.begin(); it != records.end(); (void)co_await ++it) ++consumed;
    };
    {
        auto consumer = consume(paged::paginate(
            paged::http::offset(http, paged::http::offset_options(server().url("/offset?delay_ms=300")).page_size(50))));
        paged_test::start(loop, consumer);
        loop.run_until([&] { return consumed == 50 && http.in_flight() == 1; });
        CHECK(http.poll(std::chrono::milliseconds(100)) != paged::io_source::polled::resumed);  // page 2's request goes out; its answer takes 300 ms
        CHECK(http.busy());
    }  // like a break: the consumer, and with it the walk and its transfer, is destroyed here
    CHECK(http.in_flight() == 0);
    CHECK_FALSE(http.busy());
    CHECK(http.poll(std::chrono::milliseconds(400)) != paged::io_source::polled::resumed);  // the response arrives for nobody: nothing is resumed
    CHECK(endpoint_stats("/offset").at("requests") == 2);
}

TEST_CASE("integration: prefetch 2 reads ahead for every strategy; the first 10 records cost at most 3 requests and "
          "stopping cancels the rest", "[integration][prefetch]") {
    using paged::http::cursor_options;
    using paged::http::keyset_options;
    using paged::http::offset_options;
    paged::event_loop loop;
    client http(loop);
    for (const std::string endpoint : {"/offset", "/cursor", "/stripe", "/pages"}) {
        CAPTURE(endpoint);
        server().reset();
        const std::string url = server().url(endpoint + "?delay_ms=100");
        std::vector<std::uint64_t> ids;
        {
            auto records = paged::async_generator<nlohmann::json>();
            const auto options = paged::walk_options().prefetch(2);
            if (endpoint == "/offset") {
                records = paged::paginate(paged::http::offset(http, offset_options(url).page_size(10)), options);
            } else if (endpoint == "/cursor") {
                records = paged::paginate(paged::http::cursor(http, cursor_options(url).page_size(10)), options);
            } else if (endpoint == "/stripe") {
                records = paged::paginate(paged::http::keyset(http, keyset_options(url).page_size(10)), options);
            } else {
                records = paged::paginate(paged::http::next_link(http, url + "&per_page=10"), options);
            }
            for (const auto& record : paged::blocking(std::move(records), loop)) {
                ids.push_back(record.at("id").get<std::uint64_t>());
                if (ids.size() == 10) break;
            }
            CHECK(http.in_flight() == 0);  // what was read ahead is cancelled with the walk
        }
        CHECK(ids == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        CHECK(endpoint_stats(endpoint).at("requests").get<int>() <= 3);
    }
    // And a whole walk with read-ahead hands out every record once, in order.
    server().reset();
    const auto read_ahead = paged::walk_options<std::string>().prefetch(3);
    CHECK(walk_in_order(loop, paged::http::cursor(http, cursor_options(server().url("/cursor")).page_size(100)),
                        read_ahead) == 20'000);
    CHECK(walk_in_order(loop, paged::http::next_link(http, server().url("/pages?per_page=100")), read_ahead) == 20'000);
}

TEST_CASE("integration: concurrency 8 over offsets and page numbers: records in order, requests at once",
          "[integration][concurrency]") {
    paged::event_loop loop;
    client http(loop);
    for (const auto style : {paged::http::offset_style::limit_offset, paged::http::offset_style::page_number}) {
        CAPTURE(static_cast<int>(style));
        server().reset();
        auto options = paged::http::offset_options(server().url("/offset?delay_ms=20")).page_size(100).style(style);
        if (style == paged::http::offset_style::page_number) {
            options = paged::http::offset_options(server().url("/pages?delay_ms=20")).page_size(100).style(style);
        }
        const auto wide = paged::walk_options<std::uint64_t>().concurrency(8).max_items(3'050);
        CHECK(walk_in_order(loop, paged::http::offset(http, std::move(options)), wide) == 3'050);
        CHECK(server().stats().at("max_in_flight").get<int>() >= 4);  // pages were requested side by side
        CHECK(http.in_flight() == 0);                                  // the guesses past the end were cancelled
    }
}

TEST_CASE("integration: four shards of one offset walk fetch every page once between them", "[integration][shard]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    const auto shard = [&](std::size_t k) {
        const auto options = paged::http::offset_options(server().url("/offset")).page_size(100);
        return paged::collect(paged::paginate(paged::http::offset(http, options), paged::walk_options().shard(k, 4)));
    };
    auto all_four = paged::when_all(shard(0), shard(1), shard(2), shard(3));
    const auto [first, second, third, fourth] = paged::sync_wait(loop, std::move(all_four));
    std::vector<std::uint64_t> ids;
    for (const auto* part : {&first, &second, &third, &fourth}) {
        CHECK(part->size() == 5'000);  // 200 pages of 100, 50 each
        for (const auto& record : *part) ids.push_back(record.at("id").get<std::uint64_t>());
    }
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    CHECK(ids.size() == 20'000);
    CHECK(ids.back() == 20'000);
    // 200 pages, and one more for shards 0 to 2, each of which asks past the end once (shard 3 has the last page).
    CHECK(endpoint_stats("/offset").at("requests").get<int>() == 203);
}

TEST_CASE("integration: two walks on one loop overlap", "[integration]") {
    server().reset();
    paged::event_loop loop;
    client http(loop);
    auto slow_offsets = paged::paginate(
        paged::http::offset(http, paged::http::offset_options(server().url("/offset?delay_ms=50")).page_size(50)),
        paged::walk_options().max_items(500));
    auto slow_pages = paged::paginate(paged::http::next_link(http, server().url("/pages?per_page=50&delay_ms=50")),
                                      paged::walk_options().max_items(500));
    auto both = paged::when_all(paged::collect(std::move(slow_offsets)), paged::collect(std::move(slow_pages)));
    const auto [offsets, pages] = paged::sync_wait(loop, std::move(both));
    CHECK(offsets.size() == 500);
    CHECK(pages.size() == 500);
    CHECK(server().stats().at("max_in_flight") == 2);  // the server had both walks' requests at once
}

TEST_CASE("integration: transport failures are transfer_errors with the URL and libcurl's message", "[integration]") {
    paged::event_loop loop;
    // One bare try each: the failures themselves are under test here (the fault suite tests their retries).
    client http(loop, paged::http::client_options()
                          .connect_timeout(std::chrono::milliseconds(2000))
                          .max_response_bytes(1 << 20)
                          .retry(paged::http::retry_policy::none()));
    const auto fails_with = [&](const std::string& url, CURLcode code) {
        CAPTURE(url);
        try {
            (void)paged::sync_wait(loop, get(http, url));
            FAIL("no error");
        } catch (const paged::http::transfer_error& e) {
            CHECK(e.curl_code() == code);
            CHECK(e.url() == url);
            CHECK_THAT(e.what(), Catch::Contains(url));
        }
    };
    {
        paged::event_loop other_loop;
        client impatient(other_loop, paged::http::client_options()
                                         .request_timeout(std::chrono::milliseconds(300))
                                         .retry(paged::http::retry_policy::none()));
        try {
            (void)paged::sync_wait(other_loop, get(impatient, server().url("/offset?delay_ms=3000")));
            FAIL("no timeout");
        } catch (const paged::http::transfer_error& e) {
            CHECK(e.curl_code() == CURLE_OPERATION_TIMEDOUT);
            CHECK_THAT(e.what(), Catch::Contains("/offset?delay_ms=3000") && Catch::Contains("timed out"));
        }
    }
    fails_with(server().url("/truncated"), CURLE_PARTIAL_FILE);
    fails_with(server().url("/hang-up"), CURLE_GOT_NOTHING);
    fails_with(server().url("/redirect-loop"), CURLE_TOO_MANY_REDIRECTS);
    fails_with("http://127.0.0.1:1/", CURLE_COULDNT_CONNECT);
    try {
        (void)paged::sync_wait(loop, get(http, "http://paged-test.invalid/"));  // RFC 2606: never resolves
        FAIL("no error");
    } catch (const paged::http::transfer_error& e) {
        // Without a reachable resolver the lookup times out instead of failing: still a typed transfer error.
        CHECK((e.curl_code() == CURLE_COULDNT_RESOLVE_HOST || e.curl_code() == CURLE_OPERATION_TIMEDOUT));
    }
    CHECK_THROWS_AS(paged::sync_wait(loop, get(http, server().url("/big?bytes=2000000"))), paged::http::response_too_large);
    CHECK_THROWS_AS(paged::sync_wait(loop, get(http, server().url("/big?bytes=2000000&unsized=1"))),
                    paged::http::response_too_large);  // no Content-Length: stopped while streaming
    CHECK(paged::sync_wait(loop, get(http, server().url("/big?bytes=900000&unsized=1"))).body.size() == 900'000);
    CHECK(http.in_flight() == 0);
}

TEST_CASE("integration: headers, User-Agent, gzip and redirects", "[integration]") {
    paged::event_loop loop;
    client http(loop, paged::http::client_options().header("Authorization", "Bearer s3cret"));

    const auto echoed = nlohmann::json::parse(paged::sync_wait(loop, get(http, server().url("/echo-headers"))).body);
    CHECK(echoed.at("authorization") == "Bearer s3cret");
    CHECK(echoed.at("user-agent") == std::string("paged/") + paged::version);
    CHECK_THAT(echoed.at("accept-encoding").get<std::string>(), Catch::Contains("gzip"));

    const auto zipped = paged::sync_wait(loop, get(http, server().url("/gzip")));
    CHECK(nlohmann::json::parse(zipped.body).size() == 5);  // decoded on the way in

    const auto moved = paged::sync_wait(loop, get(http, server().url("/redirect?to=/offset%3Flimit%3D2")));
    CHECK(moved.status == 200);
    CHECK(moved.url == server().url("/offset?limit=2"));
    CHECK(moved.headers.get("x-total-count") == "20000");
    CHECK(moved.elapsed > paged::clock::duration::zero());

    const auto missing = paged::sync_wait(loop, get(http, server().url("/status?code=404")));
    CHECK(missing.status == 404);  // a status is not a transport failure: the strategies turn it into status_error
    try {
        (void)paged::sync_wait(loop, paged::collect(paged::paginate(
                                         paged::http::offset(http, server().url("/status?code=404")))));
        FAIL("no error");
    } catch (const paged::http::status_error& e) {
        CHECK(e.status() == 404);
        CHECK(e.headers().get("Content-Type") == "application/json");  // the headers come with the error
    }
}

TEST_CASE("integration: TLS peers are verified: a self-signed certificate is refused", "[integration]") {
    paged_test::local_server https(PAGED_TEST_SERVER, 10, /*tls=*/true);
    paged::event_loop loop;
    client http(loop);
    try {
        (void)paged::sync_wait(loop, get(http, https.url("/offset")));
        FAIL("no error: the certificate was not verified");
    } catch (const paged::http::transfer_error& e) {
        CHECK(e.curl_code() == CURLE_PEER_FAILED_VERIFICATION);
        CHECK_THAT(e.what(), Catch::Contains("https://127.0.0.1:"));
    }
}

TEST_CASE("integration: waiting for a slow response costs no CPU", "[integration]") {
    paged::event_loop loop;
    client http(loop);
    const std::clock_t before = std::clock();
    CHECK(paged::sync_wait(loop, get(http, server().url("/offset?delay_ms=400&limit=1"))).status == 200);
    const double cpu_seconds = static_cast<double>(std::clock() - before) / CLOCKS_PER_SEC;
    CHECK(cpu_seconds < 0.1);  // a busy loop would burn the whole 0.4 s
}

TEST_CASE("integration: several threads, each with its own loop and client", "[integration]") {
    const std::string url = server().url("/offset");
    std::vector<std::size_t> counts(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        threads.emplace_back([&counts, &url, i] {
            paged::event_loop loop;
            client http(loop);
            auto walk = paged::paginate(paged::http::offset(http, paged::http::offset_options(url).page_size(100)),
                                        paged::walk_options().max_items(2000));
            counts[i] = paged::sync_wait(loop, paged::collect(std::move(walk))).size();
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(counts == std::vector<std::size_t>(4, 2000));
}

TEST_CASE("integration: options and requests a client refuses", "[integration]") {
    // Every option is checked where it is set: a 0 or negative value would switch libcurl's limit off.
    using namespace std::chrono_literals;
    CHECK_THROWS_AS(paged::http::client_options().request_timeout(0ms), paged::usage_error);
    CHECK_THROWS_AS(paged::http::client_options().request_timeout(-1ms), paged::usage_error);
    CHECK_THROWS_AS(paged::http::client_options().connect_timeout(0ms), paged::usage_error);
    CHECK_THROWS_AS(paged::http::client_options().max_response_bytes(0), paged::usage_error);
    CHECK_THROWS_AS(paged::http::client_options().max_redirects(-1), paged::usage_error);
    CHECK_NOTHROW(paged::http::client_options().max_redirects(0));  // 0 follows none: a limit, not "no limit"

    paged::event_loop loop;
    client http(loop, paged::http::client_options().header("Accept", "text/plain").header("X-Empty", ""));
    const auto override = paged::http::request(server().url("/echo-headers")).header("accept", "application/json");
    const auto echoed = nlohmann::json::parse(paged::sync_wait(loop, send(http, override)).body);
    CHECK(echoed.at("accept") == "application/json");  // the request's header replaces the default, not doubled
    CHECK(echoed.at("x-empty") == "");
    const auto injected = paged::http::request(server().url("/echo-headers")).header("X-Evil", "a\r\nHost: elsewhere");
    CHECK_THROWS_AS(paged::sync_wait(loop, send(http, injected)), paged::usage_error);
    CHECK_THROWS_WITH(paged::sync_wait(loop, send(http, injected)), Catch::Contains("malformed header 'X-Evil'"));
    // Any method goes (request_body_test.cpp), but only as an HTTP token: no room to smuggle a second request line.
    const auto smuggled = paged::http::request(server().url("/offset")).method("GET / HTTP/1.1\r\nX:");
    CHECK_THROWS_AS(paged::sync_wait(loop, send(http, smuggled)), paged::usage_error);
    CHECK_THROWS_WITH(paged::sync_wait(loop, send(http, smuggled)), Catch::Contains("is not an HTTP token"));
    CHECK(http.in_flight() == 0);
}

TEST_CASE("integration: a client serves only its own loop", "[integration]") {
    paged::event_loop loop;
    paged::event_loop other;
    client http(loop);
    CHECK_THROWS_AS(paged::sync_wait(other, get(http, server().url("/offset"))), paged::usage_error);
    CHECK_THROWS_WITH(paged::sync_wait(other, get(http, server().url("/offset"))),
                      Catch::Contains("another event loop than the client's"));
    CHECK_THROWS_AS(client(loop), paged::usage_error);  // one io_source per loop
    CHECK_THROWS_WITH(client(loop), Catch::Contains("one per loop"));
}

TEST_CASE("integration: a client built without a loop shares this thread's with blocking and sync_wait",
          "[integration]") {
    server().reset();
    client http;  // on paged::event_loop::for_this_thread()
    CHECK_THROWS_AS(client(paged::event_loop::for_this_thread()), paged::usage_error);  // that loop has its client
    CHECK(paged::sync_wait(get(http, server().url("/offset?limit=2"))).status == 200);
    std::size_t read = 0;
    const auto api = paged::http::offset(http, paged::http::offset_options(server().url("/offset")).page_size(50));
    for (const auto& record : paged::blocking(paged::paginate(api, paged::walk_options().max_items(120)))) {
        read += record.is_object();
    }
    CHECK(read == 120);
    CHECK(endpoint_stats("/offset").at("requests") == 4);  // the GET, then three pages of 50 for 120 items
    CHECK(http.in_flight() == 0);
}
