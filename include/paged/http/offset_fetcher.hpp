#pragma once
// Offset pagination: the request says where the page starts and how long it is.
//
//     auto api = paged::http::offset<user>(client, paged::http::offset_options("https://api.example.com/users").items("/data"));
//
// Styles and their default parameter names:
//   limit_offset  ?limit=100&offset=200       PostgREST, most SQL-backed APIs
//   start_end     ?_start=200&_end=300        json-server (Array.slice: _end excluded)
//   page_number   ?per_page=100&page=3        GitHub, json-server's _page (set first_page for 0-based APIs)
// The walk ends on an empty page, on a page shorter than page_size, or when the total is reached. The total comes
// from X-Total-Count, Content-Range ("items 0-99/12345", PostgREST's "0-24/3573") or the `total` JSON Pointer. With
// a known total, a short page before it is not the end: offsets advance by the items received, so a server that caps
// the page size below page_size loses nothing (page_number cannot tell, and reports it instead). Without a total a
// short page is the end, so keep page_size within the API's maximum (GitHub 100, Stripe 100, PostgREST db-max-rows).
//
// A list that changes during the walk shifts the offsets under it (drift.hpp): by default a total that changes between
// pages is a pagination_error (source_changed). With item_id("/id") each page after the first is asked for one item
// early and must start with the previous page's last item: rows inserted before the position are then skipped exactly
// (told to on_drift, not an error), and rows deleted there are told precisely. A page with the same items as the one
// before it, under another offset (a parameter the API ignores), is marked page::repeats_previous for the walk's
// repeat_policy.

#include <paged/error.hpp>
#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/detail/page_digest.hpp>
#include <paged/http/drift.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/checkpoint.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

enum class offset_style { limit_offset, start_end, page_number };

//     paged::http::offset_options(url).page_size(50).style(paged::http::offset_style::start_end)
class offset_options : public detail::sized_endpoint_options<offset_options> {
public:
    // size_param "" takes the style's name (see position_param).
    explicit offset_options(std::string url) : sized_endpoint_options(std::move(url), "", "") {}

    offset_options& style(offset_style chosen) & { return assign(style_, chosen); }
    offset_options&& style(offset_style chosen) && { return std::move(style(chosen)); }
    offset_style style() const noexcept { return style_; }

    // Parameter names; "" (the default) takes the style's: offset/limit, _start/_end, page/per_page.
    offset_options& position_param(std::string name) & { return assign(position_param_, std::move(name)); }
    offset_options&& position_param(std::string name) && { return std::move(position_param(std::move(name))); }
    const std::string& position_param() const noexcept { return position_param_; }

    // The number of the first page (page_number only): 1, or 0 for 0-based APIs.
    offset_options& first_page(std::uint64_t number) & { return assign(first_page_, number); }
    offset_options&& first_page(std::uint64_t number) && { return std::move(first_page(number)); }
    std::uint64_t first_page() const noexcept { return first_page_; }

    // JSON Pointer to a total count in the body; "" (the default) reads only X-Total-Count and Content-Range.
    offset_options& total(std::string pointer) & { return assign(total_, std::move(pointer)); }
    offset_options&& total(std::string pointer) && { return std::move(total(std::move(pointer))); }
    const std::string& total() const noexcept { return total_; }

    // JSON Pointer to a field that identifies an item ("/id"); "" (the default) for none. Each page after the first
    // is then asked for one item early (offset - 1, same size: a page hands out one item fewer) and must start with
    // the previous page's last item; see drift.hpp. limit_offset and start_end only, page_size 2 or more.
    offset_options& item_id(std::string pointer) & { return assign(item_id_, std::move(pointer)); }
    offset_options&& item_id(std::string pointer) && { return std::move(item_id(std::move(pointer))); }
    const std::string& item_id() const noexcept { return item_id_; }

    // What a list that changed during the walk does to it: error (default), warn or ignore (drift.hpp).
    offset_options& drift(drift_policy policy) & { return assign(drift_, policy); }
    offset_options&& drift(drift_policy policy) && { return std::move(drift(policy)); }
    drift_policy drift() const noexcept { return drift_; }

