#pragma once
// Cursor (continuation token) pagination: each response names the page after it, and the request sends that token
// back.
//
//     auto api = paged::http::cursor(client, paged::http::cursor_options("https://slack.com/api/users.list")
//                                                .items("/members").next("/response_metadata/next_cursor"));
//
// The token is read from a JSON Pointer into the body (`next`), or from a response header (`next_header`). An
// absent, null or empty token ends the walk. With `has_more` (a pointer to a boolean), false ends the walk and true
// without a token is a pagination_error. Short pages do not end a cursor walk: Slack, for one, may return fewer
// items than asked while more remain.
//
// Search APIs that take their cursor in a POSTed JSON body (Notion's /v1/search, /v1/databases/{id}/query):
//
//     paged::http::cursor_options("https://api.notion.com/v1/search")
//         .body(filter).cursor_in_body("/start_cursor").size_in_body("/page_size")
//         .items("/results").next("/next_cursor").has_more("/has_more")
//
// GraphQL connections have their own strategy: graphql_fetcher.hpp.

#include <paged/error.hpp>
#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/detail/page_digest.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace paged::http {

//     paged::http::cursor_options(url).items("/members").next("/response_metadata/next_cursor")
class cursor_options : public detail::sized_endpoint_options<cursor_options> {
public:
    // size_param "limit"; "" sends no page size.
    explicit cursor_options(std::string url) : sized_endpoint_options(std::move(url), "/data", "limit") {}

    // JSON Pointer to the next token in the body ("/next_cursor").
    cursor_options& next(std::string pointer) & { return assign(next_, std::move(pointer)); }
    cursor_options&& next(std::string pointer) && { return std::move(next(std::move(pointer))); }
    const std::string& next() const noexcept { return next_; }

    // If set, the token comes from this response header instead of the body.
    cursor_options& next_header(std::string name) & { return assign(next_header_, std::move(name)); }
    cursor_options&& next_header(std::string name) && { return std::move(next_header(std::move(name))); }
    const std::string& next_header() const noexcept { return next_header_; }

    // Optional JSON Pointer to a "there is more" boolean.
    cursor_options& has_more(std::string pointer) & { return assign(has_more_, std::move(pointer)); }
    cursor_options&& has_more(std::string pointer) && { return std::move(has_more(std::move(pointer))); }
    const std::string& has_more() const noexcept { return has_more_; }

    // The parameter that sends the token back ("cursor").
    cursor_options& cursor_param(std::string name) & { return assign(cursor_param_, std::move(name)); }
    cursor_options&& cursor_param(std::string name) && { return std::move(cursor_param(std::move(name))); }
    const std::string& cursor_param() const noexcept { return cursor_param_; }

    // A JSON object POSTed (application/json) with every page instead of a GET. The token and the page size go into
    // it where cursor_in_body and size_in_body point (the first page has no token there), or else into the query as
    // without a body.
    cursor_options& body(nlohmann::json object) & {
        if (!object.is_object()) throw usage_error("paged::http::cursor_options: body must be a JSON object");
        return assign(body_, std::optional<nlohmann::json>(std::move(object)));
    }
    cursor_options&& body(nlohmann::json object) && { return std::move(body(std::move(object))); }
    const std::optional<nlohmann::json>& body() const noexcept { return body_; }

    // JSON Pointers into body() where the token ("/start_cursor") and the page size ("/page_size") are written.
    cursor_options& cursor_in_body(std::string pointer) & { return assign(cursor_in_body_, std::move(pointer)); }
    cursor_options&& cursor_in_body(std::string pointer) && { return std::move(cursor_in_body(std::move(pointer))); }
    const std::string& cursor_in_body() const noexcept { return cursor_in_body_; }
    cursor_options& size_in_body(std::string pointer) & { return assign(size_in_body_, std::move(pointer)); }
    cursor_options&& size_in_body(std::string pointer) && { return std::move(size_in_body(std::move(pointer))); }
    const std::string& size_in_body() const noexcept { return size_in_body_; }

    // Whether a POSTed page may be sent again after a 503 or a reset connection (true). A search only reads, so
    // repeating it is harmless and a walk survives the same faults a GET walk does; say false for an API whose
    // "search" changes something (a scroll that consumes its token on the server, for one).
    cursor_options& idempotent(bool repeatable) & { return assign(idempotent_, repeatable); }
    cursor_options&& idempotent(bool repeatable) && { return std::move(idempotent(repeatable)); }
    bool idempotent() const noexcept { return idempotent_; }

private:
    std::string next_ = "/next_cursor";
    std::string next_header_;
    std::string has_more_;
    std::string cursor_param_ = "cursor";
    std::optional<nlohmann::json> body_;
    std::string cursor_in_body_;
    std::string size_in_body_;
    bool idempotent_ = true;
};

template <class T, transport Transport>
class cursor_fetcher {
public:
    using value_type = T;
    using cursor_type = std::string;  // "" is the first page (no token sent)

