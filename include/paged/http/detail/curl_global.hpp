#pragma once
// libcurl's global initialisation, done once per process before the first client and undone at exit. A function-local
// static is initialised exactly once even when several threads build their first client at the same time, which is
// what curl_global_init needs (it is not thread-safe itself before libcurl 7.84).

#include <paged/error.hpp>

#include <curl/curl.h>

#include <string>

namespace paged::http::detail {

inline void ensure_curl_initialised() {
    struct global_curl {
        global_curl() {
            const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
            if (code != CURLE_OK) throw paged::error(std::string("paged::http: curl_global_init: ") + curl_easy_strerror(code));
        }
        ~global_curl() { curl_global_cleanup(); }
    };
    static const global_curl once;
}

}  // namespace paged::http::detail
