#pragma once
// Keyset pagination: the next page starts after the last item received, named by some of its fields.
//
// Stripe (the defaults): ?limit=100&starting_after=<id of the last item>, items at /data, until has_more is false.
//     auto charges = paged::http::keyset<charge>(client, "https://api.stripe.com/v1/charges");
//
// A watermark of several fields, for a list ordered by created_at with id breaking ties: rows that share a
// timestamp across a page boundary are neither skipped nor repeated, because the server compares the pair.
//     auto events = paged::http::keyset(client, paged::http::keyset_options(u).items("").has_more("")
//                                                   .key("/created_at", "after_created_at").key("/id", "after_id"));
//
// Without `has_more`, an empty page or one shorter than page_size ends the walk.
//
// An API that only offers "at or after" (`since=`, `created_at[gte]`, json-server's `_gte`): mark it inclusive and give
// the tie-breaker as a key without a parameter. The walk sends the last created_at and drops the rows it has already
// handed out at that boundary (equal created_at, id not past the last one), whatever the number of rows sharing it:
//     paged::http::keyset_options(u).inclusive(true).key("/created_at", "created_at_gte").key("/id", "")
//
// Every page names each item's keys, so a checkpoint names the last item handed out, not its page and a position:
// a resume goes on right after that item whatever was inserted or deleted before it meanwhile (the item itself may be
// gone). Rows inserted behind the walk's position are not seen; nothing is skipped or repeated.

#include <paged/error.hpp>
#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

struct keyset_key {
    std::string field{};  // JSON Pointer into an item
    std::string param{};  // the query parameter that sends it back; "" for a tie-breaker compared here (inclusive)
};

//     paged::http::keyset_options(url).key("/created_at", "after_created_at").key("/id", "after_id").has_more("")
class keyset_options : public detail::sized_endpoint_options<keyset_options> {
public:
    explicit keyset_options(std::string url) : sized_endpoint_options(std::move(url), "/data", "limit") {}

    // A field of the last item (JSON Pointer) and the query parameter that sends it back. The first call replaces the
    // default key (Stripe's /id as starting_after); call once per key, most significant first.
    keyset_options& key(std::string field, std::string param) & {
        if (!keys_set_) keys_.clear();
        keys_set_ = true;
        keys_.push_back({std::move(field), std::move(param)});
        return *this;
    }
    keyset_options&& key(std::string field, std::string param) && {
        return std::move(key(std::move(field), std::move(param)));
    }
    const std::vector<keyset_key>& keys() const noexcept { return keys_; }

    // JSON Pointer to a "there is more" boolean ("/has_more"); "" when the API has no such flag.
    keyset_options& has_more(std::string pointer) & { return assign(has_more_, std::move(pointer)); }
    keyset_options&& has_more(std::string pointer) && { return std::move(has_more(std::move(pointer))); }
    const std::string& has_more() const noexcept { return has_more_; }

    // The parameters select rows at or after the values sent (>=), not strictly after them. The rows of the first
    // answer that the walk has handed out already are dropped: those whose keys equal the last item's where a
    // parameter sends them and whose tie-breakers (keys without a parameter, compared as integers or byte strings,
    // in the order the API sorts them) are not past the last item's. When a whole page is such rows, it asks again
    // for twice as many, until it gets past them or learns the list ends there: from has_more, a total (X-Total-Count
    // or Content-Range of the filtered list) or an answer shorter than page_size. When a wider request brings no more
    // rows, or fewer than asked and no has_more or total says why, the API may cap its pages: a pagination_error.
    keyset_options& inclusive(bool at_or_after) & { return assign(inclusive_, at_or_after); }
    keyset_options&& inclusive(bool at_or_after) && { return std::move(inclusive(at_or_after)); }
    bool inclusive() const noexcept { return inclusive_; }

    // The API lists newest first and its parameters select rows at or before the values sent (`until=`, `_lte`):
    // "past the last item" means smaller keys. Only inclusive walks compare keys here, so only they need it.
    keyset_options& descending(bool newest_first) & { return assign(descending_, newest_first); }
    keyset_options&& descending(bool newest_first) && { return std::move(descending(newest_first)); }
    bool descending() const noexcept { return descending_; }

private:
    std::vector<keyset_key> keys_{keyset_key{"/id", "starting_after"}};
    bool keys_set_ = false;
    std::string has_more_ = "/has_more";
    bool inclusive_ = false;
    bool descending_ = false;
};

