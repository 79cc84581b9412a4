// The Link header parser on any bytes: it either throws link_header_error at a position inside the input, or returns
// links that, written back out, parse to the same links (so nothing was half-read or invented).

#include <paged/http/link_header.hpp>

#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using paged::http::link;
using paged_fuzz::check;

std::string written_back(const std::vector<link>& links) {
    std::string text;
    for (const link& each : links) {
        text += (text.empty() ? "<" : ", <") + each.target + ">";
        for (const auto& param : each.params) {
            text += "; " + param.name + "=\"";
            for (const char c : param.value) {
                if (c == '"' || c == '\\') text += '\\';
                text += c;
            }
            text += '"';
        }
    }
    return text;
}

bool same(const std::vector<link>& a, const std::vector<link>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].target != b[i].target || a[i].params.size() != b[i].params.size()) return false;
        for (std::size_t j = 0; j < a[i].params.size(); ++j) {
            const auto &x = a[i].params[j], &y = b[i].params[j];
            if (x.name != y.name || x.value != y.value) return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = paged_fuzz::text(data, size);
    try {
        const std::vector<link> links = paged::http::parse_link_header(input);
        check(same(paged::http::parse_link_header(written_back(links)), links), "links survive being written back");
    } catch (const paged::http::link_header_error& e) {
        check(e.position() <= input.size(), "an error position lies within the input");
    }
    // Several fields: every line is one field value, as a response with repeated Link fields carries them.
    std::vector<std::string_view> fields;
    for (std::string_view rest = input; !rest.empty();) fields.push_back(paged_fuzz::take_line(rest));
    try {
        const auto next = paged::http::find_link(fields, "next");
        check(!next || next->find('>') == std::string::npos, "a target ends at its '>'");
    } catch (const paged::http::link_header_error&) {
    }
    return 0;
}
