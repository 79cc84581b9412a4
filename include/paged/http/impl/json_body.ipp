#pragma once
// json_body.hpp's definitions: included by json_body.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/json_body.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

PAGED_HTTP_INLINE nlohmann::json::json_pointer json_pointer_option(const std::string& text, const char* option) {
    try {
        return nlohmann::json::json_pointer(text);
    } catch (const nlohmann::json::exception& e) {
        throw usage_error(std::string("paged::http: option ") + option + " = '" + text +
                          "' is not a JSON Pointer (\"\" or \"/a/b\"): " + e.what());
    }
}

PAGED_HTTP_INLINE json_limits& json_limits::set(std::size_t& field, std::size_t value, const char* name) {
    if (value == 0) throw usage_error(std::string("paged::http: ") + name + " must be positive");
    field = value;
    return *this;
}

namespace detail {

PAGED_HTTP_INLINE bool json_budget::charge(std::size_t bytes) {
    decoded_ += bytes;
    if (decoded_ <= limits_.max_decoded_bytes()) return true;
    return fail("expected a body that decodes within " + std::to_string(limits_.max_decoded_bytes()) +
                " bytes of memory (max_decoded_bytes)");
}

PAGED_HTTP_INLINE bool json_budget::may_nest(std::size_t open) {
    if (open < limits_.max_depth()) return true;
    return fail("expected JSON nested at most " + std::to_string(limits_.max_depth()) + " deep (max_depth)");
}

PAGED_HTTP_INLINE bool bounded_json_builder::null() { return place(nullptr) != nullptr; }
PAGED_HTTP_INLINE bool bounded_json_builder::boolean(bool value) { return place(value) != nullptr; }
PAGED_HTTP_INLINE bool bounded_json_builder::number_integer(json::number_integer_t value) {
    return place(value) != nullptr;
}
PAGED_HTTP_INLINE bool bounded_json_builder::number_unsigned(json::number_unsigned_t value) {
    return place(value) != nullptr;
}
PAGED_HTTP_INLINE bool bounded_json_builder::number_float(json::number_float_t value, const json::string_t&) {
    return place(value) != nullptr;
}
PAGED_HTTP_INLINE bool bounded_json_builder::string(json::string_t& value) {
    return charge(string_bytes(value.size())) && place(value) != nullptr;
}
PAGED_HTTP_INLINE bool bounded_json_builder::binary(json::binary_t& value) {
    return charge(value.size() + block_bytes) && place(json::binary(std::move(value))) != nullptr;
}

PAGED_HTTP_INLINE bool bounded_json_builder::start_object(std::size_t) {
    return open(json::value_t::object, object_bytes);
}
PAGED_HTTP_INLINE bool bounded_json_builder::key(json::string_t& name) {
    if (!charge(member_bytes + heap_string_bytes(name.size()))) return false;
    member_ = &open_.back()->get_ref<json::object_t&>()[name];  // a repeated key: the last one wins
    return true;
}
PAGED_HTTP_INLINE bool bounded_json_builder::start_array(std::size_t) {
    return open(json::value_t::array, array_bytes);
}

PAGED_HTTP_INLINE bool bounded_json_builder::parse_error(std::size_t position, const std::string&,
                                                         const json::exception&) {
    return budget_->fail("expected a JSON body (not JSON at byte " + std::to_string(position) + ")");
}

PAGED_HTTP_INLINE bool bounded_json_builder::open(json::value_t type, std::size_t bytes) {
    if (!budget_->may_nest(outer_depth_ + open_.size()) || !charge(bytes)) return false;
    json* placed = place(type);
    if (placed == nullptr) return false;
    open_.push_back(placed);
    return true;
}

PAGED_HTTP_INLINE std::string quoted_excerpt(std::string_view text, std::size_t room) {
    return nlohmann::json(std::string(text.substr(0, room)))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

PAGED_HTTP_INLINE std::string scalar_excerpt(const nlohmann::json& value, std::size_t room) {
    if (value.is_string()) return quoted_excerpt(value.get_ref<const std::string&>(), room);
    if (value.is_binary()) return "<binary>";
    return value.dump();  // a number, true, false or null: short
}

PAGED_HTTP_INLINE std::string json_excerpt(const nlohmann::json& value, std::size_t limit) {
    struct level {
        const nlohmann::json* container;
        nlohmann::json::const_iterator next;
    };
    std::string text;
    std::vector<level> open;  // grows by one per character written at most
    const nlohmann::json* pending = &value;
    while (pending != nullptr || !open.empty()) {
        if (text.size() >= limit) return text.substr(0, limit) + "...";
        if (pending != nullptr) {
            if (pending->is_structured()) {
                text += pending->is_object() ? '{' : '[';
                open.push_back({pending, pending->cbegin()});
            } else {
                text += scalar_excerpt(*pending, limit - text.size());
            }
            pending = nullptr;
            continue;
        }
        level& top = open.back();
        if (top.next == top.container->cend()) {
            text += top.container->is_object() ? '}' : ']';
            open.pop_back();
            continue;
        }
        if (top.next != top.container->cbegin()) text += ',';
        if (top.container->is_object()) text += quoted_excerpt(top.next.key(), limit - text.size()) + ':';
        pending = &*top.next;
        ++top.next;
    }
    return text.size() > limit ? text.substr(0, limit) + "..." : text;
}

[[noreturn]] PAGED_HTTP_INLINE void bad_body(const response& reply, const std::string& expected) {
    throw body_error(reply.url, reply.status, expected, reply.body);
}

PAGED_HTTP_INLINE const nlohmann::json* find(const nlohmann::json& body, const nlohmann::json::json_pointer& at) {
    return body.contains(at) ? &body.at(at) : nullptr;
}

}  // namespace detail

PAGED_HTTP_INLINE nlohmann::json parse_json_body(const response& reply, const json_limits& limits) {
    nlohmann::json body;
    detail::json_budget budget(limits);
    detail::bounded_json_builder builder(body, budget);
    if (!detail::sax_parse_json(reply.body, &builder)) detail::bad_body(reply, budget.problem());
    return body;
}

PAGED_HTTP_INLINE std::optional<std::string> string_at(const nlohmann::json& body,
                                                       const nlohmann::json::json_pointer& at, const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || found->is_null()) return std::nullopt;
    if (found->is_number_integer()) return found->dump();  // a number: its text is short
    if (!found->is_string()) detail::bad_body(reply, "expected a string or null at '" + at.to_string() + "'");
    auto text = found->get<std::string>();
    if (text.empty()) return std::nullopt;
    return text;
}

PAGED_HTTP_INLINE bool bool_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at,
                               const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || !found->is_boolean()) {
        detail::bad_body(reply, "expected true or false at '" + at.to_string() + "'");
    }
    return found->get<bool>();
}

PAGED_HTTP_INLINE std::optional<std::uint64_t> count_at(const nlohmann::json& body,
                                                        const nlohmann::json::json_pointer& at, const response& reply) {
    const nlohmann::json* found = detail::find(body, at);
    if (found == nullptr || found->is_null()) return std::nullopt;
    if (!found->is_number_unsigned()) detail::bad_body(reply, "expected a count at '" + at.to_string() + "'");
    return found->get<std::uint64_t>();
}

}  // namespace paged::http
