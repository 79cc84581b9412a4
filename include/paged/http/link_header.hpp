#pragma once
// The HTTP Link header (RFC 8288) is how paginated APIs point at the next page. Its value comes from a remote server,
// so it is parsed by one left-to-right scan with no regex and no backtracking: the time is linear in the header
// length whatever the server sends (a regex-based parser elsewhere could be stalled by a crafted header).

#include <paged/error.hpp>
#include <paged/http/detail/ascii.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

namespace detail {

inline std::string hex_byte(char c) {
    constexpr std::string_view digits = "0123456789ABCDEF";
    const auto byte = static_cast<unsigned char>(c);
    return std::string("0x") + digits[byte >> 4] + digits[byte & 0x0F];
}

// At most 80 bytes of the input around `position`, starting a little before it so the reader sees what led up to
// the problem. Control and non-ASCII bytes become '?' so the message stays one printable line in a log.
inline constexpr std::size_t excerpt_max = 80;

inline std::string excerpt(std::string_view input, std::size_t position) {
    constexpr std::size_t lead = 20;
    const std::size_t start = std::min(position > lead ? position - lead : 0, input.size());
    std::string text(input.substr(start, excerpt_max));
    for (char& c : text) {
        if (is_ctl(c) || static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return text;
}

// Relation types are separated by spaces; tabs are tolerated as well because they are just as unambiguous.
constexpr bool contains_word(std::string_view words, std::string_view word) noexcept {
    std::size_t begin = 0;
    while (begin < words.size()) {
        if (is_ows(words[begin])) {
            ++begin;
            continue;
        }
        std::size_t end = begin;
        while (end < words.size() && !is_ows(words[end])) ++end;
        if (iequals(words.substr(begin, end - begin), word)) return true;
        begin = end;
    }
    return false;
}

}  // namespace detail

// A malformed Link field value. what() names the problem, the byte position and a short excerpt of the input.
class link_header_error : public paged::error {
public:
    link_header_error(std::string message, std::size_t position)
        : paged::error("malformed Link header at byte " + std::to_string(position) + ": " + message),
          position_(position) {}

    // Adds an excerpt of `input` (at most 80 bytes) so that a log shows what the server actually sent.
    link_header_error(std::string message, std::size_t position, std::string_view input)
        : link_header_error(std::move(message) + ", near \"" + detail::excerpt(input, position) + "\"", position) {}

    // Zero-based byte offset into the field value.
    std::size_t position() const noexcept { return position_; }

private:
    std::size_t position_;
};

struct link_param {
    std::string name;   // lowercased: parameter names are case-insensitive
    std::string value;  // unquoted, backslash escapes removed; empty when the parameter had no value
};

class link {
public:
    std::string target;              // the URI-Reference between < >, exactly as written: the caller resolves it
    std::vector<link_param> params;  // in order of appearance

    // First value of parameter `name` (case-insensitive name), or nullopt.
    std::optional<std::string_view> param(std::string_view name) const {
        for (const link_param& p : params) {
            if (detail::iequals(p.name, name)) return std::string_view(p.value);
        }
        return std::nullopt;
    }

    // True if the first "rel" parameter lists `relation` (ASCII case-insensitive). RFC 8288 section 3.3 says a
    // later "rel" must be ignored, so a server cannot sneak in a second relation that some clients would honour.
    bool has_rel(std::string_view relation) const {
        const std::optional<std::string_view> rel = param("rel");
        return rel && !relation.empty() && detail::contains_word(*rel, relation);
    }
};

namespace detail {

// Each member consumes input only forwards and never revisits a byte (except to cut out a token it just passed), so
// a whole parse is O(length). Errors report where the scan stood, or where an unclosed '<' or '"' was opened.
class link_scanner {
public:
    explicit link_scanner(std::string_view input) noexcept : input_(input) {}

    // Link = #link-value. RFC 9110's #list lets senders leave empty elements (", ,"), which are skipped.
    std::vector<link> parse_list() {
        std::vector<link> links;
        for (;;) {
            skip_ows();
            if (at_end()) return links;
            if (peek() != ',') links.push_back(parse_link_value());
            // parse_link_value stops only at the end or at the ',' closing its element.
            if (at_end()) return links;
            ++pos_;
        }
    }

private:
    // link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ). Stops at the end or at a ','.
    link parse_link_value() {
        link result;
        result.target = parse_target();
        for (;;) {
            skip_ows();
            if (at_end() || peek() == ',') return result;
            if (peek() != ';') fail_expected("';' or ',' after a link");
            ++pos_;
            skip_ows();
            // Servers often end the parameters with a stray ';': unambiguous, so accepted.
            if (at_end() || peek() == ',') return result;
            result.params.push_back(parse_param());
        }
    }

    // Commas and semicolons are part of the URI here. A '<' is not (RFC 3986 excludes it), and treating it as the
    // start of the next link turns a missing '>' into an error instead of a silently merged target.
    std::string parse_target() {
        if (at_end() || peek() != '<') fail_expected("'<' starting a link");
        const std::size_t open = pos_++;
        const std::size_t begin = pos_;
        for (; !at_end(); ++pos_) {
            const char c = peek();
            if (c == '>') {
                std::string target(input_.substr(begin, pos_ - begin));
                ++pos_;
                return target;
            }
            if (c == '<') fail("'<' inside a link target (the link's '>' is missing?)", pos_);
            if (is_ctl(c)) fail_expected("a link target or '>'");
        }
        fail("'<' is never closed by '>'", open);
    }

    // link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
    link_param parse_param() {
        link_param param;
        param.name = take_token();
        if (param.name.empty()) fail_expected("a parameter name");
        std::ranges::transform(param.name, param.name.begin(), ascii_lower);
        skip_ows();
        if (!at_end() && peek() == '=') {
            ++pos_;
            skip_ows();
            param.value = parse_param_value();
        }
        return param;
    }

    // Extended values such as title*=UTF-8''%c3%a4 are tokens too, so they come back raw.
    std::string parse_param_value() {
        if (!at_end() && peek() == '"') return parse_quoted_string();
        std::string value = take_token();
        if (value.empty()) fail_expected("a parameter value");
        return value;
    }

    // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE. Only control characters other than HTAB are refused,
    // both as text and after a backslash; obs-text (bytes >= 0x80) passes through untouched.
    std::string parse_quoted_string() {
        const std::size_t open = pos_++;
        std::string value;
        while (!at_end()) {
            if (peek() == '"') {
                ++pos_;
                return value;
            }
            if (peek() == '\\') {
                ++pos_;  // quoted-pair: the next byte is data even if it is '"' or '\'
                if (at_end()) break;
            }
            if (is_ctl(peek()) && peek() != '\t') fail_expected("text inside a quoted-string");
            value += peek();
            ++pos_;
        }
        fail("quoted-string is never closed by '\"'", open);
    }

    std::string take_token() {
        const std::size_t begin = pos_;
        while (!at_end() && is_tchar(peek())) ++pos_;
        return std::string(input_.substr(begin, pos_ - begin));
    }

    void skip_ows() noexcept {
        while (!at_end() && is_ows(peek())) ++pos_;
    }

    bool at_end() const noexcept { return pos_ == input_.size(); }
    char peek() const noexcept { return input_[pos_]; }

    std::string describe_current() const {
        if (at_end()) return "the end of the header";
        const char c = peek();
        if (is_ctl(c)) return "control character " + hex_byte(c);
        if (static_cast<unsigned char>(c) >= 0x80) return "byte " + hex_byte(c);
        return std::string("'") + c + "'";
    }

    [[noreturn]] void fail_expected(std::string_view expected) const {
        fail("expected " + std::string(expected) + ", found " + describe_current(), pos_);
    }

    [[noreturn]] void fail(std::string message, std::size_t position) const {
        throw link_header_error(std::move(message), position, input_);
    }

    std::string_view input_;
    std::size_t pos_ = 0;
};

}  // namespace detail

// Parses one Link field value ("<a>; rel=next, <b>; rel=\"prev last\""). Empty list elements (", ,") are skipped, as
// RFC 9110's #list rule allows. Throws link_header_error on malformed input.
inline std::vector<link> parse_link_header(std::string_view field_value) {
    return detail::link_scanner(field_value).parse_list();
}

// The target of the first link whose rel includes `relation` and that has no "anchor" parameter (such a link
// describes another resource, not this response), looking through every field value in order: a response may carry
// several Link fields. nullopt if none. Throws link_header_error if a field value scanned on the way is malformed.
template <class Range>
    requires std::ranges::input_range<const Range> &&
             std::convertible_to<std::ranges::range_reference_t<const Range>, std::string_view>
std::optional<std::string> find_link(const Range& field_values, std::string_view relation) {
    for (auto&& field_value : field_values) {
        for (link& candidate : parse_link_header(std::string_view(field_value))) {
            if (candidate.has_rel(relation) && !candidate.param("anchor")) return std::move(candidate.target);
        }
    }
    return std::nullopt;
}

}  // namespace paged::http
