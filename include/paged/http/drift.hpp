#pragma once
// Drift: the list an offset walk reads changes under it. Offsets name positions, not items, so a row inserted before
// the walk's position shifts every later page by one (an item handed out twice) and a row deleted there shifts them
// back (an item never handed out). paged::http::offset notices it two ways:
//   * the total (X-Total-Count, Content-Range, the body's total) differs between two pages of one walk;
//   * with offset_options::item_id, each page after the first is asked for one item early and must start with the
//     previous page's last item. Found further in, the rows inserted before the position are skipped and the walk is
//     exact again (healed); not found, rows were deleted there (items were skipped) or more were inserted than a page
//     holds, and the walk cannot tell which. With item_id this check decides: a total that changed while the page
//     still starts where it should (rows added or removed past the position) is not drift.
// The first page of a walk, resumed or not, has no page before it to be checked against.
// drift_policy says what happens then; offset_options::on_drift is told either way (not under ignore).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace paged::http {

enum class drift_policy {
    error,   // (default) a pagination_error (source_changed) before the page that revealed it is handed out
    warn,    // on_drift is told and the walk goes on, inexact
    ignore,  // nothing is checked, and no page is asked for one item early
};

enum class drift_kind {
    total_changed,  // the total differs from the previous page's
    page_shifted,   // the page does not start with the item the previous page ended with
};

// What offset_options::on_drift is told. A healed shift (exact) is told but never an error.
struct drift_event {
    drift_kind kind = drift_kind::total_changed;
    std::string url;             // the request that revealed it
    std::uint64_t position = 0;  // the offset (or page number) the page was to start at
    std::optional<std::uint64_t> previous_total{};
    std::optional<std::uint64_t> total{};
    // page_shifted: item_id of the previous page's last item, and of the item where it was expected (JSON text,
    // "" for a page with no items).
    std::string expected_id{};
    std::string found_id{};
    std::size_t inserted = 0;  // exact: how many rows were inserted before the position (and skipped)
    bool exact = false;        // true when the walk healed: nothing repeated or skipped
    std::string message{};     // what happened, as an error would say it
};

}  // namespace paged::http
