#pragma once
// Telling a page that repeats the previous page's items under another position (a server that ignores the parameter
// meant to move the walk on). Kept to one hash function, content_digest, so that a faster one replaces it in one place.

#include <paged/detail/digest128.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/pagination_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace paged::http::detail {

using paged::detail::digest128;

// A word at a time, two independent lanes (detail/digest128.hpp): several times the speed of a byte-at-a-time hash
// on a page's body (bench/page_digest_bench.cpp), and compared within this walk only, so it need not be stable.
inline digest128 content_digest(std::string_view text) noexcept { return paged::detail::digest_of(text); }

// The digest of a page's items; empty for a page without items (an empty page repeats nothing). Items that are the
// whole body are hashed as received, at no extra cost; items in an envelope are hashed alone, so that what else the
// envelope carries (a next link that moves, a request id, a total) cannot hide a repeat. Call before items_of, which
// moves the items out.
inline std::optional<digest128> items_digest(const json_reply& reply, const nlohmann::json::json_pointer& items) {
    if (reply.no_content()) return std::nullopt;
    const nlohmann::json* array = find(reply.body, items);
    if (array == nullptr || !array->is_array() || array->empty()) return std::nullopt;
    if (items.empty()) return content_digest(reply.raw.body);
    // dump() recurses, within the page's max_depth.
    return content_digest(array->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// For page::repeats_previous: `url` gave the items the page fetched at `earlier` gave, and `parameter` is the one that
// should have moved the walk on.
inline std::exception_ptr repeated_page_error(const std::string& url, const std::string& earlier,
                                              const std::string& parameter) {
    return std::make_exception_ptr(pagination_error(
        pagination_failure::repeated_page,
        "paged::http: " + url + " answered with the same items as the page before it (" + earlier.substr(0, 200) +
            "): does the API ignore " + parameter + "? (repeat_policy::stop ends the walk there, allow hands the page "
            "out)"));
}

// The previous page of a walk: where it was fetched, and its items' digest.
template <class Position>
class previous_page_digest {
public:
    // Where the previous page was fetched, when this page (fetched at `at`) has the same items under another
    // position. Remembers this page either way.
    std::optional<Position> repeated_by(const Position& at, std::optional<digest128> digest) {
        std::optional<Position> repeated;
        if (digest && previous_ && previous_->second == *digest && !(previous_->first == at)) {
            repeated = previous_->first;
        }
        if (digest) {
            previous_.emplace(at, *digest);
        } else {
            previous_.reset();
        }
        return repeated;
    }

private:
    std::optional<std::pair<Position, digest128>> previous_;
};

}  // namespace paged::http::detail
