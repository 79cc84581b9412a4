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
    // The cursor of the page after this one; empty on the last page of the walk (also when max_items or the repeat
    // policy ended the walk there: for a page-level checkpoint use walk_state).
    std::optional<Cursor> next;
    // The number of items in the whole walk, when the response said (X-Total-Count, Content-Range, a body field).
    std::optional<std::uint64_t> total;
    // Size of the response the page came from, for progress reports; 0 when the source cannot tell.
    std::size_t bytes = 0;
    // Set by a fetcher when this page is good but the walk cannot go past it (it says there is more but gives no
    // cursor): the walk hands the page out, then throws this.
    std::exception_ptr error_after{};

    // Set by paged::pages(), not by fetchers:
    // the cursor this page was fetched with (with `next`, what a page-level checkpoint needs),
    Cursor cursor{};
    // its position in this walk (0 for the first page fetched),
    std::size_t index = 0;
    // and how many of its first items were dropped because a checkpoint said they were already processed.
    std::size_t skipped = 0;
};

}  // namespace paged
