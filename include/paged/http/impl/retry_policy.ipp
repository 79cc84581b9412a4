#pragma once
// retry_policy.hpp's definitions: included by retry_policy.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/retry_policy.hpp>

#include <curl/curl.h>

#include <optional>
#include <string>

namespace paged::http {

PAGED_HTTP_INLINE retry_policy retry_policy::none() {
    retry_policy off;
    off.enabled_ = false;
    off.max_attempts_ = 1;
    return off;
}

PAGED_HTTP_INLINE std::optional<retry_policy::verdict> retry_policy::judge(const request& sent,
                                                                    const response& reply) const {
    if (!enabled_ || !sent.idempotent()) return std::nullopt;
    const auto hinted = retry_after(reply);
    const int status = reply.status;
    if (status == 429 || ((status == 403 || status == 503) && hinted)) {
        return verdict{retry_reason::throttled, false, hinted ? hinted : rate_limit_reset(reply)};
    }
    if (status == 403) {  // GitHub's primary limit: 403 with X-RateLimit-Remaining: 0
        if (const auto reset = rate_limit_reset(reply)) return verdict{retry_reason::throttled, false, reset};
    }
    if (status == 500 || status == 502 || status == 503 || status == 504 || status == 408) {
        return verdict{retry_reason::server_error, true, hinted};
    }
    return std::nullopt;
}

PAGED_HTTP_INLINE std::optional<retry_policy::verdict> retry_policy::judge_failure(const request& sent,
                                                                            int curl_code) const {
    if (!enabled_ || !sent.idempotent()) return std::nullopt;
    switch (curl_code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
            return verdict{retry_reason::transfer_failed, true, std::nullopt};
        default:
            return std::nullopt;
    }
}

PAGED_HTTP_INLINE clock::duration retry_policy::positive(clock::duration delay, const char* name) {
    if (delay <= clock::duration::zero()) {
        throw usage_error(std::string("paged::http::retry_policy: ") + name + " must be positive");
    }
    return delay;
}

}  // namespace paged::http
