#pragma once
// paged::pagination_error: a walk that cannot go on correctly. Raised instead of looping forever, skipping pages or
// silently returning a short result.

#include <paged/error.hpp>

#include <string>

namespace paged {

enum class pagination_failure {
    repeated_cursor,          // a next cursor (or next URL) this walk has already followed: a cycle
    stalled_cursor,           // a page that gave back the very cursor it was fetched with: an empty one, or a keyset
                              // page whose last item is the one it was asked to start after
    repeated_page,            // a different position answered with the same page (a parameter the API ignores)
    has_more_without_cursor,  // the response said there is more but gave nothing to continue from
    max_requests,             // the walk's request budget ran out while the API still had a next page
    shard_page_short,         // a sharded walk met a page that was not full before the end: shards would overlap
    source_changed,           // the data changed under a walk that cannot stay exact (offset drift: paged/http/drift.hpp)
};

class pagination_error : public error {
public:
    pagination_error(pagination_failure failure, const std::string& message) : error(message), failure_(failure) {}
    pagination_failure failure() const noexcept { return failure_; }

private:
    pagination_failure failure_;
};

}  // namespace paged
