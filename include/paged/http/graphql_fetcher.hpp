#pragma once
// GraphQL relay pagination (the Relay "connection" convention GitHub, Shopify and most GraphQL APIs follow): each page
// is a POST of the query with `first` and `after` among its variables, and the connection answers with its nodes and
//     pageInfo { endCursor hasNextPage }
//
//     auto issues = paged::http::graphql(client, paged::http::graphql_options("https://api.github.com/graphql", query,
//                                                                             "/data/repository/issues")
//                                                    .variables(owner_and_name).page_size(100));
//
// The query must declare `$first: Int` and `$after: String` and pass them to the connection. Each request's body is
//     {"query": <query>, "variables": {<your variables>, "first": <page_size>, "after": <cursor, null on page one>}}
// sent as application/json. Items are read at <connection>/nodes (`.items()` picks another array, edges for one).
// hasNextPage false ends the walk; true without an endCursor is a pagination_error once the page is handed out.
//
// A 200 answer carrying a non-empty top-level "errors" array is a graphql_error (a body_error) naming the URL and the
// first error's message, also when "data" came along with it: a partial answer may have nulls where nodes failed,
// and a walk that hands out what it could read would no longer be exact.

#include <paged/error.hpp>
#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/detail/endpoint_options.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/detail/page_digest.hpp>
#include <paged/http/error.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/page.hpp>
#include <paged/pagination_error.hpp>
#include <paged/task.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

// A GraphQL server answered with errors (RFC-less but universal: {"errors": [{"message": ...}, ...]}). messages()
// has every message, in order; what() names the first.
class graphql_error : public body_error {
public:
    graphql_error(const std::string& url, int status, std::vector<std::string> messages, std::string_view body)
        : body_error(url, status, describe(messages), body), messages_(std::move(messages)) {}
    const std::vector<std::string>& messages() const noexcept { return messages_; }

private:
    static std::string describe(const std::vector<std::string>& messages) {
        std::string text = "expected GraphQL data, got errors: " + detail::body_excerpt(messages.front());
        if (messages.size() > 1) text += " (and " + std::to_string(messages.size() - 1) + " more)";
        return text;
    }

    std::vector<std::string> messages_;
};

//     paged::http::graphql_options(url, query, "/data/repository/issues").variables(vars).page_size(50)
//
// Every page is POSTed and marked idempotent: a GraphQL *query* only reads, so the client's retry policy may send it
// again after a 503 or a reset connection. A mutation is not a page source; do not walk one.
class graphql_options : public detail::endpoint_options<graphql_options> {
public:
    // `connection`: JSON Pointer to the connection object in the answer ("/data/repository/issues").
    graphql_options(std::string url, std::string query, std::string connection)
        : endpoint_options(std::move(url), connection + "/nodes"), query_(std::move(query)),
          connection_(std::move(connection)) {}

    const std::string& query() const noexcept { return query_; }
    const std::string& connection() const noexcept { return connection_; }

    // The query's own variables ({"owner": "o", "name": "r"}): a JSON object, sent with every page beside the
    // walk's size and cursor variables, which it must not contain.
    graphql_options& variables(nlohmann::json object) & {
        if (!object.is_object()) throw usage_error("paged::http::graphql_options: variables must be a JSON object");
        return assign(variables_, std::move(object));
    }
    graphql_options&& variables(nlohmann::json object) && { return std::move(variables(std::move(object))); }
    const nlohmann::json& variables() const noexcept { return variables_; }

    // Nodes asked for per page, sent as the size variable (100, GitHub's maximum).
    graphql_options& page_size(std::size_t count) & {
        if (count == 0) throw usage_error("paged::http::graphql_options: page_size must be positive");
        return assign(page_size_, count);
    }
    graphql_options&& page_size(std::size_t count) && { return std::move(page_size(count)); }
    std::size_t page_size() const noexcept { return page_size_; }

    // The variable names the query gives the page size and the cursor ("first", "after").
    graphql_options& size_variable(std::string name) & { return assign(size_variable_, std::move(name)); }
    graphql_options&& size_variable(std::string name) && { return std::move(size_variable(std::move(name))); }
    const std::string& size_variable() const noexcept { return size_variable_; }
    graphql_options& cursor_variable(std::string name) & { return assign(cursor_variable_, std::move(name)); }
    graphql_options&& cursor_variable(std::string name) && { return std::move(cursor_variable(std::move(name))); }
    const std::string& cursor_variable() const noexcept { return cursor_variable_; }

private:
    std::string query_;
    std::string connection_;
    nlohmann::json variables_ = nlohmann::json::object();
    std::size_t page_size_ = 100;
    std::string size_variable_ = "first";
    std::string cursor_variable_ = "after";
};

