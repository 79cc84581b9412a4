#include "export_checkpoint.hpp"

#include "output_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace paged_export {

namespace {

constexpr std::string_view format_key = "paged_export_checkpoint";
constexpr int format_version = 1;

// Storing a checkpoint is writing a file like the output: a full disk is an I/O failure, not a refused checkpoint.
[[noreturn]] void fail_system(const std::string& doing, const std::string& path) {
    throw output_problem("cannot " + doing + " checkpoint " + path + ": " + std::strerror(errno));
}

std::uint64_t count_at(const nlohmann::json& document, const char* key) {
    const auto found = document.find(key);
    if (found == document.end() || !found->is_number_unsigned()) {
        throw checkpoint_problem(std::string("'") + key + "' is missing or not a count");
    }
    return found->get<std::uint64_t>();
}

export_progress decode(const nlohmann::json& document) {
    if (!document.is_object() || document.value(format_key, 0) != format_version) {
        throw checkpoint_problem("not a paged-export checkpoint (version " + std::to_string(format_version) + ")");
    }
    export_progress progress;
    progress.settings = document.at("settings");
    progress.output_bytes = count_at(document, "output_bytes");
    progress.written = count_at(document, "written");
    progress.read = count_at(document, "read");
    progress.columns = document.at("columns").get<std::vector<std::string>>();
    progress.complete = document.at("complete").get<bool>();
    progress.resume = document.at("resume").get<std::string>();
    return progress;
}

nlohmann::json encode(const export_progress& progress) {
    nlohmann::json document;
    document[std::string(format_key)] = format_version;
    document["settings"] = progress.settings;
    document["output_bytes"] = progress.output_bytes;
    document["written"] = progress.written;
    document["read"] = progress.read;
    document["columns"] = progress.columns;
    document["complete"] = progress.complete;
    document["resume"] = progress.resume;
    return document;
}

void write_all(int descriptor, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t wrote = ::write(descriptor, text.data() + done, text.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) fail_system("write", path);
        done += static_cast<std::size_t>(wrote);
    }
}

void write_synced(const std::string& path, const std::string& text) {
    const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (descriptor < 0) fail_system("create", path);
    try {
        write_all(descriptor, text, path);
        if (::fsync(descriptor) != 0) fail_system("sync", path);
    } catch (...) {
        ::close(descriptor);
        throw;
    }
    ::close(descriptor);
}

// So that the rename itself survives a crash of the machine.
void sync_directory_of(const std::string& path) {
    const auto parent = std::filesystem::absolute(path).parent_path();
    const int descriptor = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) fail_system("open the directory of", path);
    const int synced = ::fsync(descriptor);
    ::close(descriptor);
    if (synced != 0) fail_system("sync the directory of", path);
}

}  // namespace

std::optional<export_progress> checkpoint_file::load() const {
    std::error_code status;
    if (!std::filesystem::exists(path_, status) && !status) return std::nullopt;
    std::ifstream in(path_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || status) throw checkpoint_problem("cannot read checkpoint " + path_);
    try {
        return decode(nlohmann::json::parse(text.str()));
    } catch (const std::exception& e) {
        throw checkpoint_problem(path_ + " is not a usable paged-export checkpoint: " + e.what() +
                                 " (delete it to start over)");
    }
}

void checkpoint_file::store(const export_progress& progress) const {
    const std::string temporary = path_ + ".tmp";
    write_synced(temporary, encode(progress).dump() + "\n");
    if (crash_due("checkpoint-temp")) crash_now();
    if (::rename(temporary.c_str(), path_.c_str()) != 0) fail_system("rename over", path_);
    if (crash_due("checkpoint-renamed")) crash_now();
    sync_directory_of(path_);
}

bool crash_due(std::string_view point) {
    static const std::string plan = [] {
        const char* text = std::getenv("PAGED_EXPORT_CRASH_AT");
        return std::string(text != nullptr ? text : "");
    }();
    static unsigned long reached = 0;
    const auto colon = plan.rfind(':');
    if (colon == std::string::npos || std::string_view(plan).substr(0, colon) != point) return false;
    return ++reached == std::strtoul(plan.c_str() + colon + 1, nullptr, 10);
}

void crash_now() {
    std::raise(SIGKILL);
    std::abort();  // not reached: SIGKILL cannot be caught
}

}  // namespace paged_export