template <class T, transport Transport>
class keyset_fetcher {
public:
    using value_type = T;
    using cursor_type = std::vector<std::string>;  // the keys of the last item received; empty for the first page

    keyset_fetcher(Transport& transport, keyset_options options)
        : transport_(&transport), options_(std::move(options)), items_(json_pointer_option(options_.items(), "items")),
          has_more_(json_pointer_option(options_.has_more(), "has_more")) {
        if (options_.page_size() == 0) throw usage_error("paged::http::keyset: page_size must be positive");
        if (options_.descending() && !options_.inclusive()) {
            throw usage_error("paged::http::keyset: descending only matters to inclusive walks (the API compares the "
                              "keys of an exclusive one): set inclusive(true) or drop descending");
        }
        for (const keyset_key& key : options_.keys()) {
            fields_.push_back(json_pointer_option(key.field, "keys"));
            if (key.param.empty() && !options_.inclusive()) {
                throw usage_error("paged::http::keyset: the key '" + key.field + "' has no parameter: only an "
                                  "inclusive walk has tie-breakers that are compared here rather than sent");
            }
        }
        if (options_.keys().empty() || options_.keys().front().param.empty()) {
            throw usage_error("paged::http::keyset: the first key must have a parameter that sends it back");
        }
        (void)url(options_.url());
    }

    cursor_type first_cursor() const { return {}; }

    std::string fingerprint() const {
        std::string text = "keyset " + options_.url() + " " + std::to_string(options_.page_size()) + " items=" + options_.items();
        for (const keyset_key& key : options_.keys()) text += " " + key.field + "->" + key.param;
        if (options_.inclusive()) text += " inclusive";
        if (options_.descending()) text += " descending";
        return text;
    }

    task<page<T, cursor_type>> fetch(cursor_type after) {
        if (options_.inclusive() && !after.empty() && after.size() != options_.keys().size()) {
            throw usage_error("paged::http::keyset: an inclusive walk's cursor names every key, tie-breakers included (" +
                              std::to_string(options_.keys().size()) + "), not " + std::to_string(after.size()));
        }
        std::size_t limit = options_.page_size();
        // Still inside the run that needed a larger page last time: start with that size rather than relearn it.
        if (!after.empty() && widened_ && widened_->first == sent_keys(after)) limit = widened_->second;
        std::size_t previous_count = 0;
        for (;;) {
            request outgoing = request_after(after, limit);  // a named local: coroutine-hazards.md, row 2
            response raw = co_await checked_send(*transport_, std::move(outgoing));
            const key_reader read_keys{this, &after};
            reply_type reply = detail::decode_page<T>(std::move(raw), options_.limits(), items_,
                                                      detail::digest_items::no, &read_keys);
            if (reply.no_content()) {
                page<T, cursor_type> nothing;  // a named local, not a temporary: coroutine-hazards.md, row 2
                co_return nothing;
            }
            std::vector<cursor_type> keys = keys_of_items(reply);
            const std::size_t seen = options_.inclusive() && !after.empty() ? handed_out_already(reply, keys) : 0;
            if (!options_.inclusive() && !keys.empty() && !after.empty() && keys.back() == after) not_advancing(reply);
            if (seen > 0 && seen == keys.size() && must_ask_for_more(reply, keys.size(), limit, previous_count)) {
                previous_count = keys.size();
                limit = wider(reply, limit);
                widened_.emplace(sent_keys(after), limit);
                continue;
            }
            page<T, cursor_type> result;
            result.items = detail::items_of<T>(reply, items_);
            result.items.erase(result.items.begin(), result.items.begin() + static_cast<std::ptrdiff_t>(seen));
            keys.erase(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(seen));
            result.bytes = reply.raw.body.size();
            if (keep_going(reply, seen + keys.size(), !keys.empty())) result.next = keys.back();
            result.item_cursors = std::move(keys);
            co_return result;
        }
    }

private:
    // What a page needs of each item, read from its JSON as the page is decoded (before the item is decoded to T and
    // its JSON dropped): its keys, and for an inclusive walk its order against the cursor asked for.
    struct item_keys {
        cursor_type keys;
        int order = 1;        // compare_keys against the cursor asked for (inclusive walks with a cursor)
        std::string excerpt;  // of an item before that cursor on a key the request sent, for the error
    };
    struct key_reader {
        const keyset_fetcher* fetcher;
        const cursor_type* after;
        item_keys operator()(const nlohmann::json& item, const response& raw) const {
            return fetcher->keys_of(item, raw, *after);
        }
    };
    using reply_type = detail::json_page<T, item_keys>;

