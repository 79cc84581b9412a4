#pragma once
// Totals announced in headers: X-Total-Count (json-server and many others) and Content-Range (RFC 9110 section
// 14.4: "items 0-99/12345", "bytes 0-24/*", "*/0"; PostgREST writes it without the unit: "0-24/3573").

#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace paged::http {

struct content_range {
    std::optional<std::uint64_t> first;     // empty for an unsatisfied range ("*/12345")
    std::optional<std::uint64_t> last;      // inclusive
    std::optional<std::uint64_t> complete;  // the total; empty when the server wrote '*'
};

namespace detail {

// 1*DIGIT, nothing else (no sign, no spaces), without overflow.
std::optional<std::uint64_t> parse_count(std::string_view text);

}  // namespace detail

// nullopt when the value is malformed.
std::optional<content_range> parse_content_range(std::string_view value);

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/content_range.ipp>
#endif
