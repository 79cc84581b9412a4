// Peak memory of decoding one page of a million small records, before and after issue 12 (items decoded as the body
// is parsed), from one binary. Measure each with the kernel's figure:
//
//     /usr/bin/time -v build/gcc/bench/paged_large_page_memory        # detail::decode_page, what strategies call
//     /usr/bin/time -v build/gcc/bench/paged_large_page_memory --old  # the old whole-DOM path (old_page_decode.hpp)
//
// "Maximum resident set size" is the peak; the program prints its own (getrusage) and the time the decode took. Both
// runs hold the body text (about 34 MB) and the vector<record> at the end; the difference is what decoding held.

#include "old_page_decode.hpp"

#include <paged/http/detail/page_decoder.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct record {
    std::int64_t id = 0;
    std::string name;
};
void from_json(const nlohmann::json& j, record& r) {
    j.at("id").get_to(r.id);
    j.at("name").get_to(r.name);
}

paged::http::response page_of(std::int64_t count) {
    paged::http::response reply;
    reply.status = 200;
    reply.url = "https://api.test/items";
    reply.body = "[";
    for (std::int64_t id = 0; id < count; ++id) {
        if (id > 0) reply.body += ',';
        reply.body += R"({"id":)" + std::to_string(id) + R"(,"name":"item )" + std::to_string(id) + R"("})";
    }
    reply.body += ']';
    return reply;
}

// As the strategies decode: with the items' digest.
std::vector<record> decode_old(const paged::http::response& reply, const nlohmann::json::json_pointer& at) {
    nlohmann::json body = old_decode::parse_json_body(reply);
    const auto digest = old_decode::items_digest(reply, body, at);
    if (!digest) std::puts("no digest");
    return old_decode::take_items<record>(body, at, reply);
}

std::vector<record> decode_new(paged::http::response& reply, const nlohmann::json::json_pointer& at) {
    auto page = paged::http::detail::decode_page<record>(std::move(reply), paged::http::json_limits(), at,
                                                         paged::http::detail::digest_items::yes);
    if (!page.digest) std::puts("no digest");
    std::vector<record> items = paged::http::detail::items_of(page, at);
    reply = std::move(page.raw);
    return items;
}

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    const bool old = argc > 1 && std::strcmp(argv[1], "--old") == 0;
    paged::http::response reply = page_of(1'000'000);
    const long before = peak_rss_kb();
    const nlohmann::json::json_pointer at("");
    const auto start = std::chrono::steady_clock::now();
    std::vector<record> items = old ? decode_old(reply, at) : decode_new(reply, at);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    std::int64_t sum = 0;
    for (const record& item : items) sum += item.id + static_cast<std::int64_t>(item.name.size());
    std::printf("%s path: %zu items (checksum %lld) from %zu bytes of body in %.1f ms; peak RSS %.1f MB "
                "(%.1f MB before decoding)\n",
                old ? "old" : "new", items.size(), static_cast<long long>(sum), reply.body.size(), took.count(),
                static_cast<double>(peak_rss_kb()) / 1024, static_cast<double>(before) / 1024);
    return 0;
}
