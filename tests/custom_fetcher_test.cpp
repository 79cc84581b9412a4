// page_fetcher is not about HTTP: a user-written fetcher over an in-memory table, queried by keyset
// (WHERE (created_at, id) > (:created_at, :id) ORDER BY created_at, id LIMIT n), with its own cursor type.

#include <paged/adaptors.hpp>
#include <paged/collect.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

struct row {
    std::int64_t created_at;
    std::int64_t id;
    friend bool operator==(const row&, const row&) = default;
};

struct watermark {
    std::int64_t created_at = INT64_MIN;
    std::int64_t id = INT64_MIN;
    friend auto operator<=>(const watermark&, const watermark&) = default;
};

struct table_fetcher {
    using value_type = row;
    using cursor_type = watermark;

    const std::vector<row>* table;  // any order: the query sorts
    std::size_t limit;
    int* queries;

    watermark first_cursor() const { return {}; }
    std::string fingerprint() const { return "table limit=" + std::to_string(limit); }

    paged::task<paged::page<row, watermark>> fetch(watermark after) {
        ++*queries;
        std::vector<row> matching;
        for (const row& r : *table) {
            if (watermark{r.created_at, r.id} > after) matching.push_back(r);
        }
        std::sort(matching.begin(), matching.end(),
                  [](const row& a, const row& b) { return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id); });
        paged::page<row, watermark> result;
        result.items.assign(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(std::min(limit, matching.size())));
        if (matching.size() > limit) result.next = watermark{result.items.back().created_at, result.items.back().id};
        co_return result;
    }
};

}  // namespace

template <>
struct paged::cursor_codec<watermark> {
    static std::string encode(const watermark& w) { return std::to_string(w.created_at) + "," + std::to_string(w.id); }
    static watermark decode(std::string_view text) {
        const auto comma = text.find(',');
        return {cursor_codec<std::int64_t>::decode(text.substr(0, comma)),
                cursor_codec<std::int64_t>::decode(text.substr(comma + 1))};
    }
};

static_assert(paged::page_fetcher<table_fetcher>);
static_assert(paged::fingerprinted_fetcher<table_fetcher>);

TEST_CASE("custom fetcher: a keyset query over a table, rows sharing a timestamp across page boundaries",
          "[custom_fetcher]") {
    // Timestamps repeat in runs of 7 so that pages of 5 cut through them: created_at alone would skip or repeat rows.
    std::vector<row> table;
    for (std::int64_t id = 100; id > 0; --id) table.push_back({id / 7, id});
    int queries = 0;
    const table_fetcher api{&table, 5, &queries};
    paged::event_loop loop;

    const auto walked = paged::sync_wait(loop, paged::collect(paged::paginate(api)));
    auto expected = table;
    std::sort(expected.begin(), expected.end(),
              [](const row& a, const row& b) { return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id); });
    CHECK(walked == expected);
    CHECK(queries == 20);

    queries = 0;
    const auto id_of = [](const row& r) { return r.id; };
    const auto odd = [](std::int64_t id) { return id % 2 == 1; };
    const auto first_odd = paged::sync_wait(
        loop, paged::collect(paged::paginate(api) | paged::map(id_of) | paged::filter(odd) | paged::take(2)));
    CHECK(first_odd == std::vector<std::int64_t>{1, 3});
    CHECK(queries == 1);
}

TEST_CASE("custom fetcher: its own cursor type checkpoints through a cursor_codec", "[custom_fetcher]") {
    std::vector<row> table;
    for (std::int64_t id = 1; id <= 23; ++id) table.push_back({id / 4, id});
    int queries = 0;
    const table_fetcher api{&table, 5, &queries};
    paged::event_loop loop;
    paged::walk_state state(api);  // the cursor type (watermark) comes from the fetcher

    std::vector<row> first_part;
    {
        auto rows = paged::paginate(api, paged::walk_options().max_items(12).state(state));
        first_part = paged::sync_wait(loop, paged::collect(std::move(rows)));
    }
    CHECK(state.stop == paged::stop_reason::max_items);
    const auto saved = paged::checkpoint::parse(state.to_checkpoint().to_string());
    const auto rest = paged::sync_wait(loop, paged::collect(paged::paginate(api, paged::walk_options().resume(saved))));
    first_part.insert(first_part.end(), rest.begin(), rest.end());
    CHECK(first_part == table);
}
