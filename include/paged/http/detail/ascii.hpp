#pragma once
// Character classes of RFC 9110 section 5.6 and ASCII case folding for header names and parameters. Deliberately
// not <cctype>, which depends on the locale.

#include <algorithm>
#include <string_view>

namespace paged::http::detail {

constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

constexpr bool is_ctl(char c) noexcept {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

constexpr bool is_tchar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    return std::ranges::equal(a, b, [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

constexpr std::string_view trim_ows(std::string_view text) noexcept {
    while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace paged::http::detail
