#pragma once
// The HTTP Link header (RFC 8288) is how paginated APIs point at the next page. Its value comes from a remote server,
// so it is parsed by one left-to-right scan with no regex and no backtracking: the time is linear in the header
// length whatever the server sends (a regex-based parser elsewhere could be stalled by a crafted header).

#include <paged/error.hpp>
#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>

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

std::string hex_byte(char c);

// At most 80 bytes of the input around `position`, starting a little before it so the reader sees what led up to
// the problem. Control and non-ASCII bytes become '?' so the message stays one printable line in a log.
inline constexpr std::size_t excerpt_max = 80;

std::string excerpt(std::string_view input, std::size_t position);

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
    link_header_error(std::string message, std::size_t position);

    // Adds an excerpt of `input` (at most 80 bytes) so that a log shows what the server actually sent.
    link_header_error(std::string message, std::size_t position, std::string_view input);

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
    std::optional<std::string_view> param(std::string_view name) const;

    // True if the first "rel" parameter lists `relation` (ASCII case-insensitive). RFC 8288 section 3.3 says a
    // later "rel" must be ignored, so a server cannot sneak in a second relation that some clients would honour.
    bool has_rel(std::string_view relation) const;
};

namespace detail {

// Each member consumes input only forwards and never revisits a byte (except to cut out a token it just passed), so
// a whole parse is O(length). Errors report where the scan stood, or where an unclosed '<' or '"' was opened.
class link_scanner {
public:
    explicit link_scanner(std::string_view input) noexcept : input_(input) {}

    // Link = #link-value. RFC 9110's #list lets senders leave empty elements (", ,"), which are skipped.
    std::vector<link> parse_list();

private:
    // link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ). Stops at the end or at a ','.
    link parse_link_value();

    // Commas and semicolons are part of the URI here. A '<' is not (RFC 3986 excludes it), and treating it as the
    // start of the next link turns a missing '>' into an error instead of a silently merged target.
    std::string parse_target();

    // link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
    link_param parse_param();

    // Extended values such as title*=UTF-8''%c3%a4 are tokens too, so they come back raw.
    std::string parse_param_value();

    // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE. Only control characters other than HTAB are refused,
    // both as text and after a backslash; obs-text (bytes >= 0x80) passes through untouched.
    std::string parse_quoted_string();

    std::string take_token();

    void skip_ows() noexcept {
        while (!at_end() && is_ows(peek())) ++pos_;
    }

    bool at_end() const noexcept { return pos_ == input_.size(); }
    char peek() const noexcept { return input_[pos_]; }

    std::string describe_current() const;
    [[noreturn]] void fail_expected(std::string_view expected) const;
    [[noreturn]] void fail(std::string message, std::size_t position) const;

    std::string_view input_;
    std::size_t pos_ = 0;
};

}  // namespace detail

// Parses one Link field value ("<a>; rel=next, <b>; rel=\"prev last\""). Empty list elements (", ,") are skipped, as
// RFC 9110's #list rule allows. Throws link_header_error on malformed input.
std::vector<link> parse_link_header(std::string_view field_value);

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

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/link_header.ipp>
#endif
