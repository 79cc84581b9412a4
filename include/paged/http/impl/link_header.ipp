#pragma once
// link_header.hpp's definitions: included by link_header.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/link_header.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

namespace detail {

PAGED_HTTP_INLINE std::string hex_byte(char c) {
    constexpr std::string_view digits = "0123456789ABCDEF";
    const auto byte = static_cast<unsigned char>(c);
    return std::string("0x") + digits[byte >> 4] + digits[byte & 0x0F];
}

PAGED_HTTP_INLINE std::string excerpt(std::string_view input, std::size_t position) {
    constexpr std::size_t lead = 20;
    const std::size_t start = std::min(position > lead ? position - lead : 0, input.size());
    std::string text(input.substr(start, excerpt_max));
    for (char& c : text) {
        if (is_ctl(c) || static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return text;
}

}  // namespace detail

PAGED_HTTP_INLINE link_header_error::link_header_error(std::string message, std::size_t position)
    : paged::error("malformed Link header at byte " + std::to_string(position) + ": " + message),
      position_(position) {}

PAGED_HTTP_INLINE link_header_error::link_header_error(std::string message, std::size_t position,
                                                       std::string_view input)
    : link_header_error(std::move(message) + ", near \"" + detail::excerpt(input, position) + "\"", position) {}

PAGED_HTTP_INLINE std::optional<std::string_view> link::param(std::string_view name) const {
    for (const link_param& p : params) {
        if (detail::iequals(p.name, name)) return std::string_view(p.value);
    }
    return std::nullopt;
}

PAGED_HTTP_INLINE bool link::has_rel(std::string_view relation) const {
    const std::optional<std::string_view> rel = param("rel");
    return rel && !relation.empty() && detail::contains_word(*rel, relation);
}

namespace detail {

PAGED_HTTP_INLINE std::vector<link> link_scanner::parse_list() {
    std::vector<link> links;
    for (;;) {
        skip_ows();
        if (at_end()) return links;
        if (peek() != ',') links.push_back(parse_link_value());
        // parse_link_value stops only at the end or at the ',' closing its element.
        if (at_end()) return links;
        ++pos_;
    }
}

PAGED_HTTP_INLINE link link_scanner::parse_link_value() {
    link result;
    result.target = parse_target();
    for (;;) {
        skip_ows();
        if (at_end() || peek() == ',') return result;
        if (peek() != ';') fail_expected("';' or ',' after a link");
        ++pos_;
        skip_ows();
        // Servers often end the parameters with a stray ';': unambiguous, so accepted.
        if (at_end() || peek() == ',') return result;
        result.params.push_back(parse_param());
    }
}

PAGED_HTTP_INLINE std::string link_scanner::parse_target() {
    if (at_end() || peek() != '<') fail_expected("'<' starting a link");
    const std::size_t open = pos_++;
    const std::size_t begin = pos_;
    for (; !at_end(); ++pos_) {
        const char c = peek();
        if (c == '>') {
            std::string target(input_.substr(begin, pos_ - begin));
            ++pos_;
            return target;
        }
        if (c == '<') fail("'<' inside a link target (the link's '>' is missing?)", pos_);
        if (is_ctl(c)) fail_expected("a link target or '>'");
    }
    fail("'<' is never closed by '>'", open);
}

PAGED_HTTP_INLINE link_param link_scanner::parse_param() {
    link_param param;
    param.name = take_token();
    if (param.name.empty()) fail_expected("a parameter name");
    std::ranges::transform(param.name, param.name.begin(), ascii_lower);
    skip_ows();
    if (!at_end() && peek() == '=') {
        ++pos_;
        skip_ows();
        param.value = parse_param_value();
    }
    return param;
}

PAGED_HTTP_INLINE std::string link_scanner::parse_param_value() {
    if (!at_end() && peek() == '"') return parse_quoted_string();
    std::string value = take_token();
    if (value.empty()) fail_expected("a parameter value");
    return value;
}

PAGED_HTTP_INLINE std::string link_scanner::parse_quoted_string() {
    const std::size_t open = pos_++;
    std::string value;
    while (!at_end()) {
        if (peek() == '"') {
            ++pos_;
            return value;
        }
        if (peek() == '\\') {
            ++pos_;  // quoted-pair: the next byte is data even if it is '"' or '\'
            if (at_end()) break;
        }
        if (is_ctl(peek()) && peek() != '\t') fail_expected("text inside a quoted-string");
        value += peek();
        ++pos_;
    }
    fail("quoted-string is never closed by '\"'", open);
}

PAGED_HTTP_INLINE std::string link_scanner::take_token() {
    const std::size_t begin = pos_;
    while (!at_end() && is_tchar(peek())) ++pos_;
    return std::string(input_.substr(begin, pos_ - begin));
}

PAGED_HTTP_INLINE std::string link_scanner::describe_current() const {
    if (at_end()) return "the end of the header";
    const char c = peek();
    if (is_ctl(c)) return "control character " + hex_byte(c);
    if (static_cast<unsigned char>(c) >= 0x80) return "byte " + hex_byte(c);
    return std::string("'") + c + "'";
}

PAGED_HTTP_INLINE void link_scanner::fail_expected(std::string_view expected) const {
    fail("expected " + std::string(expected) + ", found " + describe_current(), pos_);
}

PAGED_HTTP_INLINE void link_scanner::fail(std::string message, std::size_t position) const {
    throw link_header_error(std::move(message), position, input_);
}

}  // namespace detail

PAGED_HTTP_INLINE std::vector<link> parse_link_header(std::string_view field_value) {
    return detail::link_scanner(field_value).parse_list();
}

}  // namespace paged::http
