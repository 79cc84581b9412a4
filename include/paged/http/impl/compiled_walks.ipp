#pragma once
// The walks that the fetchers' headers declare extern under PAGED_HTTP_SEPARATE_COMPILATION (detail/compiled_walk.hpp),
// compiled once, by paged/http/impl/src.hpp.

#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/detail/compiled_walk.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>

PAGED_HTTP_COMPILED_WALK(, cursor_fetcher);
PAGED_HTTP_COMPILED_WALK(, graphql_fetcher);
PAGED_HTTP_COMPILED_WALK(, keyset_fetcher);
PAGED_HTTP_COMPILED_WALK(, link_fetcher);
PAGED_HTTP_COMPILED_WALK(, offset_fetcher);
