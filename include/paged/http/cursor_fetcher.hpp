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
// relay_options() sets it up for GraphQL relay-style connections: pageInfo { endCursor hasNextPage } and nodes.

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

private:
    std::string next_ = "/next_cursor";
    std::string next_header_;
    std::string has_more_;
    std::string cursor_param_ = "cursor";
};

// A GraphQL relay connection at `connection` ("/data/repository/issues"): items at <connection>/nodes, the token
// at <connection>/pageInfo/endCursor, hasNextPage beside it; the token goes back as `after`, the size as `first`.
inline cursor_options relay_options(std::string url, const std::string& connection) {
    return cursor_options(std::move(url))
        .items(connection + "/nodes")
        .next(connection + "/pageInfo/endCursor")
        .has_more(connection + "/pageInfo/hasNextPage")
        .cursor_param("after")
        .size_param("first");
}

template <class T, transport Transport>
class cursor_fetcher {
public:
    using value_type = T;
    using cursor_type = std::string;  // "" is the first page (no token sent)

    cursor_fetcher(Transport& transport, cursor_options options)
        : transport_(&transport), options_(std::move(options)), items_(json_pointer_option(options_.items(), "items")),
          next_(json_pointer_option(options_.next(), "next")),
          has_more_(json_pointer_option(options_.has_more(), "has_more")) {
        (void)url(options_.url());
    }

    cursor_type first_cursor() const { return {}; }

    std::string fingerprint() const {
        return "cursor " + options_.url() + " " + options_.cursor_param() + " " + options_.size_param() + "=" +
               std::to_string(options_.page_size()) + " items=" + options_.items();
    }

    task<page<T, cursor_type>> fetch(cursor_type token) {
        request outgoing(options_.url());
        outgoing.headers(options_.headers());
        if (!options_.size_param().empty()) outgoing.query(options_.size_param(), std::to_string(options_.page_size()));
        if (!token.empty()) outgoing.query(options_.cursor_param(), token);
        detail::json_reply reply = co_await detail::exchange_json(*transport_, std::move(outgoing), options_.limits());

        page<T, cursor_type> result;
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        if (!reply.no_content()) next_token(reply, result);
        co_return result;
    }

private:
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
