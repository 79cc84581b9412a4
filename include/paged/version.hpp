#pragma once
// The one place the version is written: CMake reads these three lines (CMakeLists.txt), and so does the package
// metadata generated from it (pagedConfigVersion.cmake, paged.pc).

#define PAGED_VERSION_MAJOR 0
#define PAGED_VERSION_MINOR 1
#define PAGED_VERSION_PATCH 0

#define PAGED_DETAIL_TEXT(x) #x
#define PAGED_DETAIL_VERSION_TEXT(major, minor, patch)                                                                 \
    PAGED_DETAIL_TEXT(major) "." PAGED_DETAIL_TEXT(minor) "." PAGED_DETAIL_TEXT(patch)

namespace paged {
inline constexpr const char* version =
    PAGED_DETAIL_VERSION_TEXT(PAGED_VERSION_MAJOR, PAGED_VERSION_MINOR, PAGED_VERSION_PATCH);
}
