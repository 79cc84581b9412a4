#pragma once
// Reading JSON responses with nlohmann_json: items found by a JSON Pointer ("" for a top-level array, "/data",
// "/items") and decoded to T through nlohmann's from_json; cursors, flags and counts read from other pointers.
// Whatever does not match what the strategy expects is a body_error naming the URL, status, pointer and body.
//
// The strategies decode a page in one pass (detail/page_decoder.hpp: each item decoded as it is parsed, only the
// envelope kept as a DOM); parse_json_body and take_items below are the whole-DOM form, for code of one's own.
//
// A response is untrusted input, so a page is bounded (json_limits) while it is parsed, before the whole of it is in
// memory, and nothing here recurses over a response's values: error messages quote the raw body or a bounded,
// iteratively written excerpt (json_excerpt), never dump() of a whole value.

#include <paged/error.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/error.hpp>
#include <paged/http/message.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

// A pointer option of a strategy, checked when the fetcher is built rather than at the first response.
nlohmann::json::json_pointer json_pointer_option(const std::string& text, const char* option);

// Limits on one decoded page, beyond which it is a body_error instead of exhausted memory or stack. The defaults are
// far above what real APIs send (a page of 100 records takes about half a megabyte parsed and nests a few levels):
//
//   max_items_per_page  1,000,000  items in the page's array, checked as they arrive: past it nothing more is built
//   max_depth           256        nesting of arrays and objects (a top-level array of objects is 2 deep): code that
//                                  recurses over a value (a from_json) is then safe on any stack
//   max_decoded_bytes   512 MiB    memory the parsed page takes, as estimated while it is parsed: the strategies
//                                  count what they hold (the envelope, the item being parsed, the decoded items)
//
// A JSON value costs far more parsed than as text: typical API JSON takes 2 to 8 times its size, `[{},{},...]` about
// 30 times. The limit is on the memory itself, not on a ratio to the body, because compact honest JSON
// (`[{"a":1},...]`, about 20 times) comes too close to the hostile ratio to tell them apart. The default holds a page
// of typical JSON as large as the client's default max_response_bytes (64 MiB).
class json_limits {
public:
    json_limits() noexcept {}  // user-provided: never an aggregate (paged/detail/gcc12_temporaries.hpp)

    json_limits& max_items_per_page(std::size_t count) & {
        return set(max_items_per_page_, count, "max_items_per_page");
    }
    json_limits&& max_items_per_page(std::size_t count) && { return std::move(max_items_per_page(count)); }
    std::size_t max_items_per_page() const noexcept { return max_items_per_page_; }

    json_limits& max_depth(std::size_t levels) & { return set(max_depth_, levels, "max_depth"); }
    json_limits&& max_depth(std::size_t levels) && { return std::move(max_depth(levels)); }
    std::size_t max_depth() const noexcept { return max_depth_; }

    json_limits& max_decoded_bytes(std::size_t bytes) & { return set(max_decoded_bytes_, bytes, "max_decoded_bytes"); }
    json_limits&& max_decoded_bytes(std::size_t bytes) && { return std::move(max_decoded_bytes(bytes)); }
    std::size_t max_decoded_bytes() const noexcept { return max_decoded_bytes_; }

private:
    json_limits& set(std::size_t& field, std::size_t value, const char* name);

    std::size_t max_items_per_page_ = 1'000'000;
    std::size_t max_depth_ = 256;
    std::size_t max_decoded_bytes_ = std::size_t{512} << 20;
};

namespace detail {

// What one page's builders hold between them, and why a parse stopped: the envelope and the item being built share
// one page's limits.
class json_budget {
public:
    explicit json_budget(const json_limits& limits) : limits_(limits) {}

    bool charge(std::size_t bytes);
    // For memory given back while the page is read (an item's tree, once the item is decoded).
    void refund(std::size_t bytes) noexcept { decoded_ -= bytes; }
    std::size_t held() const noexcept { return decoded_; }

    // Whether a container may open with `open` containers around it.
    bool may_nest(std::size_t open);

    bool fail(std::string problem) {
        problem_ = std::move(problem);
        return false;
    }
    const std::string& problem() const noexcept { return problem_; }
    const json_limits& limits() const noexcept { return limits_; }

private:
    const json_limits& limits_;
    std::size_t decoded_ = 0;
    std::string problem_;
};

// Builds nlohmann's DOM from its SAX events, counting depth and estimated memory on the way, so that a body over a
// limit is refused part-way instead of built whole first. An event that returns false stops the parse.
class bounded_json_builder {
public:
    using json = nlohmann::json;

    // `outer_depth`: containers already open around `root` (the envelope around an item).
    bounded_json_builder(json& root, json_budget& budget, std::size_t outer_depth = 0)
        : root_(&root), budget_(&budget), outer_depth_(outer_depth) {}

