// The HTTP engine compiled once, for the PAGED_HTTP_SEPARATE_COMPILATION figures of bench/compile/run.
#include <paged/http/impl/src.hpp>
