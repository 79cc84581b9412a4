#pragma once
// One export: walks the pages of a fetcher, hands their records to the writer, and commits a checkpoint after each
// page (export_checkpoint.hpp says why that makes a killed export exactly-once).

#include "command_line.hpp"
#include "export_checkpoint.hpp"
#include "output_file.hpp"
#include "progress_meter.hpp"
#include "record_writer.hpp"

#include <paged/blocking.hpp>
#include <paged/checkpoint.hpp>
#include <paged/paginate.hpp>
#include <paged/walk_state.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged_export {

// What a run needs besides its fetcher; all of it outlives the session.
struct session_parts {
    const export_settings* settings;
    output_file* out;
    record_writer* writer;
    progress_meter* meter;
    const checkpoint_file* checkpoint;  // null without --checkpoint
    nlohmann::json output_identity;     // export_progress::settings
};

class export_session {
public:
    // `earlier`: where a resumed export stands (a fresh one starts from nothing).
    export_session(session_parts parts, const export_progress& earlier)
        : parts_(std::move(parts)), written_(earlier.written), read_(earlier.read), resume_(earlier.resume) {}

    // Throws what the walk throws, after the pages before the failure were committed.
    template <class Fetcher>
    void run(Fetcher fetcher) {
        paged::walk_state state(fetcher);
        auto options = paged::walk_options().state(state);
        options.prefetch(parts_.settings->requests.prefetch).concurrency(parts_.settings->requests.concurrency);
        if (!resume_.empty()) options.resume(paged::checkpoint::parse(resume_));
        parts_.writer->start(*parts_.out);
        if (!wants_more()) return finish();
        for (auto& page : paged::blocking(paged::pages(std::move(fetcher), std::move(options)))) {
            const bool more = write_page(page.items);
            ++pages_;
            total_ = state.total;
            parts_.meter->update(figures());
            if (!more) break;
            commit(state.to_checkpoint().to_string(), false);
        }
        finish();
    }

    // Where the export stands, for the progress bar.
    walk_figures figures() const;

    // After a failure: hands the records written so far to the output, unless writing is what failed again.
    void flush_output_if_possible() noexcept;

private:
    bool wants_more() const noexcept;
    // False once --take is reached.
    bool write_page(const std::vector<nlohmann::json>& records);
    void commit(std::string resume, bool complete);
    void finish();

    session_parts parts_;
    std::uint64_t written_;
    std::uint64_t read_;
    std::string resume_;
    std::size_t pages_ = 0;
    std::optional<std::uint64_t> total_;
};

}  // namespace paged_export
