#pragma once
// The part every HTTP strategy shares: send a request (checked_send: a 2xx answer), decode its JSON as it is parsed
// (page_decoder.hpp), read headers they all use.

#include <paged/http/checked_send.hpp>
#include <paged/http/content_range.hpp>
#include <paged/http/detail/page_decoder.hpp>
#include <paged/http/error.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace paged::http::detail {

// X-Total-Count, else the complete length of Content-Range; empty when neither says.
inline std::optional<std::uint64_t> total_from_headers(const response& reply) {
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
