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

#include <paged/error.hpp>
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
    std::string param{};  // the query parameter that sends it back
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

private:
    std::vector<keyset_key> keys_{keyset_key{"/id", "starting_after"}};
    bool keys_set_ = false;
    std::string has_more_ = "/has_more";
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
        for (const keyset_key& key : options_.keys()) fields_.push_back(json_pointer_option(key.field, "keys"));
        (void)url(options_.url());
    }

    cursor_type first_cursor() const { return {}; }

    std::string fingerprint() const {
        std::string text = "keyset " + options_.url() + " " + std::to_string(options_.page_size()) + " items=" + options_.items();
        for (const keyset_key& key : options_.keys()) text += " " + key.field + "->" + key.param;
        return text;
    }

    task<page<T, cursor_type>> fetch(cursor_type after) {
        request outgoing(options_.url());
        outgoing.headers(options_.headers()).query(options_.size_param(), std::to_string(options_.page_size()));
        for (std::size_t i = 0; i < after.size() && i < options_.keys().size(); ++i) {
            outgoing.query(options_.keys()[i].param, after[i]);
        }
        detail::json_reply reply = co_await detail::exchange_json(*transport_, std::move(outgoing), options_.limits());
        if (reply.no_content()) {
            page<T, cursor_type> nothing;  // a named local, not a temporary: coroutine-hazards.md, row 2
            co_return nothing;
        }

        // The watermark is read from the JSON before the items are moved out of it.
        std::optional<cursor_type> next = watermark(reply);
        if (next && !after.empty() && *next == after) not_advancing(reply);
        page<T, cursor_type> result;
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        if (keep_going(reply, result.items.size(), next.has_value())) result.next = std::move(next);
        co_return result;
    }

private:
    std::optional<cursor_type> watermark(const detail::json_reply& reply) const {
        const nlohmann::json* array = detail::find(reply.body, items_);
        if (array == nullptr || !array->is_array() || array->empty()) return std::nullopt;
        const nlohmann::json& last = array->back();
        cursor_type keys;
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            auto value = string_at(last, fields_[i], reply.raw);
            if (!value) {
                throw body_error(reply.raw.url, reply.raw.status,
                                 "expected the last item to have a string or integer key at '" +
                                     options_.keys()[i].field + "'",
                                 detail::json_excerpt(last));
            }
            keys.push_back(std::move(*value));
        }
        return keys;
    }

    // A page that ends on the very item it was asked to start after holds nothing new (a server that ignores the key
    // parameters sends its first page again and again): reported before its items are handed out a second time.
    [[noreturn]] void not_advancing(const detail::json_reply& reply) const {
        throw pagination_error(pagination_failure::stalled_cursor,
                               "paged::http: " + reply.raw.url + " answered with a page that ends on the item it was "
                               "asked to start after: the walk is not advancing (does the API ignore '" +
                                   options_.keys().front().param + "'?)");
    }

    bool keep_going(const detail::json_reply& reply, std::size_t count, bool have_watermark) const {
        if (options_.has_more().empty()) return count >= options_.page_size();  // a server may ignore the size
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
