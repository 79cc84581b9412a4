#include "output_file.hpp"

#include "export_checkpoint.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace paged_export {

namespace {
constexpr std::size_t flush_threshold = std::size_t{1} << 16;

std::string system_message() { return std::strerror(errno); }

int open_or_throw(const std::string& path, int flags) {
    const int descriptor = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (descriptor < 0) throw output_problem("cannot open " + path + ": " + system_message());
    return descriptor;
}
}  // namespace

output_file::output_file(int descriptor, std::string name, std::uint64_t length) noexcept
    : descriptor_(descriptor), name_(std::move(name)), length_(length) {}

output_file::output_file(output_file&& other) noexcept
    : descriptor_(std::exchange(other.descriptor_, -1)), name_(std::move(other.name_)), length_(other.length_),
      buffer_(std::move(other.buffer_)) {}

output_file::~output_file() {
    if (descriptor_ > STDERR_FILENO) ::close(descriptor_);
}

output_file output_file::standard_output() { return output_file(STDOUT_FILENO, "standard output", 0); }

output_file output_file::fresh(const std::string& path) {
    return output_file(open_or_throw(path, O_WRONLY | O_CREAT | O_TRUNC), path, 0);
}

output_file output_file::resumed(const std::string& path, std::uint64_t length) {
    const int descriptor = open_or_throw(path, O_WRONLY);
    output_file file(descriptor, path, length);
    struct stat status {};
    if (::fstat(descriptor, &status) != 0) file.fail("examine");
    if (static_cast<std::uint64_t>(status.st_size) < length) {
        throw checkpoint_problem("the checkpoint covers " + std::to_string(length) + " bytes of " + path +
                                 " but the file has " + std::to_string(status.st_size) +
                                 ": it was changed since; delete the checkpoint to start over");
    }
    // What was written after the last checkpoint is written again by the resumed walk.
    if (::ftruncate(descriptor, static_cast<off_t>(length)) != 0) file.fail("truncate");
    if (::lseek(descriptor, 0, SEEK_END) < 0) file.fail("seek in");
    return file;
}

void output_file::append(std::string_view bytes) {
    buffer_.append(bytes);
    length_ += bytes.size();
    if (buffer_.size() >= flush_threshold) flush();
}

void output_file::flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
        const ssize_t wrote = ::write(descriptor_, buffer_.data() + done, buffer_.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) {
            buffer_.erase(0, done);  // so that a second try does not write those bytes twice
            fail("write to");
        }
        done += static_cast<std::size_t>(wrote);
    }
    buffer_.clear();
}

void output_file::sync() {
    flush();
    if (::fsync(descriptor_) != 0) fail("sync");
}

void output_file::fail(const char* doing) const {
    throw output_problem(std::string("cannot ") + doing + " " + name_ + ": " + system_message());
}

}  // namespace paged_export
