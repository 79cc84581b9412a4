#include "export_session.hpp"

namespace paged_export {

walk_figures export_session::figures() const {
    walk_figures now;
    now.read = read_;
    now.written = written_;
    now.total = total_;
    now.pages = pages_;
    return now;
}

void export_session::flush_output_if_possible() noexcept {
    try {
        parts_.out->flush();
    } catch (const output_problem&) {
        // The failure being reported stays the one to report.
    }
}

bool export_session::wants_more() const noexcept {
    const auto& take = parts_.settings->output.take;
    return !take || written_ < *take;
}

bool export_session::write_page(const std::vector<nlohmann::json>& records) {
    for (const nlohmann::json& record : records) {
        if (!wants_more()) return false;
        ++read_;
        if (parts_.writer->write(record, *parts_.out)) ++written_;
        if (crash_due("record")) {
            parts_.out->flush();
            crash_now();
        }
    }
    return wants_more();
}

void export_session::commit(std::string resume, bool complete) {
    if (parts_.checkpoint == nullptr) return;
    parts_.out->sync();  // the records reach the file before the checkpoint that counts them
    if (crash_due("output-synced")) crash_now();
    export_progress progress;
    progress.settings = parts_.output_identity;
    progress.output_bytes = parts_.out->length();
    progress.written = written_;
    progress.read = read_;
    progress.columns = parts_.writer->columns();
    progress.complete = complete;
    progress.resume = std::move(resume);
    parts_.checkpoint->store(progress);
}

void export_session::finish() {
    parts_.out->flush();
    commit("", true);
}

}  // namespace paged_export
