#pragma once
// Reading a page in one pass: the items are decoded to T as the parser reaches them, and only the rest of the body
// (the envelope: cursors, flags, totals, GraphQL errors) is kept as a DOM. A page of a million small items used to be
// a whole DOM (hundreds of megabytes) before the first item was decoded; now it is the envelope, one item's DOM at a
// time, and the vector<T>.
//
// Each item is built into a small DOM by the same bounded builder as the envelope (one json_budget for both), then in
// this order: digested (page_digest.hpp), read by the strategy's `extract` (keys, ids), decoded to T (moved when T
// is nlohmann::json), and dropped. Errors of one item are kept and raised later, where the whole-DOM code raised
// them (items_of, a strategy's own checks), so that an envelope error such as GraphQL's "errors" still comes first;
// a limit stops the parse at once, as before.

#include <paged/http/detail/linkage.hpp>
#include <paged/http/detail/page_digest.hpp>
#include <paged/http/error.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace paged::http::detail {

// A 2xx JSON answer, its body without the items (an empty array where they were; null for 204 No Content, which
// GitHub sends for some empty lists).
struct json_reply {
    response raw;
    nlohmann::json body;
    json_limits limits;  // the strategy's

    bool no_content() const noexcept { return raw.status == 204; }
};

// A strategy that reads nothing of its items beyond T.
struct no_extract {
    struct nothing {};
    nothing operator()(const nlohmann::json&, const response&) const noexcept { return {}; }
};

enum class digest_items : bool { no, yes };

// What the parse of a page finds, whatever its items decode to.
struct scanned_page : json_reply {
    std::size_t count = 0;             // elements of the items array, whether they decoded or not
    bool has_items = false;            // whether an array is at the items pointer
    std::optional<digest128> digest;   // of the items, when asked; empty for none (page_digest.hpp)
    std::exception_ptr extract_error;  // the first item `extract` refused; nothing read of the items after it
    std::exception_ptr decode_error;   // the first item from_json refused; nothing decoded after it
};

// A decoded page: the envelope (json_reply::body) and what was read of each item.
template <class T, class Extra>
struct json_page : scanned_page {
    std::vector<T> items;
    std::vector<Extra> extras;  // what `extract` read of each item, when asked
};

// Where each element of the items array goes once its tree is complete. The parse itself is not a template (one
// compiled parser serves every item type: compile time and code in every file that walks an endpoint); this is the
// part that depends on T, called once per item.
class element_sink {
public:
    // The items array starts, or starts again (a repeated key replaced it): what was taken is dropped.
    virtual void restart() = 0;
    // `element`, `tree_bytes` of memory as parsed, is complete. Returns the bytes kept for it.
    virtual std::size_t take(nlohmann::json& element, std::size_t tree_bytes) = 0;

protected:
    ~element_sink() = default;
};

// Parses `page.raw.body` in one pass: the envelope into page.body, each element of the array at `at` into a small
// tree handed to `sink` (after its digest, when asked) and dropped. A limit passed, or a body that is not JSON, is a
// body_error at once.
PAGED_HTTP_INLINE void scan_page(scanned_page& page, const nlohmann::json::json_pointer& at, digest_items digest,
                                 element_sink& sink);

// The part of the decoding that depends on the item type: each element read by `extract` (keys, ids), then decoded
// to T (moved when T is nlohmann::json). Errors are kept in the page, to be raised where the strategy reads it.
template <class T, class Extract>
class item_decoder final : public element_sink {
public:
    using json = nlohmann::json;
    using extra_type = std::invoke_result_t<Extract&, const json&, const response&>;
    using page_type = json_page<T, extra_type>;

    // `extract` may be null: nothing read of the items.
    item_decoder(page_type& page, const json::json_pointer& at, Extract* extract)
        : page_(&page), at_(&at), extract_(extract) {}

    void restart() override {
        page_->items.clear();
        page_->extras.clear();
    }

    // What stays held is charged instead of the tree: the tree itself when T is nlohmann::json, else the T (its own
    // heap, strings for one, is at most the size of the text it came from: the limit is on the tree's overhead, which
    // is where a hostile page multiplies).
    std::size_t take(json& element, std::size_t tree_bytes) override {
        extract_item(element);
        decode_item(element);
        std::size_t kept = 2 * sizeof(T) + (extract_ != nullptr ? 2 * sizeof(extra_type) : 0);
        if constexpr (std::is_same_v<T, json>) kept += tree_bytes;
        return kept;
    }

private:
    void extract_item(const json& element) {
        if (extract_ == nullptr || page_->extract_error) return;
        try {
            page_->extras.push_back((*extract_)(element, std::as_const(page_->raw)));
        } catch (...) {
            page_->extract_error = std::current_exception();
        }
    }

    void decode_item(json& element) {
        if (page_->decode_error) return;
        if constexpr (std::is_same_v<T, json>) {
            page_->items.push_back(std::move(element));
        } else {
            try {
                page_->items.push_back(element.template get<T>());
            } catch (const json::exception& e) {
                const response& raw = page_->raw;
                page_->decode_error = std::make_exception_ptr(body_error(
                    raw.url, raw.status,
                    "item " + std::to_string(page_->count - 1) + " at '" + at_->to_string() +
                        "' does not decode: " + e.what(),
                    raw.body));
            }
        }
    }

    page_type* page_;
    const json::json_pointer* at_;
    Extract* extract_;
};

// The page in `raw`, its items (at `at`) decoded to T as they are parsed. `extract` (null: none) reads each item's
// JSON before it is decoded and dropped (keys, ids), called as extract(item, raw). A limit passed is a body_error at
// once; a bad item is kept in the page for items_of or the strategy to raise.
template <class T, class Extract = no_extract>
auto decode_page(response raw, const json_limits& limits, const nlohmann::json::json_pointer& at, digest_items digest,
                 Extract* extract = nullptr) {
    typename item_decoder<T, Extract>::page_type page;
    page.raw = std::move(raw);
    page.limits = limits;
    if (page.no_content()) return page;
    item_decoder<T, Extract> items(page, at, extract);
    scan_page(page, at, digest, items);
    return page;
}

// The page's items, or the error that the first of them that did not decode raised.
template <class T, class Extra>
std::vector<T> items_of(json_page<T, Extra>& reply, const nlohmann::json::json_pointer& at) {
    if (reply.no_content()) return {};
    if (!reply.has_items) bad_body(reply.raw, "expected a JSON array of items at pointer '" + at.to_string() + "'");
    if (reply.decode_error) std::rethrow_exception(reply.decode_error);
    return std::move(reply.items);
}

}  // namespace paged::http::detail

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/page_decoder.ipp>
#endif
