// Content-Range and X-Total-Count, the totals an offset walk trusts: any parsed range is consistent, reads back the
// same once written out, and a header either gives a total or is reported as a header_error, never anything else.

#include <paged/http/content_range.hpp>
#include <paged/http/detail/exchange.hpp>
#include <paged/http/message.hpp>

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

using paged_fuzz::check;

std::string number(const std::optional<std::uint64_t>& value) { return value ? std::to_string(*value) : "*"; }

void total_of(const std::string& name, std::string_view value) {
    paged::http::response reply;
    reply.status = 200;
    reply.headers.add(name, std::string(value));
    try {
        (void)paged::http::detail::total_from_headers(reply);
    } catch (const paged::error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = paged_fuzz::text(data, size);
    if (const auto range = paged::http::parse_content_range(input)) {
        check(range->first.has_value() == range->last.has_value(), "a range has both ends or neither");
        if (range->first) check(*range->first <= *range->last, "a range does not end before it starts");
        if (range->last && range->complete) check(*range->last < *range->complete, "a range lies within the total");
        const std::string span = range->first ? number(range->first) + "-" + number(range->last) : "*";
        const auto reread = paged::http::parse_content_range("items " + span + "/" + number(range->complete));
        check(reread && reread->first == range->first && reread->last == range->last &&
                  reread->complete == range->complete,
              "a range reads back the same once written out");
    }
    total_of("Content-Range", input);
    total_of("X-Total-Count", input);
    return 0;
}
