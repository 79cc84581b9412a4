// The HTTP engine and the built-in walks, compiled once for paged_http_separate_tests (tests/CMakeLists.txt).
#include <paged/http/impl/src.hpp>
