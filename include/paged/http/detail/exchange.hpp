#pragma once
// The part every HTTP strategy shares: send a request (checked_send: a 2xx answer), decode its JSON as it is parsed
// (page_decoder.hpp), read headers they all use.

#include <paged/http/checked_send.hpp>
#include <paged/http/content_range.hpp>
#include <paged/http/detail/linkage.hpp>
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
std::optional<std::uint64_t> total_from_headers(const response& reply);

}  // namespace paged::http::detail

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/exchange.ipp>
#endif