    request request_after(const cursor_type& after, std::size_t limit) const {
        request outgoing(options_.url());
        outgoing.headers(options_.headers()).query(options_.size_param(), std::to_string(limit));
        for (std::size_t i = 0; i < after.size() && i < options_.keys().size(); ++i) {
            if (!options_.keys()[i].param.empty()) outgoing.query(options_.keys()[i].param, after[i]);
        }
        return outgoing;
    }

    // The part of a watermark that the request sends (inclusive walks compare the rest here).
    cursor_type sent_keys(const cursor_type& after) const {
        cursor_type sent;
        for (std::size_t i = 0; i < after.size() && i < options_.keys().size(); ++i) {
            if (!options_.keys()[i].param.empty()) sent.push_back(after[i]);
        }
        return sent;
    }

    // One cursor per item: its keys, so that a checkpoint can name any item handed out. The first item without
    // them is an error here, before the items' own decoding errors, as when they were read from a whole DOM.
    static std::vector<cursor_type> keys_of_items(reply_type& reply) {
        std::vector<cursor_type> all;
        if (!reply.has_items) return all;  // items_of says what is wrong
        if (reply.extract_error) std::rethrow_exception(reply.extract_error);
        all.reserve(reply.extras.size());
        for (item_keys& item : reply.extras) all.push_back(std::move(item.keys));
        return all;
    }

