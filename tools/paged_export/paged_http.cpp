// paged's HTTP engine and the walks of its built-in fetchers, compiled once for the whole tool: the tool's files are
// built with PAGED_HTTP_SEPARATE_COMPILATION (tools/CMakeLists.txt), as a program with several files that walk endpoints
// would be (README.md, the paragraph on compile time).
#include <paged/http/impl/src.hpp>
