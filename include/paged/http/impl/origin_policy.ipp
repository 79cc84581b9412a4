#pragma once
// origin_policy.hpp's definitions: included by origin_policy.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/origin_policy.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

PAGED_HTTP_INLINE origin_error::origin_error(std::string from, std::string to, const std::string& why)
    : paged::error("paged::http: refused to go from " + from + " to " + to + ": " + why), from_(std::move(from)),
      to_(std::move(to)) {}

namespace detail {

PAGED_HTTP_INLINE std::string lowercase(std::string text) {
    for (char& c : text) c = ascii_lower(c);
    return text;
}

PAGED_HTTP_INLINE void refuse_downgrade(const std::string& from, const std::string& to) {
    if (from.rfind("https:", 0) == 0 && to.rfind("http:", 0) == 0) {
        throw origin_error(from, to, "an https walk never continues over cleartext http");
    }
}

PAGED_HTTP_INLINE bool credentials_may_go(const std::string& home, const std::string& target,
                                          const std::vector<std::string>& allowed, cross_origin policy) {
    refuse_downgrade(home, target);
    if (target == home || std::find(allowed.begin(), allowed.end(), target) != allowed.end()) return true;
    if (policy == cross_origin::refuse) {
        throw origin_error(home, target,
                           "another origin, where the walk's credentials must not go (client_options::allow_origin "
                           "allows it, cross_origin(without_credentials) follows it without them)");
    }
    return false;
}

}  // namespace detail

}  // namespace paged::http
