#pragma once
// paged::http::url: a parsed absolute URL, parsed and resolved by libcurl's URL API (curl_url), so that paged has no
// URL parser of its own to get wrong. Query components are percent-encoded here: libcurl's encoder takes C strings,
// which would cut a value at its first NUL byte.

#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/error.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

using query_parameters = std::vector<std::pair<std::string, std::string>>;

class url {
public:
    // Throws url_error unless `text` is an absolute URL (a NUL byte in it is an error, not the end of it).
    explicit url(const std::string& text);
    url(const url& other) : handle_(curl_url_dup(other.handle_.get())) {
        if (!handle_) throw std::bad_alloc();
    }
    url& operator=(const url& other) {
        if (this != &other) *this = url(other);
        return *this;
    }
    url(url&&) noexcept = default;
    url& operator=(url&&) noexcept = default;

    // Appends name=value to the query, percent-encoding every byte of both but the unreserved ones (space as '+'), so
    // that '&', '=', '%' and NUL reach the server intact. Encoded here, not by libcurl, which reads C strings.
    url& append_query(std::string_view name, std::string_view value);
    url& append_query(const query_parameters& parameters);

    // The URL a reference (absolute, or relative like "/items?page=2" or "?page=2") points at from this one
    // (RFC 3986 section 5).
    url resolve(const std::string& reference) const;

    std::string str() const { return part(CURLUPART_URL, 0); }
    std::string path() const { return part(CURLUPART_PATH, 0); }
    // scheme://host:port in lower case, the port spelt out even when it is the scheme's default (RFC 6454 origins
    // compare so).
    std::string origin() const;
    // The query as sent (still percent-encoded), or "" when there is none.
    std::string query() const { return part(CURLUPART_QUERY, 0); }

    // Decoded name/value pairs of the query, in order ('+' read as a space, as application/x-www-form-urlencoded).
    query_parameters query_pairs() const;

private:
    struct free_url {
        void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
    };

    void set_whole(const std::string& text);
    void check(CURLUcode code, const std::string& input) const;
    // What an error may quote of an untrusted URL: bounded, control bytes shown as \xNN.
    static std::string printable(std::string_view text);
    static std::string encode_component(std::string_view text);
    std::string part(CURLUPart which, unsigned flags) const;
    // curl_easy_unescape ignores its handle argument since libcurl 7.82.
    static std::string decode_component(std::string_view text);

    std::unique_ptr<CURLU, free_url> handle_;
};

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/url.ipp>
#endif
