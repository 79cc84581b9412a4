#pragma once
// Helpers for the strategy tests: walk a fetcher over a fake_api to the end (or a limit) on virtual time.

#include <paged/collect.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>
#include <paged/testing/fake_api.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace paged_test {

template <class Fetcher>
std::vector<typename Fetcher::value_type> walk(Fetcher fetcher, paged::walk_options<typename Fetcher::cursor_type> options = {}) {
    paged::manual_clock time;
    paged::event_loop loop(time);
    return paged::sync_wait(loop, paged::collect(paged::paginate(std::move(fetcher), std::move(options))));
}

// The next request to `api` gets a 200 with this body (and these headers).
inline void respond_with(paged::testing::fake_api& api, std::string body, paged::http::headers headers = {}) {
    paged::testing::scripted_response reply;
    reply.headers = std::move(headers);
    reply.body = std::move(body);
    api.respond_next(std::move(reply));
}

inline std::vector<std::uint64_t> ids(const std::vector<nlohmann::json>& records) {
    std::vector<std::uint64_t> out;
    for (const auto& record : records) out.push_back(record.at("id").get<std::uint64_t>());
    return out;
}

inline std::vector<std::uint64_t> id_range(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> out;
    for (auto id = first; id <= last; ++id) out.push_back(id);
    return out;
}

}  // namespace paged_test
