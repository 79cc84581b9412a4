#pragma once
// exchange.hpp's definitions: included by exchange.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/detail/exchange.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace paged::http::detail {

PAGED_HTTP_INLINE std::optional<std::uint64_t> total_from_headers(const response& reply) {
    if (const auto count = reply.headers.get("X-Total-Count")) {
        const auto total = parse_count(trim_ows(*count));
        if (!total) {
            throw header_error(reply.url, reply.status,
                               "expected X-Total-Count to be a count, got '" + std::string(*count) + "'", "");
        }
        return total;
    }
    if (const auto range = reply.headers.get("Content-Range")) {
        const auto parsed = parse_content_range(*range);
        if (!parsed) {
            throw header_error(reply.url, reply.status,
                               "expected Content-Range like 'items 0-99/12345', '0-24/*' or '*/0', got '" +
                                   std::string(*range) + "'",
                               "");
        }
        return parsed->complete;
    }
    return std::nullopt;
}

}  // namespace paged::http::detail
