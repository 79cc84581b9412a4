// Walks several lists of one account at once, on one thread, under the account's one rate budget: four walks of four
// pagination styles (offset, cursor, Stripe-style keyset, Link header) run concurrently on one event loop, and every
// request of every walk (retries included) first takes a token from one shared paged::rate_limiter. Walks that each
// paced themselves would together exceed the account's limit; sharing the limiter keeps the sum within it, and while
// one walk waits for a page the others go on.
//
//     fan_out BASE_URL [requests-per-second, default 10] [burst, default 1]
//     fan_out http://127.0.0.1:8080 20 4
//
// BASE_URL serves /offset, /cursor, /stripe and /pages as tests/support/paged_server.py does (records with an "id").
// Prints one line per walk (records, first and last id, pages, time) and the requests made against the budget.

#include <paged/event_loop.hpp>
#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>
#include <paged/walk_options.hpp>
#include <paged/walk_state.hpp>
#include <paged/when_all.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr std::size_t page_size = 50;

struct walk_report {
    std::string name;
    std::size_t records = 0;
    std::uint64_t first_id = 0;
    std::uint64_t last_id = 0;
    std::size_t pages = 0;
    double seconds = 0;
};

// One walk to its end. A coroutine: while it waits for a page or a token, the loop runs the other walks.
template <class Fetcher>
paged::task<walk_report> walk(std::string name, Fetcher source) {
    const auto started = std::chrono::steady_clock::now();
    walk_report report;
    report.name = std::move(name);
    paged::walk_state position(source);
    auto records = paged::paginate(std::move(source), paged::walk_options().state(position));
    while (const nlohmann::json* record = co_await records.next()) {
        const auto id = record->at("id").get<std::uint64_t>();
        if (report.records++ == 0) report.first_id = id;
        report.last_id = id;
    }
    report.pages = position.pages;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    co_return report;
}

void print(const walk_report& report) {
    std::printf("%-8s %6zu records, ids %llu-%llu, %3zu pages, %5.2f s\n", report.name.c_str(), report.records,
                static_cast<unsigned long long>(report.first_id), static_cast<unsigned long long>(report.last_id),
                report.pages, report.seconds);
}

std::optional<double> rate_argument(std::string_view text) {
    double value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || !(value > 0)) return std::nullopt;
    return value;
}

std::optional<std::size_t> burst_argument(std::string_view text) {
    std::size_t value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
    return value;
}

int run(const std::string& base, double per_second, std::size_t burst) {
    paged::event_loop loop;
    auto budget = std::make_shared<paged::rate_limiter>(per_second, burst);
    std::size_t requests = 0;
    const auto count_request = [&requests](const paged::http::exchange_event&) { ++requests; };
    paged::http::client http(loop, paged::http::client_options().limiter(budget).on_exchange(count_request));

    const auto started = std::chrono::steady_clock::now();
    auto [offset, cursor, keyset, link] = paged::sync_wait(
        loop, paged::when_all(
                  walk("offset", paged::http::offset(http, paged::http::offset_options(base + "/offset").page_size(page_size))),
                  walk("cursor", paged::http::cursor(http, paged::http::cursor_options(base + "/cursor").page_size(page_size))),
                  walk("keyset", paged::http::keyset(http, paged::http::keyset_options(base + "/stripe").page_size(page_size))),
                  walk("link", paged::http::next_link(http, base + "/pages?per_page=" + std::to_string(page_size)))));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const walk_report* report : {&offset, &cursor, &keyset, &link}) print(*report);
    std::printf("4 walks, %zu requests in %.2f s, under one budget of %g requests/s (burst %zu)\n", requests, seconds,
                per_second, burst);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::optional<double> per_second = argc >= 3 ? rate_argument(argv[2]) : std::optional<double>(10.0);
    const std::optional<std::size_t> burst = argc >= 4 ? burst_argument(argv[3]) : std::optional<std::size_t>(1);
    if (argc < 2 || argc > 4 || !per_second || !burst) {
        std::fprintf(stderr, "usage: fan_out BASE_URL [requests-per-second above 0] [burst, a whole number from 1]\n");
        return 2;
    }
    try {
        return run(argv[1], *per_second, *burst);
    } catch (const std::exception& failure) {  // paged::error, or a record without a numeric "id"
        std::fprintf(stderr, "fan_out: %s\n", failure.what());
        return 1;
    }
}
