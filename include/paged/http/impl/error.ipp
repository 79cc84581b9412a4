#pragma once
// error.hpp's definitions: included by error.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/error.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

PAGED_HTTP_INLINE url_error::url_error(const std::string& url, const std::string& problem)
    : paged::error("paged::http: bad URL '" + url + "': " + problem), url_(url) {}

namespace detail {
PAGED_HTTP_INLINE std::string body_excerpt(std::string_view body) {
    constexpr std::size_t limit = 200;
    std::string text(body.substr(0, limit));
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return body.size() > limit ? text + "..." : text;
}
}  // namespace detail

PAGED_HTTP_INLINE response_error::response_error(const std::string& url, int status, const std::string& expected,
                                                 std::string_view body)
    : paged::error("paged::http: " + url + " answered " + std::to_string(status) + ": " + expected +
                   (body.empty() ? std::string() : "; body: " + detail::body_excerpt(body))),
      url_(url), status_(status) {}

PAGED_HTTP_INLINE status_error::status_error(const std::string& url, int status, std::string_view body,
                                             http::headers fields)
    : response_error(url, status, "expected a 2xx status", body), headers_(std::move(fields)) {}

PAGED_HTTP_INLINE transfer_error::transfer_error(const std::string& url, int curl_code, const std::string& message)
    : paged::error("paged::http: " + url + ": " + message), url_(url), curl_code_(curl_code) {}

PAGED_HTTP_INLINE retry_error::retry_error(reason why, std::string url, std::vector<failed_attempt> attempts,
                                           clock::duration asked, http::headers last_headers)
    : paged::error(describe(why, url, attempts, asked)), why_(why), url_(std::move(url)),
      attempts_(std::move(attempts)), asked_(asked), headers_(std::move(last_headers)) {}

PAGED_HTTP_INLINE std::string retry_error::milliseconds(clock::duration wait) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) + " ms";
}

PAGED_HTTP_INLINE std::string retry_error::describe(reason why, const std::string& url,
                                                    const std::vector<failed_attempt>& attempts,
                                                    clock::duration asked) {
    std::string text = "paged::http: " + url + ": ";
    switch (why) {
        case reason::attempts_exhausted:
            text += "gave up after " + std::to_string(attempts.size()) + " tries (retry_policy::max_attempts)";
            break;
        case reason::wait_budget_exhausted:
            text += "gave up: waiting " + milliseconds(asked) + " more would pass retry_policy::max_total_wait";
            break;
        case reason::retry_after_too_long:
            text += "the server asks to wait " + milliseconds(asked) + ", more than retry_policy::max_retry_after";
            break;
    }
    text += ";";
    for (const failed_attempt& attempt : attempts) {
        text += " [" + (attempt.status != 0 ? std::to_string(attempt.status) : attempt.problem) + " after " +
                milliseconds(attempt.wait_before) + "]";
    }
    return text;
}

}  // namespace paged::http
