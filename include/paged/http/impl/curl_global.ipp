#pragma once
// curl_global.hpp's definitions: included by curl_global.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/detail/curl_global.hpp>

#include <curl/curl.h>

#include <string>

namespace paged::http::detail {

PAGED_HTTP_INLINE void ensure_curl_initialised() {
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
