#pragma once
// Errors from talking to an HTTP API. Each names the URL and, once there is a response, its status and a short
// excerpt of its body, so a log line says what was asked, what came back and what was expected instead.

#include <paged/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace paged::http {

// A URL that libcurl's URL parser rejects, or a relative reference that cannot be resolved.
class url_error : public paged::error {
public:
    url_error(const std::string& url, const std::string& problem)
        : paged::error("paged::http: bad URL '" + url + "': " + problem), url_(url) {}
    const std::string& url() const noexcept { return url_; }

private:
    std::string url_;
};

namespace detail {
inline std::string body_excerpt(std::string_view body) {
    constexpr std::size_t limit = 200;
    std::string text(body.substr(0, limit));
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return body.size() > limit ? text + "..." : text;
}
}  // namespace detail

// A response the fetcher cannot use.
class response_error : public paged::error {
public:
    response_error(const std::string& url, int status, const std::string& expected, std::string_view body)
        : paged::error("paged::http: " + url + " answered " + std::to_string(status) + ": " + expected +
                       (body.empty() ? std::string() : "; body: " + detail::body_excerpt(body))),
          url_(url), status_(status) {}
    const std::string& url() const noexcept { return url_; }
    int status() const noexcept { return status_; }

private:
    std::string url_;
    int status_;
};

// The status was not 2xx.
class status_error : public response_error {
public:
    status_error(const std::string& url, int status, std::string_view body)
        : response_error(url, status, "expected a 2xx status", body) {}
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
    transfer_error(const std::string& url, int curl_code, const std::string& message)
        : paged::error("paged::http: " + url + ": " + message), url_(url), curl_code_(curl_code) {}
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

}  // namespace paged::http
