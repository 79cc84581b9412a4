#pragma once
// paged::page<T, Cursor>: one page of a paginated source, as a fetcher returns it and as paged::pages() yields it.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

namespace paged {

template <class T, class Cursor>
struct page {
    std::vector<T> items;
    // The cursor of the page after this one; empty on the last page of the walk (also when max_items cut this page
    // short, or the repeat policy ended the walk there: for a page-level checkpoint use walk_state).
    std::optional<Cursor> next;
    // The number of items in the whole walk, when the response said (X-Total-Count, Content-Range, a body field).
    std::optional<std::uint64_t> total;
    // Size of the response the page came from, for progress reports; 0 when the source cannot tell.
    std::size_t bytes = 0;
    // Set by a fetcher when this page is good but the walk cannot go past it (it says there is more but gives no
    // cursor): the walk hands the page out, then throws this.
    std::exception_ptr error_after{};
    // Set by a fetcher when this page repeats the previous page's content under another cursor (a server that ignores
    // the parameter meant to move the walk on). The walk's repeat_policy decides: error throws it before the page is
    // handed out, stop ends the walk before it, allow hands it out.
    std::exception_ptr repeats_previous{};
    // Set by a fetcher that can name the position right after each item (one cursor per item: keyset strategies).
    // Checkpoints then name the last item handed out rather than its page and a count, so that a resume goes on right
    // after it whatever was inserted or deleted before it meanwhile.
    std::vector<Cursor> item_cursors{};

    // Set by paged::pages(), not by fetchers:
    // the cursor this page was fetched with (with `next`, what a page-level checkpoint needs),
    Cursor cursor{};
    // its position in this walk (0 for the first page fetched),
    std::size_t index = 0;
    // and how many of its first items were dropped because a checkpoint said they were already processed.
    std::size_t skipped = 0;
};

}  // namespace paged
