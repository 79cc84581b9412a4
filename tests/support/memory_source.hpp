#pragma once
// Fetchers over in-memory data for the walk tests: no HTTP, which is the point (any source fits page_fetcher).

#include <paged/page.hpp>
#include <paged/sleep_for.hpp>
#include <paged/task.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace paged_test {

inline std::vector<int> iota_rows(int count) {
    std::vector<int> rows(static_cast<std::size_t>(count));
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

// Offset pagination over a vector; counts its fetches and can take time on the loop's clock.
struct memory_fetcher {
    using value_type = int;
    using cursor_type = std::int64_t;

    const std::vector<int>* rows;
    std::size_t page_size = 50;
    int* fetches = nullptr;
    paged::clock::duration latency{};
    std::string name = "memory";
    std::optional<std::int64_t> slow_offset{};  // the page at this offset takes slow_latency instead
    paged::clock::duration slow_latency{};

    cursor_type first_cursor() const { return 0; }
    std::string fingerprint() const { return name + " page_size=" + std::to_string(page_size); }
    // Offsets are computed: walk_options::concurrency may fetch ahead at them (`serve` below page_size: a source that
    // serves fewer than asked, so every guess is wrong).
    std::optional<cursor_type> predicted_next(cursor_type offset) const {
        return offset + static_cast<cursor_type>(page_size);
    }
    std::size_t serve = 0;  // items a page really holds; 0: page_size

    paged::task<paged::page<int, cursor_type>> fetch(cursor_type offset) {
        if (fetches != nullptr) ++*fetches;
        const auto wait = slow_offset == offset ? slow_latency : latency;
        if (wait > paged::clock::duration::zero()) co_await paged::sleep_for(wait);
        const auto first = std::min(static_cast<std::size_t>(offset), rows->size());
        const auto last = std::min(first + (serve != 0 ? serve : page_size), rows->size());
        paged::page<int, cursor_type> result;
        result.items.assign(rows->begin() + static_cast<std::ptrdiff_t>(first),
                            rows->begin() + static_cast<std::ptrdiff_t>(last));
        if (last < rows->size()) result.next = static_cast<cursor_type>(last);
        result.total = rows->size();
        result.bytes = result.items.size() * sizeof(int);
        co_return result;
    }
};

// Serves whatever page the test wrote for each cursor: for cycles, stalls and other misbehaviour.
struct scripted_fetcher {
    using value_type = int;
    using cursor_type = std::string;

    std::map<std::string, paged::page<int, std::string>> script;
    int* fetches = nullptr;

    cursor_type first_cursor() const { return ""; }
    paged::task<paged::page<int, std::string>> fetch(std::string cursor) {
        if (fetches != nullptr) ++*fetches;
        const auto found = script.find(cursor);
        if (found == script.end()) throw std::out_of_range("scripted_fetcher: no page for cursor '" + cursor + "'");
        co_return found->second;
    }
};

inline paged::page<int, std::string> scripted_page(std::vector<int> items, std::optional<std::string> next) {
    paged::page<int, std::string> result;
    result.items = std::move(items);
    result.next = std::move(next);
    return result;
}

}  // namespace paged_test
