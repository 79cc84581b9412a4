#pragma once
// content_range.hpp's definitions: included by content_range.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/content_range.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace paged::http {

namespace detail {

PAGED_HTTP_INLINE std::optional<std::uint64_t> parse_count(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || failure != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace detail

PAGED_HTTP_INLINE std::optional<content_range> parse_content_range(std::string_view value) {
    value = detail::trim_ows(value);
    const auto space = value.find(' ');
    if (space != std::string_view::npos) {
        for (const char c : value.substr(0, space)) {
            if (!detail::is_tchar(c)) return std::nullopt;
        }
        value.remove_prefix(space + 1);
    }
    const auto slash = value.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto range = value.substr(0, slash);
    const auto length = value.substr(slash + 1);

    content_range parsed;
    if (length != "*") {
        parsed.complete = detail::parse_count(length);
        if (!parsed.complete) return std::nullopt;
    }
    if (range == "*") return parsed;
    const auto dash = range.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    parsed.first = detail::parse_count(range.substr(0, dash));
    parsed.last = detail::parse_count(range.substr(dash + 1));
    if (!parsed.first || !parsed.last || *parsed.first > *parsed.last) return std::nullopt;
    if (parsed.complete && *parsed.last >= *parsed.complete) return std::nullopt;
    return parsed;
}

}  // namespace paged::http
