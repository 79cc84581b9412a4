#pragma once
// A 128-bit digest of a byte string, so that the progress guard can remember a cursor without keeping it.
//
// Two independent 64-bit lanes, each a chain of steps that are bijective in both the state and the 8-byte word read,
// so two strings of one length that differ in a single word never collide in either lane; the length and a final
// avalanche close each lane. Not cryptographic, and it need not be: equal cursors always give equal digests, so no
// cycle goes unseen, and a server that forged a collision could only end its own walk, which it can do anyway by
// sending a cycle. Digests are compared within one process only (the byte order of the words does not matter).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace paged::detail {

struct digest128 {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    friend auto operator<=>(const digest128&, const digest128&) = default;
};

namespace digest_constants {
// Odd multipliers (fractional parts of square roots of small primes): any odd number is a bijection modulo 2^64, and
// these mix their bits well.
inline constexpr std::uint64_t m1 = 0xbb67ae8584caa73bULL;
inline constexpr std::uint64_t m2 = 0xa54ff53a5f1d36f1ULL;
inline constexpr std::uint64_t m3 = 0x3c6ef372fe94f82bULL;
inline constexpr std::uint64_t m4 = 0x6a09e667f3bcc909ULL;
}  // namespace digest_constants

constexpr std::uint64_t rotate_left(std::uint64_t value, int bits) noexcept {
    return (value << bits) | (value >> (64 - bits));
}

// Spreads every input bit over the whole word; bijective, so distinct lane states stay distinct.
constexpr std::uint64_t avalanche(std::uint64_t value, std::uint64_t multiplier) noexcept {
    value ^= value >> 31;
    value *= multiplier;
    value ^= value >> 29;
    value *= digest_constants::m4;
    value ^= value >> 32;
    return value;
}

inline digest128 digest_of(std::string_view bytes) noexcept {
    using namespace digest_constants;
    std::uint64_t first = m3;
    std::uint64_t second = m4;
    const auto step = [&first, &second](std::uint64_t word) {
        first = rotate_left(first ^ word, 29) * m1;
        second = rotate_left(second + word * m3, 23) * m2;
    };
    std::size_t at = 0;
    for (; at + 8 <= bytes.size(); at += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + at, 8);
        step(word);
    }
    if (at < bytes.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + at, bytes.size() - at);
        step(word);
    }
    const std::uint64_t length = bytes.size();
    return {avalanche(first ^ length, m2), avalanche(second ^ rotate_left(length, 32), m1)};
}

}  // namespace paged::detail