    item_keys keys_of(const nlohmann::json& item, const response& raw, const cursor_type& after) const {
        item_keys read;
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            auto value = item.is_object() ? string_at(item, fields_[i], raw) : std::nullopt;
            if (!value) {
                throw body_error(raw.url, raw.status,
                                 "expected every item to have a string or integer key at '" + options_.keys()[i].field +
                                     "'",
                                 detail::json_excerpt(item));
            }
            read.keys.push_back(std::move(*value));
        }
        if (options_.inclusive() && !after.empty()) {
            read.order = compare_keys(item, read.keys, after);
            if (read.order == -2) read.excerpt = detail::json_excerpt(item);
        }
        return read;
    }

    // Inclusive walks: how many leading items were handed out already (the boundary rows the `>=` sends again).
    std::size_t handed_out_already(const reply_type& reply, const std::vector<cursor_type>& keys) const {
        std::size_t seen = 0;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const item_keys& item = reply.extras[i];
            if (item.order > 0) break;
            if (item.order == -2 || seen != i) {
                throw pagination_error(pagination_failure::stalled_cursor,
                                       "paged::http: " + reply.raw.url + " answered with an item before the one it was "
                                       "asked to start at (" + item.excerpt + "): does the API ignore '" +
                                           options_.keys().front().param + "', or sort otherwise than by the keys?");
            }
            ++seen;
        }
        return seen;
    }

    // <0 or 0: not past `after` (-2: before it on a key the request sent, so the API did not filter); >0: past it.
    int compare_keys(const nlohmann::json& item, const cursor_type& keys, const cursor_type& after) const {
        const int direction = options_.descending() ? -1 : 1;
        for (std::size_t i = 0; i < keys.size() && i < after.size(); ++i) {
            const int order = direction * compare_key(*detail::find(item, fields_[i]), keys[i], after[i]);
            if (order != 0) return order < 0 && !options_.keys()[i].param.empty() ? -2 : order;
        }
        return 0;
    }

    // Integers as integers (10 after 9, whatever their size: compared as canonical decimal text), strings byte by byte
    // (keys sent as strings, "id_str" style, must sort so on the server too).
    static int compare_key(const nlohmann::json& value, const std::string& text, const std::string& last) {
        if (value.is_number_integer() && is_integer_text(text) && is_integer_text(last)) {
            const bool negative = text[0] == '-', last_negative = last[0] == '-';
            if (negative != last_negative) return negative ? -1 : 1;
            int order = text.size() != last.size() ? (text.size() < last.size() ? -1 : 1) : sign(text.compare(last));
            return negative ? -order : order;
        }
        return sign(text.compare(last));
    }

    static int sign(int order) noexcept { return order < 0 ? -1 : (order > 0 ? 1 : 0); }

    // As nlohmann writes an integer: an optional '-', then digits without a leading zero.
    static bool is_integer_text(const std::string& text) noexcept {
        const std::size_t digits = !text.empty() && text[0] == '-' ? 1 : 0;
        if (text.size() == digits || (text[digits] == '0' && text.size() > digits + 1)) return false;
        return text.find_first_not_of("0123456789", digits) == std::string::npos;
    }

    // A whole answer of rows already handed out: whether rows may follow them. A short answer proves the end only when
    // shorter than page_size (which the API is trusted to serve); a wider request must bring more rows than the one
    // before it, or the API caps its pages and the walk cannot get past the rows that share the watermark.
    bool must_ask_for_more(const detail::json_reply& reply, std::size_t count, std::size_t limit,
                           std::size_t previous_count) const {
        bool more = count >= options_.page_size();
        if (!options_.has_more().empty()) {
            more = bool_at(reply.body, has_more_, reply.raw);
        } else if (const auto total = detail::total_from_headers(reply.raw)) {
            more = *total > count;
        } else if (more && count < limit) {
            cannot_tell(reply, count, limit);  // the list may end with these rows, or the API caps its pages here
        }
        if (more && previous_count > 0 && count <= previous_count) cannot_tell(reply, count, limit);
        return more;
    }

    [[noreturn]] void cannot_tell(const detail::json_reply& reply, std::size_t count, std::size_t limit) const {
        throw pagination_error(pagination_failure::stalled_cursor,
                               "paged::http: " + reply.raw.url + " answered with " + std::to_string(count) +
                                   " rows, all sharing the watermark of rows already handed out, for a limit of " +
                                   std::to_string(limit) + ": either the list ends with them or the API caps its "
                                   "pages at " + std::to_string(count) + ", and with '" + options_.keys().front().param +
                                   "' (at or after) the walk can neither get past them nor tell which. Give has_more, a "
                                   "key parameter the API compares strictly, or a page_size above the number of rows "
                                   "that share one value");
    }

    // Twice `limit`, within the page's item limit (json_limits::max_items_per_page).
    std::size_t wider(const detail::json_reply& reply, std::size_t limit) const {
        if (limit > reply.limits.max_items_per_page() / 2) {
            throw pagination_error(pagination_failure::stalled_cursor,
                                   "paged::http: " + reply.raw.url + ": more than " + std::to_string(limit) +
                                       " rows share the watermark of rows already handed out, and asking for more "
                                       "would pass json_limits::max_items_per_page; with '" +
                                       options_.keys().front().param + "' (at or after) the walk cannot get past them");
        }
        return limit * 2;
    }

    // A page that ends on the very item it was asked to start after holds nothing new (a server that ignores the key
    // parameters sends its first page again and again): reported before its items are handed out a second time.
    [[noreturn]] void not_advancing(const detail::json_reply& reply) const {
        throw pagination_error(pagination_failure::stalled_cursor,
                               "paged::http: " + reply.raw.url + " answered with a page that ends on the item it was "
                               "asked to start after: the walk is not advancing (does the API ignore '" +
                                   options_.keys().front().param + "'?)");
    }

    // Without has_more, only a page shorter than page_size ends the walk (a server may ignore the size, or a wider
    // request of an inclusive walk may meet its cap: neither is the end).
    bool keep_going(const detail::json_reply& reply, std::size_t count, bool have_watermark) const {
        if (options_.has_more().empty()) return have_watermark && count >= options_.page_size();
        const bool more = bool_at(reply.body, has_more_, reply.raw);
        if (more && !have_watermark) {
            throw pagination_error(pagination_failure::has_more_without_cursor,
                                   "paged::http: " + reply.raw.url + " says " + options_.has_more() +
                                       " is true but the page is empty: no last item to continue after");
        }
        return more;
    }

    Transport* transport_;
    keyset_options options_;
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer has_more_;
    std::vector<nlohmann::json::json_pointer> fields_;
    std::optional<std::pair<cursor_type, std::size_t>> widened_;  // the sent keys of a long run, and the size it needed
};

template <class T = nlohmann::json, transport Transport>
keyset_fetcher<T, Transport> keyset(Transport& transport,
                                    keyset_options options) {  // keyset_options(url).key(field, param): not {.url = ...}
    return keyset_fetcher<T, Transport>(transport, std::move(options));
}
// A template, so that a braced list ({.url = u}) cannot reach it through std::string's constructors.
template <class T = nlohmann::json, transport Transport, std::convertible_to<std::string> Url>
keyset_fetcher<T, Transport> keyset(Transport& transport, Url&& url) {
    return keyset<T>(transport, keyset_options(std::string(std::forward<Url>(url))));
}

}  // namespace paged::http

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
PAGED_HTTP_COMPILED_WALK(extern, keyset_fetcher);
#endif
