#include <paged/blocking.hpp>
#include <paged/collect.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include "support/memory_source.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using paged_test::memory_fetcher;
using cursor = memory_fetcher::cursor_type;

namespace {

// Processes `count` items of a fresh walk and returns the checkpoint string taken right after the last one.
std::string process_then_save(const memory_fetcher& api, std::size_t count, std::vector<int>& processed) {
    paged::walk_state state(api);
    paged::event_loop loop;
    for (int item : paged::blocking(paged::paginate(api, paged::walk_options().state(state)), loop)) {
        processed.push_back(item);
        if (processed.size() == count) break;
    }
    return state.to_checkpoint().to_string();
}

std::vector<int> resume_from(const memory_fetcher& api, const std::string& saved) {
    paged::event_loop loop;
    const auto checkpoint = paged::checkpoint::parse(saved);
    return paged::sync_wait(loop, paged::collect(paged::paginate(api, paged::walk_options().resume(checkpoint))));
}

}  // namespace

TEST_CASE("checkpoint: a walk stopped after any item resumes right after it, nothing lost or repeated", "[checkpoint]") {
    const auto rows = paged_test::iota_rows(230);
    int fetches = 0;
    const memory_fetcher api{&rows, 50, &fetches};

    for (const std::size_t stop_after : {1u, 17u, 49u, 50u, 51u, 100u, 229u, 230u}) {
        CAPTURE(stop_after);
        std::vector<int> processed;
        const std::string saved = process_then_save(api, stop_after, processed);
        fetches = 0;
        const auto rest = resume_from(api, saved);
        processed.insert(processed.end(), rest.begin(), rest.end());
        CHECK(processed == rows);
        // Resuming refetches the page of the last processed item, then goes on; after a page's last item it starts at
        // the next page (only the walk's very last page has none to name).
        const bool page_used_up = stop_after % 50 == 0 && stop_after < rows.size();
        const auto pages_left = 5 - static_cast<int>((page_used_up ? stop_after : stop_after - 1) / 50);
        CHECK(fetches == pages_left);
    }
}

TEST_CASE("checkpoint: before the first item it points at the first page", "[checkpoint]") {
    const auto rows = paged_test::iota_rows(120);
    const memory_fetcher api{&rows, 50};
    paged::walk_state<cursor> state;
    auto records = paged::paginate(api, paged::walk_options().state(state));
    CHECK(resume_from(api, state.to_checkpoint().to_string()) == rows);
}

TEST_CASE("checkpoint: the string round-trips, whatever bytes the cursor holds", "[checkpoint]") {
    paged::checkpoint saved;
    saved.fingerprint = 0x0123456789abcdefULL;
    saved.offset = 42;
    saved.cursor = std::string("a b&c=d/%\n\xff\0z", 14);
    const auto text = saved.to_string();
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.find(' ', text.find("cursor=")) == text.find(" sum="));
    CHECK(paged::checkpoint::parse(text) == saved);

    const std::vector<std::string> parts{"2024-05-01T00:00:00Z", "", "7:x"};
    CHECK(paged::cursor_codec<std::vector<std::string>>::decode(
              paged::cursor_codec<std::vector<std::string>>::encode(parts)) == parts);
}

TEST_CASE("checkpoint: corrupted, truncated or future strings are refused with a clear error", "[checkpoint]") {
    paged::checkpoint saved;
    saved.fingerprint = 99;
    saved.offset = 3;
    saved.cursor = "150";
    const auto text = saved.to_string();

    std::string edited = text;
    edited[edited.find("offset=3") + 7] = '4';
    CHECK_THROWS_WITH(paged::checkpoint::parse(edited), Catch::Contains("checksum"));
    CHECK_THROWS_AS(paged::checkpoint::parse(text.substr(0, text.size() - 1)), paged::checkpoint_error);
    CHECK_THROWS_AS(paged::checkpoint::parse(text.substr(0, text.find(" sum="))), paged::checkpoint_error);
    CHECK_THROWS_AS(paged::checkpoint::parse(text + " "), paged::checkpoint_error);
    CHECK_THROWS_AS(paged::checkpoint::parse(""), paged::checkpoint_error);
    CHECK_THROWS_AS(paged::checkpoint::parse("garbage"), paged::checkpoint_error);
    CHECK_THROWS_WITH(paged::checkpoint::parse("paged-checkpoint v2 fp=0 offset=0 cursor= sum=0"),
                      Catch::Contains("v2 is not supported"));
    std::string bad_escape = text;
    bad_escape.replace(bad_escape.find("cursor=150"), 10, "cursor=%G0");
    CHECK_THROWS_AS(paged::checkpoint::parse(bad_escape), paged::checkpoint_error);
}