    // Told of every drift under error and warn (before the error, under error), and of every shift item_id healed.
    template <class F>
        requires std::invocable<F&, const drift_event&>
    offset_options& on_drift(F&& observer) & {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return assign(on_drift_, std::function<void(const drift_event&)>(std::forward<F>(observer)));
    }
    template <class F>
        requires std::invocable<F&, const drift_event&>
    offset_options&& on_drift(F&& observer) && {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return std::move(on_drift(std::forward<F>(observer)));
    }
    const std::function<void(const drift_event&)>& on_drift() const noexcept { return on_drift_; }

private:
    offset_style style_ = offset_style::limit_offset;
    std::string position_param_;
    std::uint64_t first_page_ = 1;
    std::string total_;
    std::string item_id_;
    drift_policy drift_ = drift_policy::error;
    std::function<void(const drift_event&)> on_drift_;
};

template <class T, transport Transport>
class offset_fetcher {
public:
    using value_type = T;
    // The offset of the page's first item (a page number for page_number). With item_id the request starts one item
    // before it, and page::item_cursors name the offset after each item, so that a checkpoint stays right on a page
    // whose first items were dropped as already handed out.
    using cursor_type = std::uint64_t;

    offset_fetcher(Transport& transport, offset_options options)
        : transport_(&transport), options_(std::move(options)),
          items_(json_pointer_option(options_.items(), "items")), total_(json_pointer_option(options_.total(), "total")),
          item_id_(json_pointer_option(options_.item_id(), "item_id")) {
        if (options_.page_size() == 0) throw usage_error("paged::http::offset: page_size must be positive");
        if (!options_.item_id().empty() && by_page()) {
            throw usage_error("paged::http::offset: item_id needs offsets (limit_offset or start_end): page numbers "
                              "cannot ask for one item early");
        }
        if (!options_.item_id().empty() && options_.page_size() < 2) {
            throw usage_error("paged::http::offset: item_id needs page_size 2 or more: each page repeats one item");
        }
        (void)url(options_.url());  // a bad URL fails here, not at the first fetch
        if (options_.position_param().empty()) options_.position_param(default_names()[0]);
        if (options_.size_param().empty()) options_.size_param(default_names()[1]);
    }

    cursor_type first_cursor() const { return by_page() ? options_.first_page() : 0; }

    // item_id is part of it when it changes the offsets requested.
    std::string fingerprint() const {
        return "offset " + options_.url() + " " + options_.position_param() + "/" + options_.size_param() + " style=" +
               std::to_string(static_cast<int>(options_.style())) + " first_page=" + std::to_string(options_.first_page()) +
               " " + std::to_string(options_.page_size()) + " items=" + options_.items() +
               (overlapping() ? " item_id=" + options_.item_id() : "");
    }

    // Where the page after the one at `position` starts if that page is full: what lets walk_options::concurrency
    // request pages before the ones ahead of them arrive (the walk checks each guess against the page's own next).
    // None with item_id, whose overlap needs each page before the next.
    std::optional<cursor_type> predicted_next(cursor_type position) const {
        if (overlapping()) return std::nullopt;
        return by_page() ? position + 1 : position + options_.page_size();
    }

    task<page<T, cursor_type>> fetch(cursor_type position) {
        const std::optional<nlohmann::json> expected_first = previous_last_id(position);
        const cursor_type requested = expected_first ? position - 1 : position;
        request outgoing = request_for(requested);
        response raw = co_await checked_send(*transport_, std::move(outgoing));
        id_reader read_id{&item_id_};
        reply_type reply = detail::decode_page<T>(std::move(raw), options_.limits(), items_, detail::digest_items::yes,
                                                  overlapping() ? &read_id : nullptr);

        check_content_range(requested, reply.raw);
        page<T, cursor_type> result;
        result.bytes = reply.raw.body.size();
        const counted total = total_of(reply);
        result.total = total.value;
        std::size_t handed_out_already = 0;
        if (overlapping()) {
            handed_out_already = check_page(position, requested, expected_first, reply, total, result);
        } else {
            unchecked_.insert_or_assign(position, measured{requested, reply.digest, total, reply.raw.url});
        }
        std::optional<nlohmann::json> last_id;
        if (overlapping()) last_id = last_item_id(reply);

        std::vector<T> received = detail::items_of<T>(reply, items_);
        result.next = next_position(position, requested, received.size(), result.total, reply.raw);
        hand_out(result, std::move(received), requested, handed_out_already);
        previous_.emplace(walked{result.next, total, std::move(last_id)});
        co_return result;
    }

