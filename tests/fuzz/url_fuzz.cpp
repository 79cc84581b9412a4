// URLs as a walk builds them: the configured URL, a query parameter whose value came from a server (a cursor, a key),
// and a next link resolved against the page that sent it. Only paged errors may come out, and a parameter appended
// reads back as given, every byte of it (NUL, '&', '=', '%', '+' included).

#include <paged/http/url.hpp>

#include "fuzz_support.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    const std::string base = input.ConsumeRandomLengthString(256);
    const std::string name = input.ConsumeRandomLengthString(64);
    const std::string value = input.ConsumeRandomLengthString(256);
    const std::string reference = input.ConsumeRemainingBytesAsString();
    try {
        paged::http::url built(base);
        built.append_query(name, value);
        (void)built.str();
        (void)built.origin();
        const auto pairs = built.query_pairs();
        paged_fuzz::check(!pairs.empty() && pairs.back() == std::pair(name, value), "an appended parameter reads back");
        const paged::http::url next = built.resolve(reference);
        (void)paged::http::url(next.str()).origin();
        (void)next.query_pairs();
    } catch (const paged::error&) {
    }
    return 0;
}
