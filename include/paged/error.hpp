#pragma once
// paged::error: the base of every error paged reports (catch it to catch them all). The derived types say what went
// wrong and carry what a log line or a retry decision needs.

#include <stdexcept>

namespace paged {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace paged