    // Called by the walk for each page in walk order, before it is handed out. Without item_id the pages may arrive
    // in any order (walk_options::concurrency) or n pages apart (shards), so the checks that compare a page with the
    // one before it wait for this: the same items as that page (a parameter the API ignores) or another total
    // (drift). With item_id each page is checked as it arrives: the overlap needs the pages one after the other.
    void in_walk_order(page<T, cursor_type>& fetched, cursor_type position) {
        const auto found = unchecked_.find(position);
        if (found == unchecked_.end()) return;
        measured current = std::move(found->second);
        unchecked_.erase(unchecked_.begin(), std::next(found));  // and guesses before it, never to be handed out
        if (last_checked_) {
            if (current.digest && last_checked_->digest && *current.digest == *last_checked_->digest) {
                fetched.repeats_previous = detail::repeated_page_error(
                    current.url, options_.position_param() + "=" + std::to_string(last_checked_->requested),
                    "'" + options_.position_param() + "'");
            } else {
                check_total(position, current.url, last_checked_->total, current.total);
            }
        }
        last_checked_ = std::move(current);
    }

private:
    // With item_id, each item's id is read as the page is decoded (empty: the item has none), for check_overlap and
    // the next page's expected first item.
    struct id_reader {
        const nlohmann::json::json_pointer* field;
        std::optional<nlohmann::json> operator()(const nlohmann::json& item, const response& /*raw*/) const {
            const nlohmann::json* id = item.is_structured() ? detail::find(item, *field) : nullptr;
            if (id == nullptr) return std::nullopt;
            return *id;
        }
    };
    using reply_type = detail::json_page<T, std::optional<nlohmann::json>>;

    // A total and where it was read, for drift messages.
    struct counted {
        std::optional<std::uint64_t> value;
        std::string source;
    };
    // What fetch() saw of a page whose checks wait for the walk order (in_walk_order).
    struct measured {
        measured(cursor_type at, std::optional<paged::detail::digest128> items, counted said, std::string from)
            : requested(at), digest(items), total(std::move(said)), url(std::move(from)) {}
        cursor_type requested;
        std::optional<paged::detail::digest128> digest;
        counted total;
        std::string url;
    };
    // What the next page is checked against.
    struct walked {
        std::optional<cursor_type> next;
        counted total;
        std::optional<nlohmann::json> last_id;  // with item_id
    };

    // Marks a page that repeats the previous one, or checks it for drift. Gives how many of its first items were
    // handed out already (the item asked for early, and the rows inserted before it). Offsets are computed here, so
    // the walk's cursor guard cannot see a server that ignores them (a misspelt parameter) and serves page 1 again
    // and again: the same items at another offset are the sign.
    std::size_t check_page(cursor_type position, cursor_type requested, const std::optional<nlohmann::json>& expected_first,
                           const reply_type& reply, const counted& total, page<T, cursor_type>& result) {
        if (const auto earlier = digests_.repeated_by(requested, reply.digest)) {
            result.repeats_previous = detail::repeated_page_error(
                reply.raw.url, options_.position_param() + "=" + std::to_string(*earlier),
                "'" + options_.position_param() + "'");
            return 0;
        }
        if (expected_first) return check_overlap(position, *expected_first, reply, total);
        if (continues_walk(position)) check_total(position, reply.raw.url, previous_->total, total);
        return 0;
    }

    // With item_id every item names the offset after it, so that a checkpoint is right on a page whose first items
    // were dropped.
    void hand_out(page<T, cursor_type>& result, std::vector<T> received, cursor_type requested,
                  std::size_t handed_out_already) const {
        const std::size_t dropped = std::min(handed_out_already, received.size());
        if (overlapping()) {
            for (std::size_t i = dropped; i < received.size(); ++i) result.item_cursors.push_back(requested + i + 1);
        }
        received.erase(received.begin(), received.begin() + static_cast<std::ptrdiff_t>(dropped));
        result.items = std::move(received);
    }

