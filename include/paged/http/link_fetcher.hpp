#pragma once
// Next-link pagination: each response carries the URL of the next page, followed exactly as the server wrote it
// (the first request's query parameters are not merged into it), relative references resolved against the URL that
// answered.
//
//     auto issues = paged::http::next_link(client, "https://api.github.com/repos/o/r/issues?per_page=100");
//
// By default the URL is the RFC 8288 Link header's rel="next" (GitHub, json-server's _page, many others); with
// `next` set it is read from the body instead ("/next", "/links/next", "/paging/next"). No next link ends the walk.
//
// A page with the same items as the page before it, under another URL, is marked page::repeats_previous: a next link
// that changes a parameter the API ignores would otherwise serve page 1 forever (each URL is new, so the walk's cursor
// guard cannot see it). The walk's repeat_policy decides (error by default).

#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/detail/page_digest.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/link_header.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/http/url.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <concepts>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace paged::http {

//     paged::http::link_options(url).items("/data").next("/links/next")
class link_options : public detail::endpoint_options<link_options> {
public:
    // The first page, with its query (page size and filters).
    explicit link_options(std::string url) : endpoint_options(std::move(url), "") {}

    // JSON Pointer to the next URL in the body; "" (the default) follows the Link header.
    link_options& next(std::string pointer) & { return assign(next_, std::move(pointer)); }
    link_options&& next(std::string pointer) && { return std::move(next(std::move(pointer))); }
    const std::string& next() const noexcept { return next_; }

private:
    std::string next_;
};

template <class T, transport Transport>
class link_fetcher {
public:
    using value_type = T;
    using cursor_type = std::string;  // the absolute URL of a page

    link_fetcher(Transport& transport, link_options options)
        : transport_(&transport), options_(std::move(options)), first_(url(options_.url()).str()),
          home_(url(first_).origin()),
          items_(json_pointer_option(options_.items(), "items")), next_(json_pointer_option(options_.next(), "next")) {}

    cursor_type first_cursor() const { return first_; }

    std::string fingerprint() const {
        return "link " + first_ + " items=" + options_.items() + " next=" + options_.next();
    }

    task<page<T, cursor_type>> fetch(cursor_type page_url) {
        request outgoing(page_url);
        outgoing.headers(options_.headers()).home_origin(home_);
        response raw = co_await checked_send(*transport_, std::move(outgoing));
        auto reply = detail::decode_page<T>(std::move(raw), options_.limits(), items_, detail::digest_items::yes);

        page<T, cursor_type> result;
        if (const auto earlier = previous_.repeated_by(page_url, reply.digest)) {
            result.repeats_previous = detail::repeated_page_error(
                page_url, *earlier, "the parameter its next link moves");
        }
        if (!reply.no_content()) result.next = next_url(reply);
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        co_return result;
    }

private:
    std::optional<std::string> next_url(const detail::json_reply& reply) const {
        std::optional<std::string> reference;
        if (options_.next().empty()) {
            try {
                reference = find_link(reply.raw.headers.get_all("Link"), "next");
            } catch (const link_header_error& e) {
                throw header_error(reply.raw.url, reply.raw.status, std::string("expected a valid Link header: ") + e.what(),
                                   "");
            }
        } else {
            reference = string_at(reply.body, next_, reply.raw);
        }
        if (!reference) return std::nullopt;
        try {
            return url(reply.raw.url).resolve(*reference).str();
        } catch (const url_error& e) {
            const std::string expected = std::string("expected a usable next link: ") + e.what();
            if (options_.next().empty()) throw header_error(reply.raw.url, reply.raw.status, expected, "");
            throw body_error(reply.raw.url, reply.raw.status, expected, reply.raw.body);
        }
    }

    Transport* transport_;
    link_options options_;
    std::string first_;  // options_.url(), normalised
    std::string home_;   // its origin: where the walk's credentials may go (origin_policy.hpp)
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer next_;
    detail::previous_page_digest<std::string> previous_;  // of this walk (each walk has its own copy of the fetcher)
};

template <class T = nlohmann::json, transport Transport>
link_fetcher<T, Transport> next_link(Transport& transport,
                                     link_options options) {  // link_options(url).items("/data"): not {.url = ...}
    return link_fetcher<T, Transport>(transport, std::move(options));
}
// A template, so that a braced list ({.url = u}) cannot reach it through std::string's constructors.
template <class T = nlohmann::json, transport Transport, std::convertible_to<std::string> Url>
link_fetcher<T, Transport> next_link(Transport& transport, Url&& url) {
    return next_link<T>(transport, link_options(std::string(std::forward<Url>(url))));
}

}  // namespace paged::http

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
PAGED_HTTP_COMPILED_WALK(extern, link_fetcher);
#endif
