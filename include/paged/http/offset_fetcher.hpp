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

#include <paged/error.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/checkpoint.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <concepts>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

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

private:
    offset_style style_ = offset_style::limit_offset;
    std::string position_param_;
    std::uint64_t first_page_ = 1;
    std::string total_;
};

template <class T, transport Transport>
class offset_fetcher {
public:
    using value_type = T;
    using cursor_type = std::uint64_t;  // an item offset, or a page number for page_number

    offset_fetcher(Transport& transport, offset_options options)
        : transport_(&transport), options_(std::move(options)),
          items_(json_pointer_option(options_.items(), "items")), total_(json_pointer_option(options_.total(), "total")) {
        if (options_.page_size() == 0) throw usage_error("paged::http::offset: page_size must be positive");
        (void)url(options_.url());  // a bad URL fails here, not at the first fetch
        if (options_.position_param().empty()) options_.position_param(default_names()[0]);
        if (options_.size_param().empty()) options_.size_param(default_names()[1]);
    }

    cursor_type first_cursor() const { return by_page() ? options_.first_page() : 0; }

    std::string fingerprint() const {
        return "offset " + options_.url() + " " + options_.position_param() + "/" + options_.size_param() + " style=" +
               std::to_string(static_cast<int>(options_.style())) + " first_page=" + std::to_string(options_.first_page()) +
               " " + std::to_string(options_.page_size()) + " items=" + options_.items();
    }

    task<page<T, cursor_type>> fetch(cursor_type position) {
        const auto size =
            options_.style() == offset_style::start_end ? position + options_.page_size() : options_.page_size();
        request outgoing(options_.url());
        outgoing.headers(options_.headers())
            .query(options_.position_param(), std::to_string(position))
            .query(options_.size_param(), std::to_string(size));
        detail::json_reply reply = co_await detail::exchange_json(*transport_, std::move(outgoing), options_.limits());

        check_not_ignored(position, reply.raw);
        page<T, cursor_type> result;
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        result.total = detail::total_from_headers(reply.raw);
        if (!options_.total().empty() && !reply.no_content()) {
            if (auto total = count_at(reply.body, total_, reply.raw)) result.total = total;
        }
        result.next = next_position(position, result, reply.raw);
        co_return result;
    }

private:
    bool by_page() const noexcept { return options_.style() == offset_style::page_number; }

    // Offsets are computed here, so the walk's cursor guard cannot see a server that ignores them (a misspelt
    // parameter) and serves page 1 again and again: two different positions answered with the same body, or a
    // Content-Range that starts elsewhere, are reported instead of handed out as new records.
    void check_not_ignored(cursor_type position, const response& reply) {
        const auto body_hash = fingerprint_of(reply.body);
        if (previous_ && previous_->first != position && previous_->second == body_hash && !reply.body.empty()) {
            throw pagination_error(pagination_failure::repeated_page,
                                   "paged::http: " + reply.url + " answered exactly as for " + options_.position_param() +
                                       "=" + std::to_string(previous_->first) + ": does the API ignore '" +
                                       options_.position_param() + "'?");
        }
        previous_.emplace(position, body_hash);
        if (by_page()) return;
        const auto range = reply.headers.get("Content-Range");
        const auto parsed = range ? parse_content_range(*range) : std::nullopt;
        if (parsed && parsed->first && *parsed->first != position) {
            throw header_error(reply.url, reply.status,
                               "expected Content-Range to start at " + std::to_string(position) + ", got '" +
                                   std::string(*range) + "': does the API ignore '" + options_.position_param() + "'?",
                               "");
        }
    }

    std::array<const char*, 2> default_names() const noexcept {
        switch (options_.style()) {
            case offset_style::start_end: return {"_start", "_end"};
            case offset_style::page_number: return {"page", "per_page"};
            default: return {"offset", "limit"};
        }
    }

    std::optional<cursor_type> next_position(cursor_type position, const page<T, cursor_type>& fetched,
                                             const response& reply) const {
        const std::uint64_t count = fetched.items.size();
        if (count == 0) return std::nullopt;
        const std::uint64_t seen =
            by_page() ? (position - options_.first_page()) * options_.page_size() + count : position + count;
        if (fetched.total) {
            if (seen >= *fetched.total) return std::nullopt;
            if (by_page() && count < options_.page_size()) {
                throw body_error(reply.url, reply.status,
                                 "expected " + std::to_string(options_.page_size()) + " items (page_size) before the "
                                 "announced total of " + std::to_string(*fetched.total) + ", got " +
                                 std::to_string(count) + ": is page_size above the API's maximum?",
                                 "");
            }
        } else if (count < options_.page_size()) {
            return std::nullopt;
        }
        return by_page() ? position + 1 : position + count;
    }

    Transport* transport_;
    offset_options options_;
    std::optional<std::pair<cursor_type, std::uint64_t>> previous_;  // position and body hash of the last page
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer total_;
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