    // Builds the next value into `root`, keeping the stack's capacity: one builder serves every item of a page.
    void restart(json& root, std::size_t outer_depth) {
        root_ = &root;
        outer_depth_ = outer_depth;
        open_.clear();
        member_ = nullptr;
    }
    // Arrays and objects open now (not counting outer_depth).
    std::size_t depth() const noexcept { return open_.size(); }

    bool null();
    bool boolean(bool value);
    bool number_integer(json::number_integer_t value);
    bool number_unsigned(json::number_unsigned_t value);
    bool number_float(json::number_float_t value, const json::string_t& /*text*/);
    // Strings and keys are copied, not moved: they are the lexer's buffer, which keeps its capacity for the next one.
    bool string(json::string_t& value);
    bool binary(json::binary_t& value);  // not in JSON text; here for the SAX interface

    bool start_object(std::size_t /*size, unknown for JSON text*/);
    bool key(json::string_t& name);
    bool end_object() { return close(); }
    bool start_array(std::size_t /*size, unknown for JSON text*/);
    bool end_array() { return close(); }

    bool parse_error(std::size_t position, const std::string& /*token: may be long*/, const json::exception& /*e*/);

    // Why the parse stopped.
    const std::string& problem() const noexcept { return budget_->problem(); }

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

    bool charge(std::size_t bytes) { return budget_->charge(bytes); }

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

    bool open(json::value_t type, std::size_t bytes);

    bool close() {
        open_.pop_back();
        return true;
    }

    json* root_;
    json_budget* budget_;
    std::size_t outer_depth_;
    std::vector<json*> open_;  // the arrays and objects being filled, outermost first
    json* member_ = nullptr;   // the value of the key just read
};

// The JSON text of a string, cut to `room` characters first (an excerpt may cut a UTF-8 sequence: replaced).
std::string quoted_excerpt(std::string_view text, std::size_t room);
std::string scalar_excerpt(const nlohmann::json& value, std::size_t room);
// About `limit` characters of `value` as JSON, for error messages. Written without recursion and stopping at the
// limit, so a value nested thousands deep or megabytes long costs no more than its excerpt.
std::string json_excerpt(const nlohmann::json& value, std::size_t limit = 200);

// Runs `handler`'s SAX events over the JSON text `text`; false when a handler event or the text stopped the parse.
// nlohmann's public json::sax_parse also instantiates its binary_reader (CBOR, MessagePack, UBJSON, BSON) for every
// handler type, though a JSON parse never runs it: about 0.45 s of -O0 compile time and 50 KB of code per handler in
// every translation unit that decodes a page. The JSON parser it would call is reached directly instead, in the
// versions whose detail::parser is known to take these arguments (3.10 to 3.12); any other, the public call.
template <class Handler>
bool sax_parse_json(const std::string& text, Handler* handler) {
#if NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR >= 10 && NLOHMANN_JSON_VERSION_MINOR <= 12
    auto input = nlohmann::detail::input_adapter(text);
    using parser = nlohmann::detail::parser<nlohmann::json, decltype(input)>;
    constexpr bool allow_exceptions = true, ignore_comments = false, strict = true;
    return parser(std::move(input), nullptr, allow_exceptions, ignore_comments).sax_parse(handler, strict);
#else
    return nlohmann::json::sax_parse(text, handler);
#endif
}

[[noreturn]] void bad_body(const response& reply, const std::string& expected);
const nlohmann::json* find(const nlohmann::json& body, const nlohmann::json::json_pointer& at);

}  // namespace detail

// The body as JSON, refused part-way (body_error) as soon as it passes a limit.
nlohmann::json parse_json_body(const response& reply, const json_limits& limits = json_limits());

// The array at `at`, each element decoded to T (moved out when T is nlohmann::json).
template <class T>
std::vector<T> take_items(nlohmann::json& body, const nlohmann::json::json_pointer& at, const response& reply,
                          const json_limits& limits = json_limits()) {
    if (!body.contains(at) || !body.at(at).is_array()) {
        detail::bad_body(reply, "expected a JSON array of items at pointer '" + at.to_string() + "'");
    }
    auto& array = body.at(at);
    if (array.size() > limits.max_items_per_page()) {
        detail::bad_body(reply, "expected at most " + std::to_string(limits.max_items_per_page()) +
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
                detail::bad_body(reply, "item " + std::to_string(i) + " at '" + at.to_string() +
                                            "' does not decode: " + e.what());
            }
        }
    }
    return items;
}

// A cursor or URL: empty when absent, null or "" (all three mean "no more"); numbers are taken as their text.
std::optional<std::string> string_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at,
                                     const response& reply);

// A flag the strategy needs (has_more): anything but true or false is an error.
bool bool_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at, const response& reply);

std::optional<std::uint64_t> count_at(const nlohmann::json& body, const nlohmann::json::json_pointer& at,
                                      const response& reply);

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/json_body.ipp>
#endif
