// Retry-After and the rate-limit fields, from any header fields ("Name: value" lines): a wait the client will sleep
// for, so it must come out between zero and the documented clamp whatever the server (or its Date) says.

#include <paged/http/message.hpp>
#include <paged/http/retry_after.hpp>

#include "fuzz_support.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace {

void check_wait(const std::optional<paged::clock::duration>& wait) {
    if (!wait) return;
    paged_fuzz::check(*wait >= paged::clock::duration::zero(), "a wait is not negative");
    paged_fuzz::check(*wait <= std::chrono::seconds(1'000'000'000), "a wait is clamped");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = paged_fuzz::text(data, size);
    paged::http::response reply;
    reply.status = 429;
    reply.headers = paged_fuzz::take_fields(input);
    check_wait(paged::http::retry_after(reply));
    check_wait(paged::http::rate_limit_reset(reply));
    return 0;
}
