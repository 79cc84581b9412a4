#pragma once
// paged::error: the base of every error paged reports (catch it to catch them all). The derived types say what went
// wrong and carry what a log line or a retry decision needs.

#include <stdexcept>

namespace paged {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// paged was used in a way it cannot honour (an option out of range, a walk driven by the wrong event loop, a stream
// awaited after its end). The message says what to write instead.
class usage_error : public error {
public:
    using error::error;
};

}  // namespace paged
