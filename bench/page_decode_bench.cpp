// The CPU cost of decoding one page, before and after issue 12 (items decoded as the body is parsed, see
// include/paged/http/detail/page_decoder.hpp), in one run: a typical 100-record page in an envelope and a page of a
// million records as a top-level array, each decoded to a small struct as a strategy does (with the items' digest for
// the repeated-page check; keyset takes none).
//
//   old_*  the two-step path of old_page_decode.hpp: a whole DOM, then take_items, the digest from the raw body or
//          dump() of the array
//   new_*  detail::decode_page, what the strategies call now
//
// Arguments: items in the page, and 1 for items at "/data" in an envelope or 0 for a top-level array.
//
//     cmake --build build/gcc --target paged_page_decode_bench && build/gcc/bench/paged_page_decode_bench

#include "old_page_decode.hpp"

#include <paged/http/detail/page_decoder.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

struct record {
    std::int64_t id = 0;
    std::string name;
};
void from_json(const nlohmann::json& j, record& r) {
    j.at("id").get_to(r.id);
    j.at("name").get_to(r.name);
}

paged::http::response page_of(std::int64_t count, bool envelope) {
    std::string items = "[";
    for (std::int64_t id = 0; id < count; ++id) {
        if (id > 0) items += ',';
        items += R"({"id":)" + std::to_string(id) + R"(,"name":"item )" + std::to_string(id) + R"("})";
    }
    items += ']';
    paged::http::response reply;
    reply.status = 200;
    reply.url = "https://api.test/items";
    reply.body = envelope ? R"({"data":)" + items + R"(,"next_cursor":"b2Zmc2V0PTEwMA","has_more":true})" : items;
    return reply;
}

std::string pointer_for(bool envelope) { return envelope ? "/data" : ""; }

void old_path(benchmark::State& state, bool digest) {
    const bool envelope = state.range(1) != 0;
    const paged::http::response reply = page_of(state.range(0), envelope);
    const nlohmann::json::json_pointer at(pointer_for(envelope));
    const paged::http::json_limits limits;
    for (auto _ : state) {
        nlohmann::json body = old_decode::parse_json_body(reply, limits);
        if (digest) benchmark::DoNotOptimize(old_decode::items_digest(reply, body, at));
        std::vector<record> items = old_decode::take_items<record>(body, at, reply, limits);
        benchmark::DoNotOptimize(items.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(reply.body.size()));
}

void new_path(benchmark::State& state, paged::http::detail::digest_items digest) {
    const bool envelope = state.range(1) != 0;
    paged::http::response reply = page_of(state.range(0), envelope);
    const std::int64_t bytes = static_cast<std::int64_t>(reply.body.size());
    const nlohmann::json::json_pointer at(pointer_for(envelope));
    const paged::http::json_limits limits;
    for (auto _ : state) {
        // The response is moved in and back out: the old path reads it in place, so neither pays for a copy.
        auto page = paged::http::detail::decode_page<record>(std::move(reply), limits, at, digest);
        benchmark::DoNotOptimize(page.digest);
        std::vector<record> items = paged::http::detail::items_of(page, at);
        benchmark::DoNotOptimize(items.data());
        reply = std::move(page.raw);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * bytes);
}

void old_with_digest(benchmark::State& state) { old_path(state, true); }
void new_with_digest(benchmark::State& state) { new_path(state, paged::http::detail::digest_items::yes); }
void old_without_digest(benchmark::State& state) { old_path(state, false); }
void new_without_digest(benchmark::State& state) { new_path(state, paged::http::detail::digest_items::no); }

void pages(benchmark::internal::Benchmark* b) {
    b->Args({100, 1})->Args({100, 0})->Args({1'000'000, 0})->Args({1'000'000, 1})->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(old_with_digest)->Apply(pages);
BENCHMARK(new_with_digest)->Apply(pages);
BENCHMARK(old_without_digest)->Apply(pages);
BENCHMARK(new_without_digest)->Apply(pages);

BENCHMARK_MAIN();
