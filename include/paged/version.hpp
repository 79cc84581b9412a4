#pragma once

#define PAGED_VERSION_MAJOR 0
#define PAGED_VERSION_MINOR 1
#define PAGED_VERSION_PATCH 0

namespace paged {
inline constexpr const char* version = "0.1.0";
}
