#pragma once
// Walks a fetcher over the test server's records to the end and checks that their ids are 1, 2, 3 ... with no gap,
// repeat or reordering; returns how many there were.

#include <paged/blocking.hpp>
#include <paged/paginate.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace paged_test {

template <class Fetcher>
std::size_t walk_in_order(paged::event_loop& loop, Fetcher fetcher,
                          paged::walk_options<typename Fetcher::cursor_type> options = {}) {
    std::uint64_t expected = 1;
    for (const auto& record : paged::blocking(paged::paginate(std::move(fetcher), std::move(options)), loop)) {
        if (record.at("id").template get<std::uint64_t>() != expected) {
            FAIL("expected id " << expected << ", got " << record);
        }
        ++expected;
    }
    return expected - 1;
}

}  // namespace paged_test