template <class T, transport Transport>
class graphql_fetcher {
public:
    using value_type = T;
    using cursor_type = std::string;  // "" is the first page (after: null)

    graphql_fetcher(Transport& transport, graphql_options options)
        : transport_(&transport), options_(std::move(options)), items_(json_pointer_option(options_.items(), "items")),
          end_cursor_(json_pointer_option(options_.connection() + "/pageInfo/endCursor", "connection")),
          has_next_(json_pointer_option(options_.connection() + "/pageInfo/hasNextPage", "connection")) {
        (void)url(options_.url());
        if (options_.query().empty()) throw usage_error("paged::http::graphql_options: the query is empty");
        for (const std::string* name : {&options_.size_variable(), &options_.cursor_variable()}) {
            if (name->empty() || options_.variables().contains(*name)) {
                throw usage_error("paged::http::graphql_options: the variable '" + *name +
                                  "' is the walk's own (page size or cursor): leave it out of variables()");
            }
        }
    }

    cursor_type first_cursor() const { return {}; }

    // The whole query is in it: checkpoints keep only fingerprint_of() this text, stable across processes and machines.
    std::string fingerprint() const {
        return "graphql " + options_.url() + " query=" + options_.query() + " variables=" + options_.variables().dump() +
               " " + options_.size_variable() + "=" + std::to_string(options_.page_size()) + " " +
               options_.cursor_variable() + " connection=" + options_.connection() + " items=" + options_.items();
    }

    task<page<T, cursor_type>> fetch(cursor_type token) {
        nlohmann::json variables = options_.variables();
        variables[options_.size_variable()] = options_.page_size();
        if (token.empty()) {
            variables[options_.cursor_variable()] = nullptr;
        } else {
            variables[options_.cursor_variable()] = token;
        }
        nlohmann::json payload = nlohmann::json::object();
        payload["query"] = options_.query();
        payload["variables"] = std::move(variables);
        request outgoing(options_.url());
        outgoing.method("POST").headers(options_.headers()).body(payload.dump(), "application/json").idempotent(true);
        response raw = co_await checked_send(*transport_, std::move(outgoing));
        auto reply = detail::decode_page<T>(std::move(raw), options_.limits(), items_, detail::digest_items::yes);
        refuse_errors(reply);

        page<T, cursor_type> result;
        if (const auto earlier = previous_.repeated_by(token, reply.digest)) {
            result.repeats_previous = detail::repeated_page_error(reply.raw.url, "after '" + *earlier + "'",
                                                                  "$" + options_.cursor_variable());
        }
        result.items = detail::items_of<T>(reply, items_);
        result.bytes = reply.raw.body.size();
        if (!bool_at(reply.body, has_next_, reply.raw)) co_return result;
        result.next = string_at(reply.body, end_cursor_, reply.raw);
        if (!result.next) {
            // The page itself is good: the walk hands it out before it reports the dead end.
            result.error_after = std::make_exception_ptr(pagination_error(
                pagination_failure::has_more_without_cursor,
                "paged::http: " + reply.raw.url + " says " + options_.connection() +
                    "/pageInfo/hasNextPage is true but gives no endCursor"));
        }
        co_return result;
    }

private:
    static void refuse_errors(const detail::json_reply& reply) {
        if (reply.no_content() || !reply.body.is_object()) return;
        const auto errors = reply.body.find("errors");
        if (errors == reply.body.end() || errors->is_null()) return;
        if (!errors->is_array()) detail::bad_body(reply.raw, "expected \"errors\" to be an array");
        if (errors->empty()) return;
        std::vector<std::string> messages;
        messages.reserve(errors->size());
        for (const nlohmann::json& entry : *errors) {
            const auto message = entry.find("message");  // end() for anything but an object
            if (message != entry.end() && message->is_string()) {
                messages.push_back(message->get<std::string>());
            } else {
                messages.push_back(detail::json_excerpt(entry));
            }
        }
        throw graphql_error(reply.raw.url, reply.raw.status, std::move(messages), reply.raw.body);
    }

    Transport* transport_;
    graphql_options options_;
    nlohmann::json::json_pointer items_;
    nlohmann::json::json_pointer end_cursor_;
    nlohmann::json::json_pointer has_next_;
    detail::previous_page_digest<std::string> previous_;  // of this walk (each walk has its own copy of the fetcher)
};

template <class T = nlohmann::json, transport Transport>
graphql_fetcher<T, Transport> graphql(Transport& transport, graphql_options options) {  // not {.url = ...}
    return graphql_fetcher<T, Transport>(transport, std::move(options));
}

}  // namespace paged::http

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
PAGED_HTTP_COMPILED_WALK(extern, graphql_fetcher);
#endif
