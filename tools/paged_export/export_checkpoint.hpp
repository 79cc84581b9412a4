#pragma once
// --checkpoint FILE: where an export stands, committed after each page so that an export killed at any instant (even
// by SIGKILL) and started again with the same command writes every record exactly once.
//
// The commit, in this order: the output is flushed and synced; the checkpoint goes to FILE.tmp, which is synced and
// renamed over FILE (atomic), then the directory is synced. FILE names the output's length at that point and the
// library's resume cursor (paged::checkpoint) for the record after the page. A restart cuts the output back to that
// length, dropping whatever a killed run wrote after its last commit, and resumes the walk there: the records after
// the commit are written again, once.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace paged_export {

// A checkpoint that cannot be used: unreadable, of another export, or not matching its output (exit status 3). Failing
// to store one (a full disk) is an output_problem instead (exit status 4).
class checkpoint_problem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct export_progress {
    nlohmann::json settings;          // what shapes the output: a resume with other settings is refused
    std::uint64_t output_bytes = 0;   // the output's length at the commit
    std::uint64_t written = 0;        // records written
    std::uint64_t read = 0;           // records read (the filter may drop some)
    std::vector<std::string> columns; // the CSV header, once written
    bool complete = false;            // nothing left to do
    std::string resume;               // paged::checkpoint after the last page written
};

class checkpoint_file {
public:
    explicit checkpoint_file(std::string path) : path_(std::move(path)) {}

    // Nothing when the file does not exist (a fresh export).
    std::optional<export_progress> load() const;
    // Replaces the file atomically and durably; output_problem when it cannot be written.
    void store(const export_progress& progress) const;

    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

// A test hook: PAGED_EXPORT_CRASH_AT=<point>:<n> makes crash_due(point) true the n-th time the export reaches that
// point, and the export then kills itself with SIGKILL there. The tests use it to kill an export inside each step of
// a commit, which an outside kill only hits by chance. Points: record (after a record is written and flushed,
// mid-page), output-synced, checkpoint-temp (FILE.tmp written, not renamed), checkpoint-renamed.
bool crash_due(std::string_view point);
[[noreturn]] void crash_now();

}  // namespace paged_export
