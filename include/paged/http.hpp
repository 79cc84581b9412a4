#pragma once
// paged's HTTP layer (target paged::http: libcurl and nlohmann_json): the client, the pagination strategies and
// what they are built from. The core is in paged/paged.hpp.

#include <paged/http/checked_send.hpp>
#include <paged/http/client.hpp>
#include <paged/http/content_range.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/drift.hpp>
#include <paged/http/error.hpp>
#include <paged/http/graphql_fetcher.hpp>
#include <paged/http/headers.hpp>
#include <paged/http/json_body.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/link_header.hpp>
#include <paged/http/message.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/http/retry_after.hpp>
#include <paged/http/retry_policy.hpp>
#include <paged/http/transport.hpp>
#include <paged/http/url.hpp>
