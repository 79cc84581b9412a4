#pragma once
// paged::walk_state: what a walk has done and where it stands, kept current by paginate()/pages() when
// walk_options::state points at one. It tells why a walk ended (walk_options::max_items and max_pages end it early on
// purpose; this is where that is reported) and turns the current position into a checkpoint.
//
//     paged::walk_state state(api);   // the cursor type comes from the fetcher
//     auto records = paged::paginate(api, paged::walk_options().state(state));

#include <paged/checkpoint.hpp>
#include <paged/page_fetcher.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace paged {

enum class stop_reason {
    running,          // not ended yet
    exhausted,        // the source had no next page
    max_items,        // walk_options::max_items reached while there was more
    max_pages,        // walk_options::max_pages reached while there was a next page
    repeated_cursor,  // repeat_policy::stop met a cursor it had already followed
    repeated_page,    // repeat_policy::stop met a page that repeats the previous one under another cursor
};

template <class Cursor>
struct walk_state {
    walk_state() = default;
    // For the deduction guide below: the fetcher is only looked at for its cursor type.
    template <page_fetcher F>
        requires std::same_as<typename F::cursor_type, Cursor>
    explicit walk_state(const F&) {}

    // Where the walk goes on after the last item handed out: the cursor of that item's page and how many of the page's
    // items were handed out; the next page's cursor (offset 0) once a page is used up; the item's own cursor (offset 0)
    // when the fetcher names one per item (page::item_cursors). The first cursor before any item.
    Cursor cursor{};
    std::size_t offset = 0;

    std::size_t pages = 0;     // pages fetched
    std::size_t requests = 0;  // fetches started
    std::size_t items = 0;     // items fetched (not counting those a checkpoint skipped)
    std::uint64_t bytes = 0;
    std::optional<std::uint64_t> total;  // the last total the source reported
    stop_reason stop = stop_reason::running;
    std::optional<std::uint64_t> fingerprint;  // set when the fetcher has fingerprint()

    // Where to resume to go on right after the last item handed out.
    checkpoint to_checkpoint() const
        requires encodable_cursor<Cursor>
    {
        if (!fingerprint) throw checkpoint_error("paged::checkpoint: the fetcher has no fingerprint() to check against");
        checkpoint saved;
        saved.fingerprint = *fingerprint;
        saved.offset = offset;
        saved.cursor = cursor_codec<Cursor>::encode(cursor);
        return saved;
    }
};

template <page_fetcher F>
walk_state(const F&) -> walk_state<typename F::cursor_type>;

}  // namespace paged
