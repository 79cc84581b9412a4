#pragma once
// paged::checkpoint: where a walk stands after some item, as a string that can be saved and handed to a new process
// (walk_options::resume) to go on exactly after that item.
//
//     paged-checkpoint v1 fp=5f1c0e3a9b2d4c77 offset=17 cursor=c%3D350 sum=0a1b2c3d4e5f6071
//
// It holds the cursor of the item's page and the number of that page's items already processed (or, from a fetcher
// that names a cursor per item, such as keyset, the item's own cursor and 0: a resume then survives rows inserted or
// deleted before it; after a page's last item, the next page's cursor and 0), a fingerprint of the fetcher's
// configuration (a checkpoint of another endpoint or page size is refused) and a checksum (a truncated or
// edited string is refused, never half-used). Cursors become text through paged::cursor_codec<Cursor>: provided for
// strings, integers and vectors of strings; specialise it for a cursor type of your own.

#include <paged/error.hpp>

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace paged {

class checkpoint_error : public error {
public:
    using error::error;
};

template <class Cursor>
struct cursor_codec;

template <>
struct cursor_codec<std::string> {
    static std::string encode(const std::string& cursor) { return cursor; }
    static std::string decode(std::string_view text) { return std::string(text); }
};

template <std::integral Cursor>
struct cursor_codec<Cursor> {
    static std::string encode(Cursor cursor) { return std::to_string(cursor); }
    static Cursor decode(std::string_view text) {
        Cursor value{};
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (failure != std::errc{} || end != text.data() + text.size() || text.empty()) {
            throw checkpoint_error("paged::checkpoint: the cursor '" + std::string(text) + "' is not an integer");
        }
        return value;
    }
};

// Each element as <length>:<bytes>, so any byte (':' included) survives.
template <>
struct cursor_codec<std::vector<std::string>> {
    static std::string encode(const std::vector<std::string>& cursor) {
        std::string text;
        for (const auto& part : cursor) text += std::to_string(part.size()) + ':' + part;
        return text;
    }
    static std::vector<std::string> decode(std::string_view text) {
        std::vector<std::string> parts;
        while (!text.empty()) {
            const auto colon = text.find(':');
            const auto length = cursor_codec<std::size_t>::decode(text.substr(0, colon));
            if (colon == std::string_view::npos || text.size() - colon - 1 < length) {
                throw checkpoint_error("paged::checkpoint: the cursor is cut short");
            }
            parts.emplace_back(text.substr(colon + 1, length));
            text.remove_prefix(colon + 1 + length);
        }
        return parts;
    }
};

template <class Cursor>
concept encodable_cursor = requires(const Cursor& cursor, std::string_view text) {
    { cursor_codec<Cursor>::encode(cursor) } -> std::convertible_to<std::string>;
    { cursor_codec<Cursor>::decode(text) } -> std::convertible_to<Cursor>;
};

// FNV-1a, 64 bits: stable across compilers, platforms and runs (std::hash is none of these).
constexpr std::uint64_t fingerprint_of(std::string_view text) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

namespace detail {

inline std::string to_hex(std::uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) text[static_cast<std::size_t>(i)] = digits[value & 0xf];
    return text;
}

inline bool is_unreserved(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

// The checkpoint's own escaping (the core has no URL library): a single line without spaces, whatever the cursor.
inline std::string escape_cursor(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        if (is_unreserved(c)) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 0xf];
        }
    }
    return out;
}

// Reads the fields of a checkpoint string in order; every mismatch is a checkpoint_error.
class checkpoint_reader {
public:
    explicit checkpoint_reader(std::string_view text) noexcept : rest_(text) {}

    void expect(std::string_view literal) {
        if (rest_.substr(0, literal.size()) != literal) fail("expected '" + std::string(literal) + "'");
        rest_.remove_prefix(literal.size());
    }
    std::string_view field(std::string_view name) {
        expect(name);
        expect("=");
        const auto space = rest_.find(' ');
        const auto value = rest_.substr(0, space);
        rest_.remove_prefix(space == std::string_view::npos ? rest_.size() : space);
        return value;
    }
    std::uint64_t hex_field(std::string_view name) {
        const auto text = field(name);
        std::uint64_t value = 0;
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
        if (text.size() != 16 || failure != std::errc{} || end != text.data() + text.size()) {
            fail("'" + std::string(name) + "' is not 16 hex digits");
        }
        return value;
    }
    std::size_t count_field(std::string_view name) {
        const auto text = field(name);
        std::size_t value = 0;
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || failure != std::errc{} || end != text.data() + text.size()) {
            fail("'" + std::string(name) + "' is not a count");
        }
        return value;
    }
    std::string cursor_field() {
        const auto text = field("cursor");
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (is_unreserved(text[i])) {
                out += text[i];
                continue;
            }
            unsigned byte = 0;
            const char* first = text.data() + i + 1;
            if (text[i] != '%' || i + 2 >= text.size() ||
                std::from_chars(first, first + 2, byte, 16).ptr != first + 2) {
                fail("the cursor is not escaped as checkpoints write it");
            }
            out += static_cast<char>(byte);
            i += 2;
        }
        return out;
    }
    bool at_end() const noexcept { return rest_.empty(); }
    [[noreturn]] static void fail(const std::string& what) {
        throw checkpoint_error("paged::checkpoint: not a valid checkpoint: " + what);
    }

private:
    std::string_view rest_;
};

}  // namespace detail

struct checkpoint {
    static constexpr int format_version = 1;

    std::uint64_t fingerprint = 0;  // fingerprint_of(fetcher.fingerprint())
    std::size_t offset = 0;         // items of the cursor's page already processed
    std::string cursor;             // cursor_codec<Cursor>::encode of the page's cursor

    std::string to_string() const {
        std::string text = "paged-checkpoint v" + std::to_string(format_version) + " fp=" +
                           detail::to_hex(fingerprint) + " offset=" + std::to_string(offset) +
                           " cursor=" + detail::escape_cursor(cursor);
        return text + " sum=" + detail::to_hex(fingerprint_of(text));
    }

    static checkpoint parse(std::string_view text) {
        detail::checkpoint_reader reader(text);
        constexpr std::string_view prefix = "paged-checkpoint v";
        reader.expect(prefix);
        const auto version = text.substr(prefix.size(), text.find(' ', prefix.size()) - prefix.size());
        if (version != std::to_string(format_version)) {
            throw checkpoint_error("paged::checkpoint: format v" + std::string(version) +
                                   " is not supported (this build reads v" + std::to_string(format_version) + ")");
        }
        reader.expect(version);
        checkpoint parsed;
        reader.expect(" ");
        parsed.fingerprint = reader.hex_field("fp");
        reader.expect(" ");
        parsed.offset = reader.count_field("offset");
        reader.expect(" ");
        parsed.cursor = reader.cursor_field();
        const auto signed_length = text.rfind(" sum=");
        reader.expect(" ");
        const auto sum = reader.hex_field("sum");
        if (!reader.at_end()) detail::checkpoint_reader::fail("unexpected text after the checksum");
        if (sum != fingerprint_of(text.substr(0, signed_length))) {
            detail::checkpoint_reader::fail("the checksum does not match (the string was cut or edited)");
        }
        return parsed;
    }

    friend bool operator==(const checkpoint&, const checkpoint&) = default;
};

}  // namespace paged
