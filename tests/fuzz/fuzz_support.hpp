#pragma once
// What the fuzz targets share: the input as text, a check that turns a broken invariant into a crash libFuzzer
// records (an exception would be caught by the targets' own handlers), and header fields read from lines.

#include <paged/http/headers.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace paged_fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) noexcept {
    return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool holds, const char* invariant) {
    if (holds) return;
    std::fprintf(stderr, "invariant broken: %s\n", invariant);
    std::abort();
}

// The next line of `input` (without its '\n'), removed from it.
inline std::string_view take_line(std::string_view& input) noexcept {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    return line;
}

// "Name: value" lines up to an empty line or the end, each split at its first ':' (a line without one is a field with
// an empty value): close to what a transport hands over, with every byte left to the fuzzer.
inline paged::http::headers take_fields(std::string_view& input) {
    paged::http::headers fields;
    while (!input.empty()) {
        const auto line = take_line(input);
        if (line.empty()) break;
        const auto colon = line.find(':');
        auto value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        if (value.starts_with(' ')) value.remove_prefix(1);
        fields.add(std::string(line.substr(0, colon)), std::string(value));
    }
    return fields;
}

}  // namespace paged_fuzz
