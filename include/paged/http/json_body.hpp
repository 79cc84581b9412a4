#pragma once
// Reading JSON responses with nlohmann_json: items found by a JSON Pointer ("" for a top-level array, "/data",
// "/items") and decoded to T through nlohmann's from_json; cursors, flags and counts read from other pointers.
// Whatever does not match what the strategy expects is a body_error naming the URL, status, pointer and body.

#include <paged/http/error.hpp>
#include <paged/http/message.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paged::http {

// A pointer option of a strategy, checked when the fetcher is built rather than at the first response.
inline nlohmann::json::json_pointer json_pointer_option(const std::string& text, const char* option) {
    try {
        return nlohmann::json::json_pointer(text);
    } catch (const nlohmann::json::exception& e) {
        throw usage_error(std::string("paged::http: option ") + option + " = '" + text +
                          "' is not a JSON Pointer (\"\" or \"/a/b\"): " + e.what());
    }
}

namespace detail {

[[noreturn]] inline void bad_body(const response& reply, const std::string& expected) {
    throw body_error(reply.url, reply.status, expected, reply.body);
}

inline const nlohmann::json* find(const nlohmann::json& body, const nlohmann::json::json_pointer& at) {
    return body.contains(at) ? &body.at(at) : nullptr;
}

}  // namespace detail

inline nlohmann::json parse_json_body(const response& reply) {
    nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) detail::bad_body(reply, "expected a JSON body");
    return body;
}

// The array at `at`, each element decoded to T (moved out when T is nlohmann::json).
template <class T>
std::vector<T> take_items(nlohmann::json& body, const nlohmann::json::json_pointer& at, const response& reply) {
    if (!body.contains(at) || !body.at(at).is_array()) {
        detail::bad_body(reply, "expected a JSON array of items at pointer '" + at.to_string() + "'");
    }
    auto& array = body.at(at);
    std::vector<T> items;
    items.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        if constexpr (std::is_same_v<T, nlohmann::json>) {
            items.push_back(std::move(array[i]));
        } else {
            try {
                items.push_back(array[i].template get<T>());
            } catch (const nlohmann::json::exception& e) {
                detail::bad_body(reply, "item " + std::to_string(i) + " at '" + at.to_string() +
                                            "' does not decode: " + e.what());
            }
        }
    }
    return items;
}

// A cursor or URL: empty when absent, null or "" (all three mean "no more"); numbers are taken as their text.
inline std::optional<std::string> string_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at,
                                            const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || found->is_null()) return std::nullopt;
    if (found->is_number_integer()) return found->dump();
    if (!found->is_string()) detail::bad_body(reply, "expected a string or null at '" + at.to_string() + "'");
    auto text = found->get<std::string>();
    if (text.empty()) return std::nullopt;
    return text;
}

// A flag the strategy needs (has_more): anything but true or false is an error.
inline bool bool_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at, const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || !found->is_boolean()) {
        detail::bad_body(reply, "expected true or false at '" + at.to_string() + "'");
    }
    return found->get<bool>();
}

inline std::optional<std::uint64_t> count_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at,
                                             const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || found->is_null()) return std::nullopt;
    if (!found->is_number_unsigned()) detail::bad_body(reply, "expected a count at '" + at.to_string() + "'");
    return found->get<std::uint64_t>();
}

}  // namespace paged::http
