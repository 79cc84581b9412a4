#pragma once
// The progress bar on standard error: records read against the total when the API tells one (X-Total-Count,
// Content-Range, --total), records a second otherwise, and a line for every retry the client makes.

#include "command_line.hpp"

#include <paged/http/retry_policy.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace paged_export {

struct walk_figures {
    std::uint64_t read = 0;     // records read, those of a resumed run's earlier runs included
    std::uint64_t written = 0;  // records written (the filter may drop some)
    std::optional<std::uint64_t> total;
    std::size_t pages = 0;  // pages of this run
};

class progress_meter {
public:
    // `terminal`: standard error is one. Then the bar is redrawn in place; otherwise (forced) it prints lines.
    progress_meter(progress_mode mode, bool terminal, std::uint64_t already_read);

    bool shown() const noexcept { return shown_; }
    void update(const walk_figures& now);  // at most 10 times a second on a terminal, once a second otherwise
    void retry(const paged::http::retry_event& event);
    void finish(const walk_figures& now, const std::string& outcome);

private:
    using steady = std::chrono::steady_clock;

    std::string describe(const walk_figures& now) const;
    std::string retries_text() const;
    void draw(const std::string& text);
    void clear_line();

    bool shown_;
    bool terminal_;
    std::uint64_t already_read_;  // not counted in the rate
    std::size_t retries_ = 0;
    steady::time_point started_ = steady::now();
    std::optional<steady::time_point> drawn_at_;
    std::string last_;
};

}  // namespace paged_export