    bool by_page() const noexcept { return options_.style() == offset_style::page_number; }
    bool overlapping() const noexcept { return !options_.item_id().empty() && options_.drift() != drift_policy::ignore; }
    bool continues_walk(cursor_type position) const noexcept {
        return previous_ && previous_->next && *previous_->next == position;
    }

    std::optional<nlohmann::json> previous_last_id(cursor_type position) const {
        if (!overlapping() || !continues_walk(position)) return std::nullopt;
        return previous_->last_id;
    }

    request request_for(cursor_type start) const {
        const auto size = options_.style() == offset_style::start_end ? start + options_.page_size() : options_.page_size();
        request outgoing(options_.url());
        outgoing.headers(options_.headers())
            .query(options_.position_param(), std::to_string(start))
            .query(options_.size_param(), std::to_string(size));
        return outgoing;
    }

    counted total_of(const detail::json_reply& reply) const {
        counted total{detail::total_from_headers(reply.raw),
                      reply.raw.headers.get("X-Total-Count") ? "X-Total-Count" : "Content-Range's total"};
        if (!options_.total().empty() && !reply.no_content()) {
            if (auto in_body = count_at(reply.body, total_, reply.raw)) total = {in_body, "the total at " + options_.total()};
        }
        return total;
    }

    // Offsets are computed here, so a server that starts the page elsewhere (a misspelt parameter) is caught by its
    // own word.
    void check_content_range(cursor_type requested, const response& reply) const {
        if (by_page()) return;
        const auto range = reply.headers.get("Content-Range");
        const auto parsed = range ? parse_content_range(*range) : std::nullopt;
        if (parsed && parsed->first && *parsed->first != requested) {
            throw header_error(reply.url, reply.status,
                               "expected Content-Range to start at " + std::to_string(requested) + ", got '" +
                                   std::string(*range) + "': does the API ignore '" + options_.position_param() + "'?",
                               "");
        }
    }

    std::string where(cursor_type position) const {
        return (by_page() ? "page " : "offset ") + std::to_string(position);
    }

    // `earlier`: the total of the page the walk handed out before this one.
    void check_total(cursor_type position, const std::string& url, const counted& earlier, const counted& total) {
        const auto& before = earlier.value;
        if (options_.drift() == drift_policy::ignore || !before || !total.value || *before == *total.value) return;
        drift_event event;
        event.kind = drift_kind::total_changed;
        event.url = url;
        event.position = position;
        event.previous_total = before;
        event.total = total.value;
        event.message = "paged::http: " + url + ": " + total.source + " went from " + std::to_string(*before) +
                        " to " + std::to_string(*total.value) + " between pages (at " + where(position) +
                        "): the list changed during the walk, so offset pages repeat or skip items. " + remedies(true);
        report(event);
    }

    // How many of the page's first items the previous page handed out: the item asked for early, and the rows
    // inserted before it. 0 when the previous page's last item is not there (told as inexact drift).
    std::size_t check_overlap(cursor_type position, const nlohmann::json& expected, const reply_type& reply,
                              const counted& total) {
        if (!has_items(reply)) return 0;  // items_of says what is wrong with the body
        const std::size_t count = items_count(reply);
        std::size_t found = 0;
        while (found < count && id_at(reply, found) != expected) ++found;
        if (found == 0 && count > 0) return 1;
        drift_event event;
        event.kind = drift_kind::page_shifted;
        event.url = reply.raw.url;
        event.position = position;
        event.previous_total = previous_->total.value;
        event.total = total.value;
        event.expected_id = detail::json_excerpt(expected, 80);
        event.found_id = count > 0 ? detail::json_excerpt(id_at(reply, 0), 80) : "";
        const std::string before = "the item before " + where(position);
        if (found < count) {
            event.inserted = found;
            event.exact = true;
            event.message = "paged::http: " + reply.raw.url + ": " + std::to_string(found) + " rows were inserted before " +
                            where(position) + " during the walk; the " + std::to_string(found) +
                            " items they pushed onto this page were handed out already and are skipped: the walk is "
                            "still exact";
            report(event);
            return found + 1;
        }
        const std::string starts = count > 0 ? "the page starts with " + id_label() + " " + event.found_id +
                                                   " and does not hold it"
                                             : "the page is empty";
        event.message = "paged::http: " + reply.raw.url + ": " + before + " should be " + id_label() + " " +
                        event.expected_id + " (the previous page's last), " + starts + ": rows before " +
                        where(position) + " were deleted during the walk (items were skipped) or more were inserted "
                        "than a page holds. " + remedies(false);
        report(event);
        return 0;
    }