    cursor_fetcher(Transport& transport, cursor_options options)
        : transport_(&transport), options_(std::move(options)), items_(json_pointer_option(options_.items(), "items")),
          next_(json_pointer_option(options_.next(), "next")),
          has_more_(json_pointer_option(options_.has_more(), "has_more")),
          cursor_in_body_(body_pointer(options_.cursor_in_body(), "cursor_in_body")),
          size_in_body_(body_pointer(options_.size_in_body(), "size_in_body")) {
        (void)url(options_.url());
    }

    cursor_type first_cursor() const { return {}; }

    std::string fingerprint() const {
        std::string text = "cursor " + options_.url() + " " + options_.cursor_param() + " " + options_.size_param() +
                           "=" + std::to_string(options_.page_size()) + " items=" + options_.items();
        if (options_.body()) {
            text += " body=" + options_.body()->dump() + " cursor_in_body=" + options_.cursor_in_body() +
                    " size_in_body=" + options_.size_in_body();
        }
        return text;
    }

    task<page<T, cursor_type>> fetch(cursor_type token) {
        request outgoing(options_.url());
        outgoing.headers(options_.headers());
        if (!options_.size_param().empty() && !size_in_body_) {
            outgoing.query(options_.size_param(), std::to_string(options_.page_size()));
        }
        if (!token.empty() && !cursor_in_body_) outgoing.query(options_.cursor_param(), token);
        if (options_.body()) {
            nlohmann::json payload = *options_.body();
            if (size_in_body_) payload[*size_in_body_] = options_.page_size();
            if (cursor_in_body_ && !token.empty()) payload[*cursor_in_body_] = token;
            outgoing.method("POST").body(payload.dump(), "application/json").idempotent(options_.idempotent());
        }
        response raw = co_await checked_send(*transport_, std::move(outgoing));
        auto reply = detail::decode_page<T>(std::move(raw), options_.limits(), items_, detail::digest_items::yes);

        page<T, cursor_type> result;
        // A server that ignores the token and makes up a fresh one each time never repeats a token, so the walk's
        // guard cannot see it: the items can.
        if (const auto earlier = previous_.repeated_by(token, reply.digest)) {
            result.repeats_previous = detail::repeated_page_error(reply.raw.url, "token '" + *earlier + "'",
                                                                  "'" + options_.cursor_param() + "'");
        }
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        if (!reply.no_content()) next_token(reply, result);
        co_return result;
    }

private:
    // Checked against the body now, so that a pointer through an array or a string is a usage_error here rather
    // than a JSON exception at the first page.
    std::optional<nlohmann::json::json_pointer> body_pointer(const std::string& text, const char* option) const {
        if (text.empty()) return std::nullopt;
        if (!options_.body()) {
            throw usage_error(std::string("paged::http::cursor_options: ") + option + " needs a body() to write into");
        }
        auto pointer = json_pointer_option(text, option);
        nlohmann::json trial = *options_.body();
        try {
            trial[pointer] = 0;
        } catch (const nlohmann::json::exception& e) {
            throw usage_error(std::string("paged::http::cursor_options: ") + option + " = '" + text +
                              "' cannot be written into the body: " + e.what());
        }
        return pointer;
    }

    void next_token(const detail::json_reply& reply, page<T, cursor_type>& result) const {
        std::optional<std::string> token;
        if (!options_.next_header().empty()) {
            if (const auto value = reply.raw.headers.get(options_.next_header()); value && !value->empty()) {
                token = std::string(*value);
            }
        } else {
            token = string_at(reply.body, next_, reply.raw);
        }
        if (options_.has_more().empty()) {
            result.next = std::move(token);
            return;
        }
        if (!bool_at(reply.body, has_more_, reply.raw)) return;
        if (!token) {
            // The page itself is good: the walk hands it out before it reports the dead end.
            result.error_after = std::make_exception_ptr(pagination_error(
                pagination_failure::has_more_without_cursor,
                "paged::http: " + reply.raw.url + " says " + options_.has_more() + " is true but gives no next cursor at " +
                    (options_.next_header().empty() ? options_.next() : options_.next_header())));
        }
        result.next = std::move(token);
    }

    Transport* transport_;
    cursor_options options_;
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer next_;
    nlohmann::json::json_pointer has_more_;
    std::optional<nlohmann::json::json_pointer> cursor_in_body_;
    std::optional<nlohmann::json::json_pointer> size_in_body_;
    detail::previous_page_digest<std::string> previous_;  // of this walk (each walk has its own copy of the fetcher)
};

template <class T = nlohmann::json, transport Transport>
cursor_fetcher<T, Transport> cursor(Transport& transport,
                                    cursor_options options) {  // cursor_options(url).next("/next"): not {.url = ...}
    return cursor_fetcher<T, Transport>(transport, std::move(options));
}
// A template, so that a braced list ({.url = u}) cannot reach it through std::string's constructors.
template <class T = nlohmann::json, transport Transport, std::convertible_to<std::string> Url>
cursor_fetcher<T, Transport> cursor(Transport& transport, Url&& url) {
    return cursor<T>(transport, cursor_options(std::string(std::forward<Url>(url))));
}

}  // namespace paged::http

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
PAGED_HTTP_COMPILED_WALK(extern, cursor_fetcher);
#endif
