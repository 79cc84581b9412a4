#pragma once
// retry_after.hpp's definitions: included by retry_after.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/retry_after.hpp>

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

PAGED_HTTP_INLINE std::optional<long long> seconds_value(std::string_view text) {
    text = trim_ows(text);
    long long value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

PAGED_HTTP_INLINE std::optional<long long> http_date(std::string_view text) {
    const std::string copy(trim_ows(text));
    const time_t parsed = curl_getdate(copy.c_str(), nullptr);
    if (parsed == static_cast<time_t>(-1)) return std::nullopt;
    return static_cast<long long>(parsed);
}

PAGED_HTTP_INLINE long long server_now(const response& reply) {
    if (const auto date = reply.headers.get("Date")) {
        if (const auto parsed = http_date(*date)) return *parsed;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

PAGED_HTTP_INLINE clock::duration seconds(long long count) {
    return std::chrono::seconds(std::clamp(count, 0LL, 1'000'000'000LL));
}

PAGED_HTTP_INLINE clock::duration seconds_between(long long now, long long at) {
    constexpr long long bound = 1LL << 62;
    return seconds(std::clamp(at, -bound, bound) - std::clamp(now, -bound, bound));
}

PAGED_HTTP_INLINE std::optional<long long> ratelimit_field_wait(std::string_view field) {
    std::optional<long long> wait;
    std::optional<long long> remaining, reset;  // the older dictionary form spreads over members
    while (!field.empty()) {
        const auto comma = std::min(field.find(','), field.size());
        std::string_view member = field.substr(0, comma);
        field.remove_prefix(std::min(comma + 1, field.size()));
        std::optional<long long> r, t;
        while (!member.empty()) {
            const auto semicolon = std::min(member.find(';'), member.size());
            const std::string_view part = trim_ows(member.substr(0, semicolon));
            member.remove_prefix(std::min(semicolon + 1, member.size()));
            const auto equals = part.find('=');
            if (equals == std::string_view::npos) continue;
            const std::string_view key = trim_ows(part.substr(0, equals));
            const auto value = seconds_value(part.substr(equals + 1));
            if (key == "r") r = value;
            if (key == "t") t = value;
            if (iequals(key, "remaining")) remaining = value;
            if (iequals(key, "reset")) reset = value;
        }
        if (r == 0 && t) wait = std::max(wait.value_or(0), *t);
    }
    if (!wait && remaining == 0 && reset) wait = reset;
    return wait;
}

}  // namespace detail

PAGED_HTTP_INLINE std::optional<clock::duration> retry_after(const response& reply) {
    const auto field = reply.headers.get("Retry-After");
    if (!field) return std::nullopt;
    if (const auto delta = detail::seconds_value(*field)) return detail::seconds(*delta);
    if (const auto date = detail::http_date(*field)) return detail::seconds_between(detail::server_now(reply), *date);
    return std::nullopt;
}

PAGED_HTTP_INLINE std::optional<clock::duration> rate_limit_reset(const response& reply) {
    if (const auto field = reply.headers.get("RateLimit")) {
        if (const auto wait = detail::ratelimit_field_wait(*field)) return detail::seconds(*wait);
    }
    for (const char* prefix : {"RateLimit-", "X-RateLimit-"}) {
        const auto remaining = reply.headers.get(std::string(prefix) + "Remaining");
        const auto reset = reply.headers.get(std::string(prefix) + "Reset");
        if (!remaining || !reset || detail::seconds_value(*remaining) != 0) continue;
        const auto value = detail::seconds_value(*reset);
        if (!value) continue;
        constexpr long long epoch_threshold = 10LL * 365 * 24 * 3600;  // no API resets a window ten years ahead
        if (*value < epoch_threshold) return detail::seconds(*value);
        return detail::seconds_between(detail::server_now(reply), *value);
    }
    return std::nullopt;
}

}  // namespace paged::http