    static std::string remedies(bool suggest_item_id) {
        return std::string(suggest_item_id ? "item_id(\"/id\") heals inserts and tells deletes exactly; " : "") +
               "keyset pagination is exact under change; drift(paged::http::drift_policy::warn) carries on";
    }

    std::string id_label() const {
        const std::string& pointer = options_.item_id();
        return pointer.size() > 1 ? pointer.substr(1) : pointer;
    }

    void report(const drift_event& event) {
        if (options_.drift() == drift_policy::error && !event.exact) {
            if (options_.on_drift()) options_.on_drift()(event);
            throw pagination_error(pagination_failure::source_changed, event.message);
        }
        if (options_.on_drift()) options_.on_drift()(event);
    }

    static bool has_items(const reply_type& reply) {
        return reply.no_content() || reply.has_items;  // no content: an empty page
    }

    static std::size_t items_count(const reply_type& reply) {
        return reply.no_content() || !reply.has_items ? 0 : reply.count;
    }

    const nlohmann::json& id_at(const reply_type& reply, std::size_t index) const {
        const std::optional<nlohmann::json>* id = index < reply.extras.size() ? &reply.extras[index] : nullptr;
        if (id == nullptr || !id->has_value()) {
            detail::bad_body(reply.raw, "expected item " + std::to_string(index) + " to have an item_id at '" +
                                            options_.item_id() + "'");
        }
        return **id;
    }

    std::optional<nlohmann::json> last_item_id(const reply_type& reply) const {
        const std::size_t count = items_count(reply);
        if (count == 0) return std::nullopt;
        return id_at(reply, count - 1);
    }

    std::array<const char*, 2> default_names() const noexcept {
        switch (options_.style()) {
            case offset_style::start_end: return {"_start", "_end"};
            case offset_style::page_number: return {"page", "per_page"};
            default: return {"offset", "limit"};
        }
    }

    // `count` items received for a request at `requested` (the page's position, or one item before it).
    std::optional<cursor_type> next_position(cursor_type position, cursor_type requested, std::uint64_t count,
                                             const std::optional<std::uint64_t>& total, const response& reply) const {
        if (count == 0) return std::nullopt;
        const std::uint64_t seen =
            by_page() ? (position - options_.first_page()) * options_.page_size() + count : requested + count;
        if (total) {
            if (seen >= *total) return std::nullopt;
            if (by_page() && count < options_.page_size()) {
                throw body_error(reply.url, reply.status,
                                 "expected " + std::to_string(options_.page_size()) + " items (page_size) before the "
                                 "announced total of " + std::to_string(*total) + ", got " +
                                 std::to_string(count) + ": is page_size above the API's maximum?",
                                 "");
            }
        } else if (count < options_.page_size()) {
            return std::nullopt;
        }
        return by_page() ? position + 1 : seen;
    }

    Transport* transport_;
    offset_options options_;
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer total_;
    nlohmann::json::json_pointer item_id_;
    // The previous page of this walk (each walk has its own copy of the fetcher).
    std::optional<walked> previous_;
    detail::previous_page_digest<cursor_type> digests_;  // by offset requested (with item_id)
    std::map<cursor_type, measured> unchecked_;            // by position: fetched, not yet in walk order
    std::optional<measured> last_checked_;                 // the page the walk handed out last (without item_id)
};

template <class T = nlohmann::json, transport Transport>
offset_fetcher<T, Transport> offset(Transport& transport,
                                    offset_options options) {  // offset_options(url).page_size(n): not {.url = ...}
    return offset_fetcher<T, Transport>(transport, std::move(options));
}
// A template, so that a braced list ({.url = u}) cannot reach it through std::string's constructors.
template <class T = nlohmann::json, transport Transport, std::convertible_to<std::string> Url>
offset_fetcher<T, Transport> offset(Transport& transport, Url&& url) {
    return offset<T>(transport, offset_options(std::string(std::forward<Url>(url))));
}

}  // namespace paged::http

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
PAGED_HTTP_COMPILED_WALK(extern, offset_fetcher);
#endif
