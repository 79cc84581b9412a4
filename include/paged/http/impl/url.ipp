#pragma once
// url.hpp's definitions: included by url.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/url.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <string_view>

namespace paged::http {

PAGED_HTTP_INLINE url::url(const std::string& text) : handle_(curl_url()) {
    if (!handle_) throw std::bad_alloc();
    set_whole(text);
}

PAGED_HTTP_INLINE url& url::append_query(std::string_view name, std::string_view value) {
    const std::string pair = encode_component(name) + "=" + encode_component(value);
    check(curl_url_set(handle_.get(), CURLUPART_QUERY, pair.c_str(), CURLU_APPENDQUERY), pair);
    return *this;
}

PAGED_HTTP_INLINE url& url::append_query(const query_parameters& parameters) {
    for (const auto& [name, value] : parameters) append_query(name, value);
    return *this;
}

PAGED_HTTP_INLINE url url::resolve(const std::string& reference) const {
    url target(*this);
    target.set_whole(reference);
    return target;
}

PAGED_HTTP_INLINE std::string url::origin() const {
    std::string text = part(CURLUPART_SCHEME, 0) + "://" + part(CURLUPART_HOST, 0);
    for (char& c : text) c = detail::ascii_lower(c);
    return text + ":" + part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

PAGED_HTTP_INLINE query_parameters url::query_pairs() const {
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

PAGED_HTTP_INLINE void url::set_whole(const std::string& text) {
    if (text.find('\0') != std::string::npos) throw url_error(printable(text), "it contains a NUL byte");
    check(curl_url_set(handle_.get(), CURLUPART_URL, text.c_str(), 0), text);
}

PAGED_HTTP_INLINE void url::check(CURLUcode code, const std::string& input) const {
    if (code == CURLUE_OUT_OF_MEMORY) throw std::bad_alloc();
    if (code != CURLUE_OK) throw url_error(printable(input), curl_url_strerror(code));
}

PAGED_HTTP_INLINE std::string url::printable(std::string_view text) {
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

PAGED_HTTP_INLINE std::string url::encode_component(std::string_view text) {
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

PAGED_HTTP_INLINE std::string url::part(CURLUPart which, unsigned flags) const {
    char* text = nullptr;
    const CURLUcode code = curl_url_get(handle_.get(), which, &text, flags);
    if (code == CURLUE_NO_QUERY) return {};
    check(code, "(part of a parsed URL)");
    const std::unique_ptr<char, decltype(&curl_free)> owned(text, &curl_free);
    return std::string(text);
}

PAGED_HTTP_INLINE std::string url::decode_component(std::string_view text) {
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

}  // namespace paged::http
