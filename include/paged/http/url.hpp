#pragma once
// paged::http::url: a parsed absolute URL, parsed and resolved by libcurl's URL API (curl_url), so that paged has no
// URL parser of its own to get wrong. Query components are percent-encoded here: libcurl's encoder takes C strings,
// which would cut a value at its first NUL byte.

#include <paged/http/detail/ascii.hpp>
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
    explicit url(const std::string& text) : handle_(curl_url()) {
        if (!handle_) throw std::bad_alloc();
        set_whole(text);
    }
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
    url& append_query(std::string_view name, std::string_view value) {
        const std::string pair = encode_component(name) + "=" + encode_component(value);
        check(curl_url_set(handle_.get(), CURLUPART_QUERY, pair.c_str(), CURLU_APPENDQUERY), pair);
        return *this;
    }
    url& append_query(const query_parameters& parameters) {
        for (const auto& [name, value] : parameters) append_query(name, value);
        return *this;
    }

    // The URL a reference (absolute, or relative like "/items?page=2" or "?page=2") points at from this one
    // (RFC 3986 section 5).
    url resolve(const std::string& reference) const {
        url target(*this);
        target.set_whole(reference);
        return target;
    }

    std::string str() const { return part(CURLUPART_URL, 0); }
    std::string path() const { return part(CURLUPART_PATH, 0); }
    // scheme://host:port in lower case, the port spelt out even when it is the scheme's default (RFC 6454 origins
    // compare so).
    std::string origin() const {
        std::string text = part(CURLUPART_SCHEME, 0) + "://" + part(CURLUPART_HOST, 0);
        for (char& c : text) c = detail::ascii_lower(c);
        return text + ":" + part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
    }
    // The query as sent (still percent-encoded), or "" when there is none.
    std::string query() const { return part(CURLUPART_QUERY, 0); }

    // Decoded name/value pairs of the query, in order ('+' read as a space, as application/x-www-form-urlencoded).
    query_parameters query_pairs() const {
        query_parameters pairs;
        const std::string raw = query();
        std::size_t start = 0;
        while (start < raw.size()) {
            const auto end = std::min(raw.find('&', start), raw.size());
            const std::string_view item(raw.data() + start, end - start);
            const auto equals = item.find('=');
            if (!item.empty()) {
                pairs.emplace_back(decode_component(item.substr(0, equals)),
                                   equals == std::string_view::npos ? std::string() : decode_component(item.substr(equals + 1)));
            }
            start = end + 1;
        }
        return pairs;
    }

private:
    struct free_url {
        void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
    };

    void set_whole(const std::string& text) {
        if (text.find('\0') != std::string::npos) throw url_error(printable(text), "it contains a NUL byte");
        check(curl_url_set(handle_.get(), CURLUPART_URL, text.c_str(), 0), text);
    }

    void check(CURLUcode code, const std::string& input) const {
        if (code == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
        if (code != CURLUE_OK) throw url_error(printable(input), curl_url_strerror(code));
    }

    // What an error may quote of an untrusted URL: bounded, control bytes shown as \xNN.
    static std::string printable(std::string_view text) {
        constexpr std::size_t limit = 300;
        std::string shown;
        for (const char c : text.substr(0, limit)) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte == 0x7F) {
                shown += "\\x";
                shown += "0123456789abcdef"[byte >> 4];
                shown += "0123456789abcdef"[byte & 15];
            } else {
                shown += c;
            }
        }
        return text.size() > limit ? shown + "..." : shown;
    }

    static std::string encode_component(std::string_view text) {
        std::string encoded;
        encoded.reserve(text.size());
        for (const char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                    c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                encoded += c;
            } else if (c == ' ') {
                encoded += '+';
            } else {
                encoded += '%';
                encoded += "0123456789abcdef"[byte >> 4];
                encoded += "0123456789abcdef"[byte & 15];
            }
        }
        return encoded;
    }

    std::string part(CURLUPart which, unsigned flags) const {
        char* text = nullptr;
        const CURLUcode code = curl_url_get(handle_.get(), which, &text, flags);
        if (code == CURLUE_NO_QUERY) return {};
        check(code, "(part of a parsed URL)");
        const std::unique_ptr<char, decltype(&curl_free)> owned(text, &curl_free);
        return std::string(text);
    }

    // curl_easy_unescape ignores its handle argument since libcurl 7.82.
    static std::string decode_component(std::string_view text) {
        std::string plus_as_space(text);
        for (char& c : plus_as_space) {
            if (c == '+') c = ' ';
        }
        int length = 0;
        const std::unique_ptr<char, decltype(&curl_free)> decoded(
            curl_easy_unescape(nullptr, plus_as_space.data(), static_cast<int>(plus_as_space.size()), &length),
            &curl_free);
        if (!decoded) throw std::bad_alloc();
        return std::string(decoded.get(), static_cast<std::size_t>(length));
    }

    std::unique_ptr<CURLU, free_url> handle_;
};

}  // namespace paged::http
