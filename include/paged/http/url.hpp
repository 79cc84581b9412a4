#pragma once
// paged::http::url: a parsed absolute URL, built, encoded and resolved by libcurl's URL API (curl_url), so that
// paged has no URL parser or percent-encoder of its own to get wrong.

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
    // Throws url_error unless `text` is an absolute URL.
    explicit url(const std::string& text) : handle_(curl_url()) {
        if (!handle_) throw std::bad_alloc();
        check(curl_url_set(handle_.get(), CURLUPART_URL, text.c_str(), 0), text);
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

    // Appends name=value to the query, percent-encoding both (space as '+'; '&', '=', '%' in the value escaped).
    url& append_query(std::string_view name, std::string_view value) {
        // With CURLU_APPENDQUERY, CURLU_URLENCODE encodes all but the first '=': so the name cannot hold one.
        if (name.find('=') != std::string_view::npos) {
            throw usage_error("paged::http::url: query parameter name '" + std::string(name) +
                              "' has a '=' (give the name and the value separately)");
        }
        const std::string pair = std::string(name) + "=" + std::string(value);
        check(curl_url_set(handle_.get(), CURLUPART_QUERY, pair.c_str(), CURLU_APPENDQUERY | CURLU_URLENCODE), pair);
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
        target.check(curl_url_set(target.handle_.get(), CURLUPART_URL, reference.c_str(), 0), reference);
        return target;
    }

    std::string str() const { return part(CURLUPART_URL, 0); }
    std::string path() const { return part(CURLUPART_PATH, 0); }
    // scheme://host:port, the port spelt out even when it is the scheme's default (RFC 6454 origins compare so).
    std::string origin() const {
        return part(CURLUPART_SCHEME, 0) + "://" + part(CURLUPART_HOST, 0) + ":" + part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
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

    void check(CURLUcode code, const std::string& input) const {
        if (code == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
        if (code != CURLUE_OK) throw url_error(input, curl_url_strerror(code));
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
