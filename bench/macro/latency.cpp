// Latency hiding: N pages that each take L to answer, walked one after the other, with prefetch(2), and with
// concurrency(8), against the ideals N x L (one at a time) and N x L / 8 (always 8 in flight). Each walk builds its own
// client, so opening connections is part of the figure, as it is for a real walk.
//
//     paged_latency <url> <pages> <delay_ms> [repeats] [results.json]
//
// <url> is an offset endpoint (?limit&offset, X-Total-Count) that waits delay_ms before answering: bench/run points it
// at tests/support/paged_server.py's /offset?delay_ms=L, serving pages x 100 records.

#include <paged/http/client.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr std::size_t per_page = 100;

paged::task<std::size_t> count_records(paged::http::client& http, std::string url,
                                       paged::walk_options<std::uint64_t> walk) {
    auto records = paged::paginate(paged::http::offset(http, paged::http::offset_options(std::move(url)).page_size(per_page)),
                                   std::move(walk));
    std::size_t seen = 0;
    while (co_await records.next() != nullptr) ++seen;
    co_return seen;
}

double timed_walk(const std::string& url, const paged::walk_options<std::uint64_t>& walk, std::size_t expected) {
    const auto started = std::chrono::steady_clock::now();
    paged::event_loop loop;
    paged::http::client http(loop);
    const std::size_t seen = paged::sync_wait(loop, count_records(http, url, walk));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (seen != expected) throw std::runtime_error("walked " + std::to_string(seen) + " records, expected " +
                                                   std::to_string(expected));
    return seconds;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: " << argv[0] << " <url> <pages> <delay_ms> [repeats] [results.json]\n";
        return 2;
    }
    const std::string url = argv[1];
    const std::size_t pages = std::stoull(argv[2]);
    const double delay = std::stod(argv[3]) / 1000;
    const int repeats = argc > 4 ? std::stoi(argv[4]) : 3;
    struct mode {
        const char* name;
        paged::walk_options<std::uint64_t> walk;
    };
    const std::vector<mode> modes = {
        {"sequential", paged::walk_options<std::uint64_t>()},
        {"prefetch(2)", paged::walk_options<std::uint64_t>().prefetch(2)},
        {"concurrency(8)", paged::walk_options<std::uint64_t>().concurrency(8)},
    };
    const double serial = static_cast<double>(pages) * delay;
    const double ideal_parallel = serial / 8;
    nlohmann::json summary = {{"pages", pages},
                              {"delay_ms", delay * 1000},
                              {"n_times_l_s", serial},
                              {"n_times_l_over_8_s", ideal_parallel},
                              {"modes", nlohmann::json::object()}};
    try {
        (void)timed_walk(url, modes.front().walk, pages * per_page);  // untimed: the server's first requests
        std::printf("%-16s %9s %10s %14s\n", "walk", "seconds", "/ (N x L)", "/ (N x L / 8)");
        for (const mode& each : modes) {
            std::vector<double> times;
            for (int i = 0; i < repeats; ++i) times.push_back(timed_walk(url, each.walk, pages * per_page));
            const double seconds = median(times);
            summary["modes"][each.name] = {{"seconds", seconds},
                                           {"runs", times},
                                           {"over_serial", seconds / serial},
                                           {"over_ideal_parallel", seconds / ideal_parallel}};
            std::printf("%-16s %9.3f %10.3f %14.3f\n", each.name, seconds, seconds / serial, seconds / ideal_parallel);
        }
        std::printf("N x L = %.3f s, N x L / 8 = %.3f s (N = %zu pages, L = %.0f ms)\n", serial, ideal_parallel, pages,
                    delay * 1000);
    } catch (const std::exception& e) {
        std::cerr << "paged_latency: " << e.what() << '\n';
        return 1;
    }
    if (argc > 5) std::ofstream(argv[5]) << summary.dump(2) << '\n';
    return 0;
}
