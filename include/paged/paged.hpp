#pragma once
// paged: one lazy stream of records from any paginated source. This header brings in the whole core.

#include <paged/adaptors.hpp>
#include <paged/async_generator.hpp>
#include <paged/blocking.hpp>
#include <paged/cancellation.hpp>
#include <paged/checkpoint.hpp>
#include <paged/clock.hpp>
#include <paged/collect.hpp>
#include <paged/event_loop.hpp>
#include <paged/for_each.hpp>
#include <paged/page.hpp>
#include <paged/page_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/pagination_error.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>
#include <paged/version.hpp>
#include <paged/walk_options.hpp>
#include <paged/walk_state.hpp>
#include <paged/when_all.hpp>
