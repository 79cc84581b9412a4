// The cost of telling a repeated page (http/detail/page_digest.hpp) per byte of response body: the word-at-a-time
// digest that the strategies use against the byte-at-a-time FNV-1a they used before (which checkpoints still use for
// fingerprints, where stability across machines matters and the input is short).

#include <paged/checkpoint.hpp>
#include <paged/http/detail/page_digest.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

namespace {

// A page body as an API sends it: 100 records of about 200 bytes of JSON.
std::string page_body(std::size_t bytes) {
    std::string body = "[";
    for (std::size_t i = 0; body.size() < bytes; ++i) {
        body += R"({"id": )" + std::to_string(i) + R"(, "name": "record )" + std::to_string(i) +
                R"(", "created_at": "2026-11-29T12:00:00Z", "tags": ["a", "b"], "note": "lorem ipsum dolor sit"},)";
    }
    body.back() = ']';
    return body;
}

void content_digest(benchmark::State& state) {
    const std::string body = page_body(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(paged::http::detail::content_digest(body));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

void fnv1a_bytewise(benchmark::State& state) {
    const std::string body = page_body(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(paged::fingerprint_of(body));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

}  // namespace

BENCHMARK(content_digest)->Arg(20'000)->Arg(1'000'000);
BENCHMARK(fnv1a_bytewise)->Arg(20'000)->Arg(1'000'000);
BENCHMARK_MAIN();
