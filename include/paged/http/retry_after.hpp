#pragma once
// How long a response asks the client to wait: Retry-After (RFC 9110 10.2.3) and the rate-limit fields that say the
// budget is spent. Both are read from the response alone; waiting is the retry policy's and the client's business.

#include <paged/clock.hpp>
#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/message.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace paged::http {

namespace detail {

std::optional<long long> seconds_value(std::string_view text);

// An HTTP-date as seconds since the epoch, parsed by libcurl (IMF-fixdate and the two obsolete forms).
std::optional<long long> http_date(std::string_view text);

// "Now" as the server sees it: its Date field when it sent one, so that a skewed server clock cancels out of
// HTTP-dates and epoch resets; else this machine's clock.
long long server_now(const response& reply);

// Clamped to [0, about 31 years]: a hostile 10^12 must not overflow nanoseconds into a negative wait.
clock::duration seconds(long long count);

// From `now` to `at`, both epoch seconds the server chose (a reset of 2^63 - 1 against a Date before 1970): each is
// bounded first, so that the subtraction cannot overflow.
clock::duration seconds_between(long long now, long long at);

// The IETF RateLimit field: draft-ietf-httpapi-ratelimit-headers 08+ (`"default";r=0;t=30`, one list member per
// policy) and drafts 05-07 (`limit=100, remaining=0, reset=30`). The longest wait of a policy with nothing left.
std::optional<long long> ratelimit_field_wait(std::string_view field);

}  // namespace detail

// Retry-After as a wait: delta-seconds, or an HTTP-date measured from the response's Date. Empty when absent or
// malformed (a malformed hint is ignored: the policy's own backoff applies).
std::optional<clock::duration> retry_after(const response& reply);

// When the response says the rate budget is spent, how long until it resets: the IETF RateLimit field (drafts 05 and
// 08+), RateLimit-Remaining/-Reset (drafts 00-03, seconds), or X-RateLimit-Remaining/-Reset (GitHub: epoch seconds;
// others: seconds; told apart by size). Empty while budget remains or when the fields say nothing usable.
std::optional<clock::duration> rate_limit_reset(const response& reply);

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/retry_after.ipp>
#endif
