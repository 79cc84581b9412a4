#pragma once
// The HTTP engine's compiled part, for programs built with PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp):
// include this in exactly one source file of the program.

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#error "paged/http/impl/src.hpp compiles the HTTP engine once: define PAGED_HTTP_SEPARATE_COMPILATION for every file of the program (without it, paged::http is header-only and needs no such file)"
#endif

#include <paged/http/impl/client.ipp>
#include <paged/http/impl/compiled_walks.ipp>
#include <paged/http/impl/content_range.ipp>
#include <paged/http/impl/curl_global.ipp>
#include <paged/http/impl/error.ipp>
#include <paged/http/impl/exchange.ipp>
#include <paged/http/impl/headers.ipp>
#include <paged/http/impl/host_slots.ipp>
#include <paged/http/impl/json_body.ipp>
#include <paged/http/impl/link_header.ipp>
#include <paged/http/impl/message.ipp>
#include <paged/http/impl/origin_policy.ipp>
#include <paged/http/impl/page_decoder.ipp>
#include <paged/http/impl/page_digest.ipp>
#include <paged/http/impl/retry_after.ipp>
#include <paged/http/impl/retry_policy.ipp>
#include <paged/http/impl/url.ipp>
