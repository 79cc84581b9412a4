#pragma once
// Telling a page that repeats the previous page's items under another position (a server that ignores the parameter
// meant to move the walk on). Kept to one hash function, content_digest, so that a faster one replaces it in one place.

#include <paged/detail/digest128.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/pagination_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http::detail {

using paged::detail::digest128;

// A word at a time, two independent lanes (detail/digest128.hpp): several times the speed of a byte-at-a-time hash
// on a page's body (bench/page_digest_bench.cpp), and compared within this walk only, so it need not be stable.
inline digest128 content_digest(std::string_view text) noexcept { return paged::detail::digest_of(text); }

// The digest of a page's items in an envelope, fed one item at a time as the page is decoded (page_decoder.hpp), so
// that neither the whole items array nor its text is ever held (items that are the whole body are digested as
// received, with content_digest). Each item is written in a canonical binary form (tagged scalars,
// length-prefixed strings, object members in key order as the DOM keeps them): equal items give equal bytes however
// the server spaced or ordered them, and the form is self-delimiting, so a list of items is never mistaken for another.
// Only the items are digested: what else the envelope carries (a next link that moves, a request id, a total) cannot
// hide a repeat. The bytes are digested a chunk at a time and the chunks' digests digested last, all with
// content_digest; chunks end at fixed offsets of the stream, so equal lists cut the same way.
class items_digest {
public:
    void add(const nlohmann::json& item);

    // Empty for a page without items: an empty page repeats nothing.
    std::optional<digest128> finish();

    void clear() noexcept {
        bytes_.clear();
        chunks_.clear();
        count_ = 0;
    }

private:
    using json = nlohmann::json;
    static constexpr std::size_t chunk_bytes = 4096;

    struct level {
        const json* container;
        json::const_iterator next;
    };

    // Digests whole chunks, and with `all` the part of one left at the end.
    void flush(bool all);
    void append(const digest128& digest);

    // Without recursion (a page's items may nest up to max_depth, which the user may lift far): a stack of the
    // containers being written, as json_excerpt does.
    void write(const json& item);
    void begin(const json& value);
    void scalar(const json& value);

    static std::string_view bytes_of(const json::binary_t& bytes) noexcept {
        return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
    }

    template <class Number>
    void tagged(char tag, Number value) {
        bytes_ += tag;
        char raw[sizeof(Number)];
        std::memcpy(raw, &value, sizeof raw);
        bytes_.append(raw, sizeof raw);
    }

    void text(std::string_view value);
    void word(std::uint64_t value);
    static void word(std::uint64_t value, std::string& out);

    std::string bytes_;    // canonical bytes not yet digested
    std::string chunks_;   // the digests of the chunks before them
    std::vector<level> open_;
    std::size_t count_ = 0;
};

// For page::repeats_previous: `url` gave the items the page fetched at `earlier` gave, and `parameter` is the one that
// should have moved the walk on.
std::exception_ptr repeated_page_error(const std::string& url, const std::string& earlier,
                                       const std::string& parameter);

// The previous page of a walk: where it was fetched, and its items' digest.
template <class Position>
class previous_page_digest {
public:
    // Where the previous page was fetched, when this page (fetched at `at`) has the same items under another
    // position. Remembers this page either way.
    std::optional<Position> repeated_by(const Position& at, std::optional<digest128> digest) {
        std::optional<Position> repeated;
        if (digest && previous_ && previous_->second == *digest && !(previous_->first == at)) {
            repeated = previous_->first;
        }
        if (digest) {
            previous_.emplace(at, *digest);
        } else {
            previous_.reset();
        }
        return repeated;
    }

private:
    std::optional<std::pair<Position, digest128>> previous_;
};

}  // namespace paged::http::detail

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/page_digest.ipp>
#endif
