#pragma once
// The part every HTTP strategy shares: send a request, insist on a 2xx JSON answer, read headers they all use.

#include <paged/http/checked_send.hpp>
#include <paged/http/content_range.hpp>
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

struct json_reply {
    response raw;
    nlohmann::json body;  // null for 204 No Content (GitHub answers some empty lists so)
    json_limits limits;   // the strategy's, for items_of

    bool no_content() const noexcept { return raw.status == 204; }
};

// `limits` has no default, so that a strategy cannot forget to pass its own.
template <transport Transport>
task<json_reply> exchange_json(Transport& transport, request outgoing, json_limits limits) {
    json_reply reply;
    reply.limits = limits;
    reply.raw = co_await checked_send(transport, std::move(outgoing));
    if (!reply.no_content()) reply.body = parse_json_body(reply.raw, reply.limits);
    co_return reply;
}

template <class T>
std::vector<T> items_of(json_reply& reply, const nlohmann::json::json_pointer& at) {
    if (reply.no_content()) return {};
    return take_items<T>(reply.body, at, reply.raw, reply.limits);
}

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
