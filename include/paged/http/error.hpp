#pragma once
// Errors from talking to an HTTP API. Each names the URL and, once there is a response, its status and a short
// excerpt of its body, so a log line says what was asked, what came back and what was expected instead.

#include <paged/clock.hpp>
#include <paged/error.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/headers.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

// A URL that libcurl's URL parser rejects, or a relative reference that cannot be resolved.
class url_error : public paged::error {
public:
    url_error(const std::string& url, const std::string& problem);
    const std::string& url() const noexcept { return url_; }

private:
    std::string url_;
};

namespace detail {
std::string body_excerpt(std::string_view body);
}  // namespace detail

// A response the fetcher cannot use.
class response_error : public paged::error {
public:
    response_error(const std::string& url, int status, const std::string& expected, std::string_view body);
    const std::string& url() const noexcept { return url_; }
    int status() const noexcept { return status_; }

private:
    std::string url_;
    int status_;
};

// The status was not 2xx. Carries the response's headers (Retry-After, rate-limit fields, a request id for support).
class status_error : public response_error {
public:
    status_error(const std::string& url, int status, std::string_view body, http::headers fields = {});
    const http::headers& headers() const noexcept { return headers_; }

private:
    http::headers headers_;
};

// The body is not what the strategy reads: not JSON, no array where the items should be, an item that does not
// decode, a cursor of the wrong type.
class body_error : public response_error {
public:
    using response_error::response_error;
};

// A header the strategy reads is malformed (Content-Range, X-Total-Count, Link).
class header_error : public response_error {
public:
    using response_error::response_error;
};

// The transfer itself failed: DNS, connection refused or reset, timeout, TLS, a truncated body, too many redirects.
// Carries libcurl's code and message.
class transfer_error : public paged::error {
public:
    transfer_error(const std::string& url, int curl_code, const std::string& message);
    const std::string& url() const noexcept { return url_; }
    int curl_code() const noexcept { return curl_code_; }  // a CURLcode

private:
    std::string url_;
    int curl_code_;
};

// The response was larger than client_options::max_response_bytes: the transfer was stopped there.
class response_too_large : public transfer_error {
public:
    using transfer_error::transfer_error;
};

// One failed try of a request, as retry_error lists it.
struct failed_attempt {
    int status = 0;     // the HTTP status, or 0 when the transfer failed
    int curl_code = 0;  // the CURLcode when the transfer failed
    std::string problem;
    clock::duration wait_before{};  // slept before this attempt (0 for the first)
};

// The retry policy gave up. why() says on what; attempts() lists every try with the wait before it, and the last
// response's status and headers are kept when there was one.
class retry_error : public paged::error {
public:
    enum class reason {
        attempts_exhausted,    // max_attempts failures (5xx, 408, transfer errors)
        wait_budget_exhausted, // the next wait would pass max_total_wait
        retry_after_too_long,  // the server asked for a longer wait than max_retry_after
    };

    retry_error(reason why, std::string url, std::vector<failed_attempt> attempts, clock::duration asked,
                http::headers last_headers);

    reason why() const noexcept { return why_; }
    const std::string& url() const noexcept { return url_; }
    const std::vector<failed_attempt>& attempts() const noexcept { return attempts_; }
    // The wait that was refused (retry_after_too_long, wait_budget_exhausted).
    clock::duration wait_asked() const noexcept { return asked_; }
    int status() const noexcept { return attempts_.empty() ? 0 : attempts_.back().status; }
    const http::headers& headers() const noexcept { return headers_; }

private:
    static std::string milliseconds(clock::duration wait);
    static std::string describe(reason why, const std::string& url, const std::vector<failed_attempt>& attempts,
                                clock::duration asked);

    reason why_;
    std::string url_;
    std::vector<failed_attempt> attempts_;
    clock::duration asked_;
    http::headers headers_;
};

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/error.ipp>
#endif
