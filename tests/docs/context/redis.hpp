#pragma once
// For fragments about paged::redis: the HTTP context, and the Redis-backed budget.

#include "http.hpp"

#include <paged/redis/rate_limiter.hpp>

namespace paged_docs::redis {
using namespace paged_docs::http;
}  // namespace paged_docs::redis
