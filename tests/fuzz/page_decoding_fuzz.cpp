// Every strategy reading pages from a hostile server: whatever the status, headers and body, a walk of at most three
// requests ends with items or a paged::error, and a checkpoint taken where it stopped reads back and resumes.
//
// Input: one byte choosing the strategy (byte % 4: offset, cursor, keyset, link) and its options (byte / 4 % 4, and
// byte / 16 % 2 for offset's item_id; the seeds use '@' to 'O'), the status in decimal up to '\n', "Name: value"
// header lines up to an empty line, then the body. Every request of the walk gets that same response.

#include <paged/collect.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>
#include <paged/testing/fake_api.hpp>

#include "fuzz_support.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace http = paged::http;
const std::string endpoint = "https://api.test/items";

template <class Fetcher>
void walk(const Fetcher& fetcher) {
    paged::walk_state state(fetcher);
    paged::manual_clock time;
    paged::event_loop loop(time);
    try {
        auto items = paged::paginate(fetcher, paged::walk_options().max_requests(3).state(state));
        (void)paged::sync_wait(loop, paged::collect(std::move(items)));
    } catch (const paged::error&) {
    }
    const paged::checkpoint saved = state.to_checkpoint();
    paged_fuzz::check(paged::checkpoint::parse(saved.to_string()) == saved, "the checkpoint reads back");
    try {
        auto resumed = paged::paginate(fetcher, paged::walk_options().max_requests(1).resume(saved));
        (void)paged::sync_wait(loop, paged::collect(std::move(resumed)));
    } catch (const paged::error&) {
    }
}

void walk_with(unsigned choice, paged::testing::fake_api& api) {
    const unsigned variant = (choice / 4) % 4;
    switch (choice % 4) {
        case 0: {
            using enum http::offset_style;
            static constexpr http::offset_style styles[] = {limit_offset, start_end, page_number, page_number};
            auto options = http::offset_options(endpoint).page_size(2).style(styles[variant]);
            options.first_page(variant == 3 ? 0 : 1);
            if (variant % 2 == 1) options.items("/data").total("/total");
            if ((choice / 16) % 2 == 1 && variant < 2) options.item_id("/id");  // overlapping pages, drift checks
            return walk(http::offset(api, std::move(options)));
        }
        case 1: {
            if (variant == 3) {  // a GraphQL relay connection: the same token walk, over POST, with "errors"
                return walk(http::graphql(api, http::graphql_options(endpoint, "query($first: Int, $after: String)",
                                                                     "/data/c").page_size(2)));
            }
            auto options = http::cursor_options(endpoint);
            if (variant == 1) options.has_more("/has_more");
            if (variant == 2) options.next_header("X-Next-Cursor");
            return walk(http::cursor(api, std::move(options.page_size(2))));
        }
        case 2: {
            auto options = http::keyset_options(endpoint).page_size(2);
            if (variant == 1) options.items("").has_more("").key("/created_at", "after_created_at").key("/id", "after_id");
            if (variant >= 2) {  // inclusive: boundary rows compared and dropped here, pages widened
                options.items("").has_more("").inclusive(true).descending(variant == 3).key("/created_at", "since")
                    .key("/id", "");
            }
            return walk(http::keyset(api, std::move(options)));
        }
        default: {
            auto options = http::link_options(endpoint);
            if (variant % 2 == 1) options.items("/data").next("/links/next");
            return walk(http::next_link(api, std::move(options)));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = paged_fuzz::text(data, size);
    if (input.empty()) return 0;
    const auto choice = static_cast<unsigned char>(input.front());
    input.remove_prefix(1);
    http::response reply;
    const std::string_view status = paged_fuzz::take_line(input);
    (void)std::from_chars(status.data(), status.data() + status.size(), reply.status);  // not a number: status 0
    reply.headers = paged_fuzz::take_fields(input);
    reply.body = std::string(input);
    paged::testing::fake_api api([&reply](const http::request&, const http::url&) { return reply; });
    walk_with(choice, api);
    return 0;
}
