// Checkpoint strings come back from storage a user may not control. Any string either parses or throws
// checkpoint_error; whatever parses is written out and read back unchanged; the cursor codecs either decode the cursor
// or throw checkpoint_error. The first byte picks how the rest is used, so that the checksum does not hide the fields
// behind it: '0' taken as is, '1' signed first (the sum appended as to_string() does), '2' the fields of a new one.

#include <paged/checkpoint.hpp>

#include "fuzz_support.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using paged_fuzz::check;

template <class Cursor>
void decode_cursor(const std::string& text) {
    try {
        const Cursor cursor = paged::cursor_codec<Cursor>::decode(text);
        check(paged::cursor_codec<Cursor>::decode(paged::cursor_codec<Cursor>::encode(cursor)) == cursor,
              "a decoded cursor survives encoding");
    } catch (const paged::checkpoint_error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const int mode = data[0] % 3;
    FuzzedDataProvider input(data + 1, size - 1);
    std::string text;
    if (mode == 2) {
        paged::checkpoint made;
        made.fingerprint = input.ConsumeIntegral<std::uint64_t>();
        made.offset = input.ConsumeIntegral<std::size_t>();
        made.cursor = input.ConsumeRemainingBytesAsString();
        text = made.to_string();
    } else {
        text = input.ConsumeRemainingBytesAsString();
        if (mode == 1) text += " sum=" + paged::detail::to_hex(paged::fingerprint_of(text));
    }
    try {
        const paged::checkpoint parsed = paged::checkpoint::parse(text);
        check(paged::checkpoint::parse(parsed.to_string()) == parsed, "a checkpoint reads back the same");
        decode_cursor<std::string>(parsed.cursor);
        decode_cursor<std::uint64_t>(parsed.cursor);
        decode_cursor<std::vector<std::string>>(parsed.cursor);
    } catch (const paged::checkpoint_error&) {
        check(mode != 2, "a checkpoint made by to_string() parses");
    }
    decode_cursor<std::vector<std::string>>(text);
    decode_cursor<int>(text);
    return 0;
}
