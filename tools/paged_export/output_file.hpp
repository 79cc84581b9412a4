#pragma once
// Where the records go: standard output or a file, written through one buffer whose every byte is counted, so that a
// checkpoint can name exactly how much of the file it covers.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace paged_export {

// The output cannot be opened or written (exit status 4).
class output_problem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class output_file {
public:
    static output_file standard_output();
    // Empties the file, or creates it.
    static output_file fresh(const std::string& path);
    // Cuts the file back to `length` bytes, what the last checkpoint covered, and appends after them. A file shorter
    // than that was changed since: refused (checkpoint_problem).
    static output_file resumed(const std::string& path, std::uint64_t length);

    output_file(output_file&& other) noexcept;
    output_file& operator=(output_file&&) = delete;
    ~output_file();

    void append(std::string_view bytes);
    // Hands everything buffered to the kernel: enough to survive the process being killed.
    void flush();
    // flush(), then waits for the disk: enough to survive the machine going down.
    void sync();
    // Bytes in the file once everything buffered is written, the part kept by a resume included.
    std::uint64_t length() const noexcept { return length_; }

private:
    output_file(int descriptor, std::string name, std::uint64_t length) noexcept;
    [[noreturn]] void fail(const char* doing) const;

    int descriptor_;
    std::string name_;
    std::uint64_t length_;
    std::string buffer_;
};

}  // namespace paged_export