TEST_CASE("checkpoint: one of another configuration is refused before anything is fetched", "[checkpoint]") {
    const auto rows = paged_test::iota_rows(230);
    int fetches = 0;
    const memory_fetcher api{&rows, 50, &fetches};
    std::vector<int> processed;
    const auto saved = paged::checkpoint::parse(process_then_save(api, 60, processed));

    memory_fetcher other_page_size = api;
    other_page_size.page_size = 100;
    fetches = 0;
    CHECK_THROWS_WITH(paged::paginate(other_page_size, paged::walk_options().resume(saved)),
                      Catch::Contains("different configuration") && Catch::Contains("page_size=100"));
    CHECK_THROWS_AS(paged::paginate(api, paged::walk_options().start(cursor{0}).resume(saved)), paged::usage_error);
    CHECK(fetches == 0);

    paged::checkpoint bad_cursor = saved;
    bad_cursor.cursor = "fifty";
    CHECK_THROWS_WITH(paged::paginate(api, paged::walk_options().resume(bad_cursor)), Catch::Contains("not an integer"));
}

TEST_CASE("checkpoint: a fetcher without fingerprint() cannot checkpoint", "[checkpoint]") {
    paged_test::scripted_fetcher api;
    paged::walk_state<std::string> state;
    auto records = paged::paginate(api, paged::walk_options().state(state));
    CHECK_THROWS_AS(state.to_checkpoint(), paged::checkpoint_error);
    paged::checkpoint saved;
    CHECK_THROWS_AS(paged::paginate(api, paged::walk_options().resume(saved)), paged::checkpoint_error);
}

TEST_CASE("checkpoint: one taken in on_page, before the new page's items, loses none of them", "[checkpoint]") {
    const auto rows = paged_test::iota_rows(230);
    const memory_fetcher api{&rows, 50};
    paged::walk_state<cursor> state;
    std::vector<std::string> saved;
    const auto save = [&state, &saved](const paged::page_event&) { saved.push_back(state.to_checkpoint().to_string()); };
    paged::event_loop loop;
    std::vector<int> processed;
    for (int item : paged::blocking(paged::paginate(api, paged::walk_options().on_page(save).state(state)), loop)) {
        processed.push_back(item);
        if (processed.size() == 120) break;
    }
    REQUIRE(saved.size() == 3);
    // Saved when page 3 arrived, before any of its items: the resumed walk starts with its first item.
    CHECK(resume_from(api, saved[2]) == std::vector<int>(rows.begin() + 100, rows.end()));
}

TEST_CASE("checkpoint: max_items that ends exactly at a page's end names the next page", "[checkpoint]") {
    const auto rows = paged_test::iota_rows(120);
    int fetches = 0;
    const memory_fetcher api{&rows, 50, &fetches};
    paged::walk_state state(api);
    paged::event_loop loop;
    CHECK(paged::sync_wait(loop, paged::collect(paged::paginate(api, paged::walk_options().state(state).max_items(50))))
              .size() == 50);
    CHECK(fetches == 1);
    CHECK(state.stop == paged::stop_reason::max_items);
    CHECK(state.cursor == 50);
    CHECK(state.offset == 0);
    fetches = 0;
    const auto rest = resume_from(api, state.to_checkpoint().to_string());
    CHECK(rest.front() == 50);
    CHECK(rest.size() == 70);
    CHECK(fetches == 2);  // pages 2 and 3: page 1 is not fetched again
}
