// Peak memory of one walk, read by bench/run from `/usr/bin/time -v` around this process: streaming the records (each
// used, then gone) against collecting them all first with paged::collect, then using them.
//
//     paged_memory_walk stream|collect <url> <records>
//
// <url> as for paged_http_throughput (bench/run's nginx at /all); the walk stops after <records> records.

#include "record.hpp"

#include <paged/collect.hpp>
#include <paged/http/client.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

using paged_bench::record;

struct tally {
    std::size_t records = 0;
    std::uint64_t id_sum = 0;
};

auto records_of(paged::http::client& http, std::string url, std::size_t count) {
    auto options = paged::http::offset_options(std::move(url))
                       .page_size(100)
                       .style(paged::http::offset_style::page_number);
    return paged::paginate(paged::http::offset<record>(http, std::move(options)), paged::walk_options().max_items(count));
}

paged::task<tally> stream(paged::http::client& http, std::string url, std::size_t count) {
    auto records = records_of(http, std::move(url), count);
    tally seen;
    while (record* item = co_await records.next()) {
        ++seen.records;
        seen.id_sum += item->id;
    }
    co_return seen;
}

paged::task<tally> collect_first(paged::http::client& http, std::string url, std::size_t count) {
    std::vector<record> all = co_await paged::collect(records_of(http, std::move(url), count));
    tally seen;
    for (const record& item : all) {
        ++seen.records;
        seen.id_sum += item.id;
    }
    co_return seen;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 || (std::string(argv[1]) != "stream" && std::string(argv[1]) != "collect")) {
        std::cerr << "usage: " << argv[0] << " stream|collect <url> <records>\n";
        return 2;
    }
    const std::string mode = argv[1];
    const std::size_t count = std::stoull(argv[3]);
    try {
        const auto started = std::chrono::steady_clock::now();
        paged::event_loop loop;
        paged::http::client http(loop);
        tally seen;
        if (mode == "stream") {
            seen = paged::sync_wait(loop, stream(http, argv[2], count));
        } else {
            seen = paged::sync_wait(loop, collect_first(http, argv[2], count));
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (seen.records != count || seen.id_sum != static_cast<std::uint64_t>(count) * (count + 1) / 2) {
            std::cerr << mode << ": walked " << seen.records << " records, expected ids 1.." << count << '\n';
            return 1;
        }
        std::printf("%s records=%zu seconds=%.3f\n", mode.c_str(), seen.records, seconds);
    } catch (const std::exception& e) {
        std::cerr << "paged_memory_walk: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
