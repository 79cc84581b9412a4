// Pages per second over real HTTP: paged's page-number walk against the loop people write by hand with libcurl and
// nlohmann_json, on the same server, the same URLs and the same record type. Rounds alternate which goes first, so a
// server or machine that warms up or slows down during the run does not favour one side; medians are reported.
//
//     paged_http_throughput <url> [rounds] [results.json]
//     paged_http_throughput <url> paged|loop      one walk of one side, nothing else: for a profiler
//
// <url> answers ?page=N&per_page=100 (pages from 1) with a top-level JSON array and an X-Total-Count header, as
// bench/run's nginx does at /tp. Both walks stop at that total.

#include "record.hpp"

#include <paged/http/client.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using paged_bench::record;

constexpr std::size_t per_page = 100;

// What a walk saw: the two walks must agree on it, or the comparison means nothing.
struct tally {
    std::size_t records = 0;
    std::uint64_t id_sum = 0;
    double seconds = 0;
};

paged::task<tally> consume_with_paged(paged::http::client& http, std::string url) {
    auto options = paged::http::offset_options(std::move(url))
                       .page_size(per_page)
                       .style(paged::http::offset_style::page_number);
    auto records = paged::paginate(paged::http::offset<record>(http, std::move(options)));
    tally seen;
    while (record* item = co_await records.next()) {
        ++seen.records;
        seen.id_sum += item->id;
    }
    co_return seen;
}

tally walk_with_paged(const std::string& url) {
    const auto started = std::chrono::steady_clock::now();
    paged::event_loop loop;
    paged::http::client http(loop);
    tally seen = paged::sync_wait(loop, consume_with_paged(http, url));
    seen.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return seen;
}

std::size_t append_body(char* data, std::size_t, std::size_t size, void* body) {
    static_cast<std::string*>(body)->append(data, size);
    return size;
}

// The baseline: one easy handle (so one kept-alive connection), a page at a time, each body parsed whole and its
// records converted into a vector before they are used.
tally walk_by_hand(const std::string& base) {
    const auto started = std::chrono::steady_clock::now();
    CURL* easy = curl_easy_init();
    if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
    std::string body;
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    tally seen;
    std::uint64_t total = UINT64_MAX;  // until the first page says
    for (std::uint64_t page = 1; (page - 1) * per_page < total; ++page) {
        const std::string url = base + "?page=" + std::to_string(page) + "&per_page=" + std::to_string(per_page);
        body.clear();
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        const CURLcode result = curl_easy_perform(easy);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (result != CURLE_OK || status != 200) {
            curl_easy_cleanup(easy);
            throw std::runtime_error("GET " + url + " failed: " + curl_easy_strerror(result) + ", status " +
                                     std::to_string(status));
        }
        curl_header* count = nullptr;
        if (curl_easy_header(easy, "X-Total-Count", 0, CURLH_HEADER, -1, &count) == CURLHE_OK) {
            total = std::stoull(count->value);
        }
        const nlohmann::json document = nlohmann::json::parse(body);
        std::vector<record> batch;
        batch.reserve(document.size());
        for (const nlohmann::json& element : document) batch.push_back(element.get<record>());
        for (const record& item : batch) {
            ++seen.records;
            seen.id_sum += item.id;
        }
        if (batch.size() < per_page) break;
    }
    curl_easy_cleanup(easy);
    seen.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return seen;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " <url> [rounds] [results.json]\n";
        return 2;
    }
    const std::string url = argv[1];
    const std::string second = argc > 2 ? argv[2] : "5";
    curl_global_init(CURL_GLOBAL_DEFAULT);
    try {
        if (second == "paged" || second == "loop") {
            const tally seen = second == "paged" ? walk_with_paged(url) : walk_by_hand(url);
            std::printf("%s: %zu records in %.3f s\n", second.c_str(), seen.records, seen.seconds);
            return 0;
        }
        const int rounds = std::stoi(second);
        if (rounds < 1) throw std::invalid_argument("rounds must be 1 or more");
        // Untimed: fills the page cache and nginx's open-file state for both.
        const tally reference = walk_by_hand(url);
        const tally warm = walk_with_paged(url);
        if (warm.records != reference.records || warm.id_sum != reference.id_sum) {
            std::cerr << "paged walked " << warm.records << " records, the hand-written loop " << reference.records
                      << "\n";
            return 1;
        }
        const double pages = static_cast<double>(reference.records) / per_page;
        std::vector<double> with_paged, by_hand, ratios;
        nlohmann::json per_round = nlohmann::json::array();
        for (int round = 0; round < rounds; ++round) {
            tally ours, theirs;
            if (round % 2 == 0) {
                ours = walk_with_paged(url);
                theirs = walk_by_hand(url);
            } else {
                theirs = walk_by_hand(url);
                ours = walk_with_paged(url);
            }
            if (ours.id_sum != reference.id_sum || theirs.id_sum != reference.id_sum) {
                std::cerr << "round " << round << ": a walk saw other records than the first\n";
                return 1;
            }
            with_paged.push_back(pages / ours.seconds);
            by_hand.push_back(pages / theirs.seconds);
            ratios.push_back(with_paged.back() / by_hand.back());
            per_round.push_back({{"paged_pages_per_s", with_paged.back()}, {"loop_pages_per_s", by_hand.back()},
                                 {"ratio", ratios.back()}});
            std::printf("round %d: paged %8.0f pages/s   hand-written loop %8.0f pages/s   ratio %.3f\n", round + 1,
                        with_paged.back(), by_hand.back(), ratios.back());
        }
        const nlohmann::json summary = {
            {"pages", pages},
            {"records", reference.records},
            {"rounds", per_round},
            {"paged_pages_per_s", median(with_paged)},
            {"loop_pages_per_s", median(by_hand)},
            {"ratio_of_medians", median(with_paged) / median(by_hand)},
            {"median_ratio", median(ratios)},
        };
        std::printf("median: paged %.0f pages/s, hand-written loop %.0f pages/s, ratio %.3f (median of per-round "
                    "ratios %.3f)\n",
                    median(with_paged), median(by_hand), median(with_paged) / median(by_hand), median(ratios));
        if (argc > 3) std::ofstream(argv[3]) << summary.dump(2) << '\n';
    } catch (const std::exception& e) {
        std::cerr << "paged_http_throughput: " << e.what() << '\n';
        return 1;
    }
    curl_global_cleanup();
    return 0;
}
