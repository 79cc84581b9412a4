#pragma once
// Keyset pagination: the next page starts after the last item received, named by some of its fields.
//
// Stripe (the defaults): ?limit=100&starting_after=<id of the last item>, items at /data, until has_more is false.
//     auto charges = paged::http::keyset<charge>(client, {.url = "https://api.stripe.com/v1/charges"});
//
// A watermark of several fields, for a list ordered by created_at with id breaking ties: rows that share a
// timestamp across a page boundary are neither skipped nor repeated, because the server compares the pair.
//     auto events = paged::http::keyset(client, {.url = u, .items = "",
//         .keys = {{"/created_at", "after_created_at"}, {"/id", "after_id"}}, .has_more = ""});
//
// Without `has_more`, an empty page or one shorter than page_size ends the walk.

#include <paged/http/detail/exchange.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

struct keyset_key {
    std::string field{};  // JSON Pointer into an item
    std::string param{};  // the query parameter that sends it back
};

// Every member has an initializer: see walk_options (GCC PR 96868).
struct keyset_options {
    std::string url{};
    http::headers headers{};
    std::string items = "/data";
    std::vector<keyset_key> keys = {{"/id", "starting_after"}};
    std::string has_more = "/has_more";  // "" when the API has no such flag
    std::size_t page_size = 100;
    std::string size_param = "limit";
};

template <class T, transport Transport>
class keyset_fetcher {
public:
    using value_type = T;
    using cursor_type = std::vector<std::string>;  // the keys of the last item received; empty for the first page

    keyset_fetcher(Transport& transport, keyset_options options)
        : transport_(&transport), options_(std::move(options)), items_(json_pointer_option(options_.items, "items")),
          has_more_(json_pointer_option(options_.has_more, "has_more")) {
        if (options_.keys.empty()) throw std::invalid_argument("paged::http::keyset: no keys");
        if (options_.page_size == 0) throw std::invalid_argument("paged::http::keyset: page_size must be positive");
        for (const keyset_key& key : options_.keys) fields_.push_back(json_pointer_option(key.field, "keys"));
        (void)url(options_.url);
    }

    cursor_type first_cursor() const { return {}; }

    std::string fingerprint() const {
        std::string text = "keyset " + options_.url + " " + std::to_string(options_.page_size) + " items=" + options_.items;
        for (const keyset_key& key : options_.keys) text += " " + key.field + "->" + key.param;
        return text;
    }

    task<page<T, cursor_type>> fetch(cursor_type after) {
        request outgoing;
        outgoing.url = options_.url;
        outgoing.headers = options_.headers;
        outgoing.query.emplace_back(options_.size_param, std::to_string(options_.page_size));
        for (std::size_t i = 0; i < after.size() && i < options_.keys.size(); ++i) {
            outgoing.query.emplace_back(options_.keys[i].param, after[i]);
        }
        detail::json_reply reply = co_await detail::exchange_json(*transport_, std::move(outgoing));
        if (reply.no_content()) {
            page<T, cursor_type> nothing;  // a named local, not a temporary: coroutine-hazards.md, row 2
            co_return nothing;
        }

        // The watermark is read from the JSON before the items are moved out of it.
        std::optional<cursor_type> next = watermark(reply);
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
                                     options_.keys[i].field + "'",
                                 last.dump());
            }
            keys.push_back(std::move(*value));
        }
        return keys;
    }

    bool keep_going(const detail::json_reply& reply, std::size_t count, bool have_watermark) const {
        if (options_.has_more.empty()) return count >= options_.page_size;  // a server may ignore the size
        const bool more = bool_at(reply.body, has_more_, reply.raw);
        if (more && !have_watermark) {
            throw pagination_error(pagination_failure::has_more_without_cursor,
                                   "paged::http: " + reply.raw.url + " says " + options_.has_more +
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
keyset_fetcher<T, Transport> keyset(Transport& transport, keyset_options options) {
    return keyset_fetcher<T, Transport>(transport, std::move(options));
}

}  // namespace paged::http
