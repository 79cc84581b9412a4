#pragma once
// paged::http::retry_policy: which failed requests the client tries again, and how long it waits first. On by
// default for every request the client sends, so every strategy's walk survives throttling and brief outages:
//
//     paged::http::client client(paged::http::client_options().retry(paged::http::retry_policy().max_attempts(8)));
//     paged::http::client strict(paged::http::client_options().retry(paged::http::retry_policy::none()));
//
// * 429, and 403 or 503 with Retry-After (GitHub's secondary limit, maintenance), or 403 with a spent rate budget
//   (GitHub's primary limit): wait what Retry-After says (delta-seconds or HTTP-date), else until the rate-limit
//   fields' reset, else the backoff below. A wait longer than max_retry_after (2 min) is a retry_error naming it. A
//   throttle is not a failed attempt (unless it asks for no wait at all): throttles are bounded by max_total_wait
//   (5 min of waiting per request) instead.
// * 500, 502, 503, 504, 408 and transfer failures (refused, reset, timeout, truncated body, DNS): exponential backoff
//   with full jitter, a wait drawn uniformly from [0, min(max_delay, base_delay * 2^(n-1))] before retry n (1 s and
//   30 s by default), up to max_attempts tries (6) in all; then a retry_error listing every attempt.
// * Any other status goes back to the caller (the strategies report it as status_error); a response too large, a
//   bad URL or a TLS verification failure is not retried. Only idempotent requests are retried (GET, HEAD, PUT,
//   DELETE, OPTIONS; request::idempotent(true) marks others).
// * Waits are timers on the client's event loop: other walks go on meanwhile, and a manual_clock makes them instant in
//   tests. The jitter is drawn from a generator seeded with seed(n) when given, so that runs repeat exactly.

#include <paged/clock.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/error.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/message.hpp>
#include <paged/http/retry_after.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace paged::http {

enum class retry_reason {
    throttled,        // 429, or 403/503 with Retry-After: the server asked for a pause
    server_error,     // 500, 502, 503, 504, 408
    transfer_failed,  // no usable response: refused, reset, timed out, truncated
};

// What retry_policy::on_retry is told before each wait.
struct retry_event {
    std::size_t attempt = 0;  // the try that just failed, from 1
    retry_reason reason = retry_reason::server_error;
    clock::duration wait{};
    int status = 0;     // 0 when the transfer failed
    int curl_code = 0;  // the CURLcode when the transfer failed
    std::string_view url;
};

class retry_policy {
public:
    retry_policy() noexcept {}  // user-provided: never an aggregate

    // Never retries: every response and transfer error goes straight back to the caller.
    static retry_policy none();

    bool enabled() const noexcept { return enabled_; }

    // Tries in all for server errors and transfer failures, the first included (6).
    retry_policy& max_attempts(std::size_t count) & {
        if (count == 0) throw usage_error("paged::http::retry_policy: max_attempts counts the first try: at least 1");
        return set(max_attempts_, count);
    }
    retry_policy&& max_attempts(std::size_t count) && { return std::move(max_attempts(count)); }
    std::size_t max_attempts() const noexcept { return max_attempts_; }

    // Backoff before retry n is uniform in [0, min(max_delay, base_delay * 2^(n-1))] (1 s, 30 s).
    retry_policy& base_delay(clock::duration delay) & { return set(base_delay_, positive(delay, "base_delay")); }
    retry_policy&& base_delay(clock::duration delay) && { return std::move(base_delay(delay)); }
    clock::duration base_delay() const noexcept { return base_delay_; }
    retry_policy& max_delay(clock::duration delay) & { return set(max_delay_, positive(delay, "max_delay")); }
    retry_policy&& max_delay(clock::duration delay) && { return std::move(max_delay(delay)); }
    clock::duration max_delay() const noexcept { return max_delay_; }

    // The longest pause a server may ask for (Retry-After, a rate-limit reset) before it is an error instead (2 min).
    retry_policy& max_retry_after(clock::duration limit) & { return set(max_retry_after_, limit); }
    retry_policy&& max_retry_after(clock::duration limit) && { return std::move(max_retry_after(limit)); }
    clock::duration max_retry_after() const noexcept { return max_retry_after_; }

    // All the waiting one request may do, throttles and backoff together (5 min).
    retry_policy& max_total_wait(clock::duration limit) & { return set(max_total_wait_, limit); }
    retry_policy&& max_total_wait(clock::duration limit) && { return std::move(max_total_wait(limit)); }
    clock::duration max_total_wait() const noexcept { return max_total_wait_; }

    // Seeds the jitter, so that a run's waits repeat exactly (tests, reproductions); random otherwise.
    retry_policy& seed(std::uint64_t value) & { return set(seed_, value); }
    retry_policy&& seed(std::uint64_t value) && { return std::move(seed(value)); }
    const std::optional<std::uint64_t>& seed() const noexcept { return seed_; }

    // Told before every wait: for logs and metrics.
    template <class F>
        requires std::invocable<F&, const retry_event&>
    retry_policy& on_retry(F&& observer) & {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return set(on_retry_, std::function<void(const retry_event&)>(std::forward<F>(observer)));
    }
    template <class F>
        requires std::invocable<F&, const retry_event&>
    retry_policy&& on_retry(F&& observer) && {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return std::move(on_retry(std::forward<F>(observer)));
    }
    const std::function<void(const retry_event&)>& on_retry() const noexcept { return on_retry_; }

    // --- The decisions, for the client's retry loop (and for tests).

    struct verdict {
        retry_reason reason;
        bool counts_as_attempt;                // a throttle does not
        std::optional<clock::duration> asked;  // the server's own wait, when it named one
    };

    // Whether to try `sent` again after `reply`; empty means hand the response back.
    std::optional<verdict> judge(const request& sent, const response& reply) const;

    // Whether to try `sent` again after the transfer failed with `curl_code`.
    std::optional<verdict> judge_failure(const request& sent, int curl_code) const;

    // The full-jitter backoff before retry `n` (from 1).
    template <class Random>
    clock::duration backoff(std::size_t n, Random& random) const {
        const auto doublings = std::min<std::size_t>(n - 1, 32);
        const double bound = std::min(static_cast<double>(max_delay_.count()),
                                      static_cast<double>(base_delay_.count()) * static_cast<double>(1ULL << doublings));
        std::uniform_real_distribution<double> draw(0.0, bound);
        return clock::duration(static_cast<clock::duration::rep>(draw(random)));
    }

private:
    template <class Field, class Value>
    retry_policy& set(Field& field, Value&& value) {
        field = std::forward<Value>(value);
        return *this;
    }
    static clock::duration positive(clock::duration delay, const char* name);

    bool enabled_ = true;
    std::size_t max_attempts_ = 6;
    clock::duration base_delay_ = std::chrono::seconds(1);
    clock::duration max_delay_ = std::chrono::seconds(30);
    clock::duration max_retry_after_ = std::chrono::minutes(2);
    clock::duration max_total_wait_ = std::chrono::minutes(5);
    std::optional<std::uint64_t> seed_;
    std::function<void(const retry_event&)> on_retry_;
};

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/retry_policy.ipp>
#endif
