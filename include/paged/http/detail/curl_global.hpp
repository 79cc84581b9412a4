#pragma once
// libcurl's global initialisation, done once per process before the first client and undone at exit. A function-local
// static is initialised exactly once even when several threads build their first client at the same time, which is
// what curl_global_init needs (it is not thread-safe itself before libcurl 7.84).

#include <paged/error.hpp>
#include <paged/http/detail/linkage.hpp>

#include <curl/curl.h>

#include <string>

namespace paged::http::detail {

void ensure_curl_initialised();

}  // namespace paged::http::detail

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/curl_global.ipp>
#endif
