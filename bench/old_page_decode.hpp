#pragma once
// The page decoding the HTTP strategies used before issue 12, kept here verbatim (renamed) as the baseline of
// page_decode_bench.cpp and large_page_memory.cpp: the whole body parsed into a DOM by a bounded SAX builder, then the
// array at a pointer converted to T, and the items' digest taken from the raw body or dump() of the array. A copy, not
// the library's parse_json_body/take_items, so that the baseline stays what it was whatever the library becomes.

#include <paged/http/detail/page_digest.hpp>
#include <paged/http/error.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/message.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace old_decode {

using paged::http::json_limits;
using paged::http::response;

// Builds nlohmann's DOM from its SAX events, counting depth and estimated memory on the way, so that a body over a
// limit is refused part-way instead of built whole first. An event that returns false stops the parse.
class bounded_json_builder {
public:
    using json = nlohmann::json;

    bounded_json_builder(json& root, const json_limits& limits) : root_(&root), limits_(limits) {}

    bool null() { return place(nullptr) != nullptr; }
    bool boolean(bool value) { return place(value) != nullptr; }
    bool number_integer(json::number_integer_t value) { return place(value) != nullptr; }
    bool number_unsigned(json::number_unsigned_t value) { return place(value) != nullptr; }
    bool number_float(json::number_float_t value, const json::string_t& /*text*/) { return place(value) != nullptr; }
    // Strings and keys are copied, not moved: they are the lexer's buffer, which keeps its capacity for the next one.
    bool string(json::string_t& value) { return charge(string_bytes(value.size())) && place(value) != nullptr; }
    bool binary(json::binary_t& value) {  // not in JSON text; here for the SAX interface
        return charge(value.size() + block_bytes) && place(json::binary(std::move(value))) != nullptr;
    }

    bool start_object(std::size_t /*size, unknown for JSON text*/) { return open(json::value_t::object, object_bytes); }
    bool key(json::string_t& name) {
        if (!charge(member_bytes + heap_string_bytes(name.size()))) return false;
        member_ = &open_.back()->get_ref<json::object_t&>()[name];  // a repeated key: the last one wins
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t /*size, unknown for JSON text*/) { return open(json::value_t::array, array_bytes); }
    bool end_array() { return close(); }

    bool parse_error(std::size_t position, const std::string& /*token: may be long*/, const json::exception& /*e*/) {
        problem_ = "expected a JSON body (not JSON at byte " + std::to_string(position) + ")";
        return false;
    }

    // Why the parse stopped.
    const std::string& problem() const noexcept { return problem_; }

private:
    // What nlohmann_json allocates, estimated: a heap block costs the allocator about 16 bytes of its own, a string
    // longer than the small-string buffer takes a block of its own, and a vector keeps up to as much room again as it
    // holds while it grows.
    static constexpr std::size_t block_bytes = 16;
    static constexpr std::size_t small_string = 15;
    static constexpr std::size_t object_bytes = sizeof(json::object_t) + block_bytes;
    static constexpr std::size_t array_bytes = sizeof(json::array_t) + block_bytes;
    static constexpr std::size_t element_bytes = 2 * sizeof(json);
    static constexpr std::size_t member_bytes = sizeof(json::object_t::value_type) + 4 * sizeof(void*) + block_bytes;

    static constexpr std::size_t heap_string_bytes(std::size_t length) noexcept {
        return length > small_string ? length + 1 + block_bytes : 0;
    }
    static constexpr std::size_t string_bytes(std::size_t length) noexcept {
        return sizeof(json::string_t) + block_bytes + heap_string_bytes(length);
    }

    bool charge(std::size_t bytes) {
        decoded_ += bytes;
        if (decoded_ <= limits_.max_decoded_bytes()) return true;
        problem_ = "expected a body that decodes within " + std::to_string(limits_.max_decoded_bytes()) +
                   " bytes of memory (max_decoded_bytes)";
        return false;
    }

    // Builds a value where the parse stands: the root, the member just named, or the end of the open array.
    template <class Value>
    json* place(Value&& value) {
        if (open_.empty()) {
            *root_ = json(std::forward<Value>(value));
            return root_;
        }
        if (open_.back()->is_object()) {
            *member_ = json(std::forward<Value>(value));
            return member_;
        }
        if (!charge(element_bytes)) return nullptr;
        auto& array = open_.back()->get_ref<json::array_t&>();
        // The address stays valid while the value is open: its array takes nothing new until the value is closed.
        return &array.emplace_back(std::forward<Value>(value));
    }

    bool open(json::value_t type, std::size_t bytes) {
        if (open_.size() == limits_.max_depth()) {
            problem_ = "expected JSON nested at most " + std::to_string(limits_.max_depth()) + " deep (max_depth)";
            return false;
        }
        if (!charge(bytes)) return false;
        json* placed = place(type);
        if (placed == nullptr) return false;
        open_.push_back(placed);
        return true;
    }

    bool close() {
        open_.pop_back();
        return true;
    }

    json* root_;
    const json_limits& limits_;
    std::vector<json*> open_;  // the arrays and objects being filled, outermost first
    json* member_ = nullptr;   // the value of the key just read
    std::size_t decoded_ = 0;
    std::string problem_;
};

[[noreturn]] inline void bad_body(const response& reply, const std::string& expected) {
    throw paged::http::body_error(reply.url, reply.status, expected, reply.body);
}

inline nlohmann::json parse_json_body(const response& reply, const json_limits& limits = json_limits()) {
    nlohmann::json body;
    bounded_json_builder builder(body, limits);
    if (!nlohmann::json::sax_parse(reply.body, &builder)) bad_body(reply, builder.problem());
    return body;
}

// The array at `at`, each element decoded to T (moved out when T is nlohmann::json).
template <class T>
std::vector<T> take_items(nlohmann::json& body, const nlohmann::json::json_pointer& at, const response& reply,
                          const json_limits& limits = json_limits()) {
    if (!body.contains(at) || !body.at(at).is_array()) {
        bad_body(reply, "expected a JSON array of items at pointer '" + at.to_string() + "'");
    }
    auto& array = body.at(at);
    if (array.size() > limits.max_items_per_page()) {
        bad_body(reply, "expected at most " + std::to_string(limits.max_items_per_page()) +
                                    " items at pointer '" + at.to_string() + "' (max_items_per_page), got " +
                                    std::to_string(array.size()));
    }
    std::vector<T> items;
    items.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        if constexpr (std::is_same_v<T, nlohmann::json>) {
            items.push_back(std::move(array[i]));
        } else {
            try {
                items.push_back(array[i].template get<T>());
            } catch (const nlohmann::json::exception& e) {
                bad_body(reply, "item " + std::to_string(i) + " at '" + at.to_string() +
                                            "' does not decode: " + e.what());
            }
        }
    }
    return items;
}

// items_digest of http/detail/page_digest.hpp, for a body that is not 204.
inline std::optional<paged::detail::digest128> items_digest(const response& raw, const nlohmann::json& body,
                                                           const nlohmann::json::json_pointer& items) {
    const nlohmann::json* array = body.contains(items) ? &body.at(items) : nullptr;
    if (array == nullptr || !array->is_array() || array->empty()) return std::nullopt;
    if (items.empty()) return paged::http::detail::content_digest(raw.body);
    // dump() recurses, within the page's max_depth.
    return paged::http::detail::content_digest(array->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace old_decode
