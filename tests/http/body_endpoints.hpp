#pragma once
// fake_api handlers for APIs that read a POSTed JSON body: a GraphQL relay connection and a Notion-style search.
// Like the handlers of paged/testing/fake_endpoints.hpp they check what they are sent as a server would, and answer
// a malformed request with an error rather than a guess.

#include <paged/http/message.hpp>
#include <paged/http/url.hpp>
#include <paged/testing/fake_api.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged_test {

// The request's body as JSON, when it is a POST of application/json; nullopt otherwise.
inline std::optional<nlohmann::json> posted_json(const paged::http::request& sent) {
    if (sent.method() != "POST" || sent.content_type() != "application/json") return std::nullopt;
    auto parsed = nlohmann::json::parse(sent.body(), nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    return parsed;
}

inline paged::http::response graphql_errors(const std::string& message) {
    nlohmann::json body;
    body["data"] = nullptr;
    body["errors"] = nlohmann::json::array();
    nlohmann::json error;
    error["message"] = message;
    body["errors"].push_back(error);
    return paged::testing::detail::json_response(body);
}

// A GraphQL endpoint serving `records` as the connection at `connection` ("/data/repository/issues"), cursors
// "cursor:<position>", as GitHub does: {"nodes": [...], "pageInfo": {"endCursor", "hasNextPage"}}.
inline paged::testing::fake_api::handler graphql_endpoint(std::vector<nlohmann::json> records,
                                                          std::string connection = "/data/repository/issues") {
    return [records = std::move(records), connection = std::move(connection)](const paged::http::request& sent,
                                                                                const paged::http::url&) {
        const auto posted = posted_json(sent);
        if (!posted || !posted->is_object() || !posted->contains("query") || !posted->at("query").is_string()) {
            return paged::testing::detail::bad_request("expected a POST of {\"query\": ..., \"variables\": ...}");
        }
        const auto variables = posted->value("variables", nlohmann::json());
        if (!variables.is_object() || !variables.contains("first") || !variables.at("first").is_number_unsigned() ||
            !variables.contains("after")) {
            return graphql_errors("Variables $first and $after must be provided");
        }
        const std::size_t first = variables.at("first").get<std::size_t>();
        std::size_t start = 0;
        const auto& after = variables.at("after");
        if (!after.is_null()) {
            const std::string text = after.is_string() ? after.get<std::string>() : "";
            const auto position = text.rfind("cursor:", 0) == 0 ? paged::http::detail::parse_count(text.substr(7))
                                                                : std::nullopt;
            if (!position || *position > records.size()) return graphql_errors("`" + text + "` is not a valid cursor");
            start = static_cast<std::size_t>(*position);
        }
        const std::size_t end = std::min(records.size(), start + first);
        nlohmann::json page;
        page["nodes"] = nlohmann::json::array();
        for (std::size_t i = start; i < end; ++i) page["nodes"].push_back(records[i]);
        page["pageInfo"]["hasNextPage"] = end < records.size();
        page["pageInfo"]["endCursor"] = "cursor:" + std::to_string(end);
        nlohmann::json body;
        body[nlohmann::json::json_pointer(connection)] = std::move(page);
        return paged::testing::detail::json_response(body);
    };
}

// Notion's search: POST {"page_size": n, "start_cursor"?: token, ...} -> {"results", "next_cursor", "has_more"}.
inline paged::testing::fake_api::handler search_endpoint(std::vector<nlohmann::json> records) {
    return [records = std::move(records)](const paged::http::request& sent, const paged::http::url&) {
        const auto posted = posted_json(sent);
        if (!posted || !posted->is_object() || !posted->contains("page_size") ||
            !posted->at("page_size").is_number_unsigned()) {
            return paged::testing::detail::bad_request("expected a POST of {\"page_size\": n, ...}");
        }
        std::size_t start = 0;
        if (posted->contains("start_cursor")) {
            const auto& cursor = posted->at("start_cursor");
            const std::string text = cursor.is_string() ? cursor.get<std::string>() : "";
            const auto position = text.rfind("s-", 0) == 0 ? paged::http::detail::parse_count(text.substr(2))
                                                           : std::nullopt;
            if (!position || *position > records.size()) return paged::testing::detail::bad_request("bad start_cursor");
            start = static_cast<std::size_t>(*position);
        }
        const std::size_t end = std::min(records.size(), start + posted->at("page_size").get<std::size_t>());
        nlohmann::json body;
        body["results"] = nlohmann::json::array();
        for (std::size_t i = start; i < end; ++i) body["results"].push_back(records[i]);
        body["has_more"] = end < records.size();
        body["next_cursor"] = end < records.size() ? nlohmann::json("s-" + std::to_string(end)) : nlohmann::json();
        return paged::testing::detail::json_response(body);
    };
}

}  // namespace paged_test
