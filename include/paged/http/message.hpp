#pragma once
// paged::http::request and response: what a transport sends and what it gives back.

#include <paged/clock.hpp>
#include <paged/http/headers.hpp>
#include <paged/http/url.hpp>

#include <string>

namespace paged::http {

struct request {
    std::string method = "GET";
    std::string url{};            // absolute; may carry a query already
    query_parameters query{};     // appended to url's query, percent-encoded
    http::headers headers{};

    // The URL that goes on the wire.
    std::string target() const { return http::url(url).append_query(query).str(); }
};

struct response {
    int status = 0;
    http::headers headers{};
    std::string body{};
    std::string url{};  // the URL that answered (after redirects): relative links resolve against it
    clock::duration elapsed{};
};

}  // namespace paged::http
