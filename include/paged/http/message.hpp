#pragma once
// paged::http::request and response: what a transport sends and what it gives back.
//
//     co_await client.send(paged::http::request(url).query("_limit", "50").header("Accept", "application/json"));
//     co_await client.send(paged::http::request(url).method("POST").body(text, "application/json"));
//
// A request is built with setters, never with designated initialisers, so that it is safe to build inline inside a
// co_await on g++ 12 (detail/gcc12_temporaries.hpp); `request{.url = u}` does not compile.

#include <paged/clock.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/headers.hpp>
#include <paged/http/url.hpp>

#include <optional>
#include <string>
#include <utility>

namespace paged::http {

class request {
public:
    request() noexcept {}  // user-provided: never an aggregate
    explicit request(std::string url) : url_(std::move(url)) {}

    // Absolute; may carry a query already.
    request& url(std::string target) & { return assign(url_, std::move(target)); }
    request&& url(std::string target) && { return std::move(url(std::move(target))); }
    const std::string& url() const noexcept { return url_; }

    // GET unless set; any token ("POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", an extension method).
    request& method(std::string verb) & { return assign(method_, std::move(verb)); }
    request&& method(std::string verb) && { return std::move(method(std::move(verb))); }
    const std::string& method() const noexcept { return method_; }

    // Whether sending it twice is harmless, so that the retry policy may repeat it after a failure. By method unless
    // set: GET, HEAD, PUT, DELETE and OPTIONS are (RFC 9110 9.2.2), POST and PATCH are not.
    request& idempotent(bool repeatable) & {
        idempotent_ = repeatable;
        return *this;
    }
    request&& idempotent(bool repeatable) && { return std::move(idempotent(repeatable)); }
    bool idempotent() const noexcept;

    // The origin (scheme://host:port) this request's credentials belong to: a walk's first URL, so that a next link
    // elsewhere does not take them along (origin_policy.hpp). Empty: the request's own origin.
    request& home_origin(std::string origin) & { return assign(home_origin_, std::move(origin)); }
    request&& home_origin(std::string origin) && { return std::move(home_origin(std::move(origin))); }
    const std::string& home_origin() const noexcept { return home_origin_; }

    // Appends one parameter to the URL's query, percent-encoded; call once per parameter.
    request& query(std::string name, std::string value) & {
        query_.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    request&& query(std::string name, std::string value) && {
        return std::move(query(std::move(name), std::move(value)));
    }
    const query_parameters& query() const noexcept { return query_; }

    // Adds one header field (repeated names are kept); headers(fields) adds every field of `fields`.
    request& header(std::string name, std::string value) & {
        headers_.add(std::move(name), std::move(value));
        return *this;
    }
    request&& header(std::string name, std::string value) && {
        return std::move(header(std::move(name), std::move(value)));
    }
    request& headers(const http::headers& fields) &;
    request&& headers(const http::headers& fields) && { return std::move(headers(fields)); }
    const http::headers& headers() const noexcept { return headers_; }

    // Bytes sent as the request's content, with the Content-Type that describes them ("application/json"). Setting a
    // body does not change the method: pair it with .method("POST") (or PUT, PATCH, ...). A redirect that turns the
    // request into a GET (303, or 301/302 after a POST) leaves the body and its type behind.
    request& body(std::string bytes, std::string content_type) & {
        body_ = std::move(bytes);
        content_type_ = std::move(content_type);
        has_body_ = true;
        return *this;
    }
    request&& body(std::string bytes, std::string content_type) && {
        return std::move(body(std::move(bytes), std::move(content_type)));
    }
    const std::string& body() const noexcept { return body_; }
    const std::string& content_type() const noexcept { return content_type_; }
    // Set even when the body is empty: a POST of zero bytes is still a POST with content (Content-Length: 0).
    bool has_body() const noexcept { return has_body_; }

    // The URL that goes on the wire.
    std::string target() const;

private:
    request& assign(std::string& field, std::string value) {
        field = std::move(value);
        return *this;
    }

    std::string method_ = "GET";
    std::optional<bool> idempotent_;
    std::string home_origin_;
    std::string url_;
    query_parameters query_;
    http::headers headers_;
    std::string body_;
    std::string content_type_;
    bool has_body_ = false;
};

// What came back. Built by transports (the client, fake_api), read by strategies: a plain struct.
struct response {
    int status = 0;
    http::headers headers{};
    std::string body{};
    std::string url{};  // the URL that answered (after redirects): relative links resolve against it
    clock::duration elapsed{};
};

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/message.ipp>
#endif
