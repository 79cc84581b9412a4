#pragma once
// message.hpp's definitions: included by message.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/message.hpp>

#include <string>

namespace paged::http {

PAGED_HTTP_INLINE bool request::idempotent() const noexcept {
    if (idempotent_) return *idempotent_;
    for (const char* verb : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
        if (method_ == verb) return true;
    }
    return false;
}

PAGED_HTTP_INLINE request& request::headers(const http::headers& fields) & {
    for (const auto& [name, value] : fields) headers_.add(name, value);
    return *this;
}

PAGED_HTTP_INLINE std::string request::target() const { return http::url(url_).append_query(query_).str(); }

}  // namespace paged::http
