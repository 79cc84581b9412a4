#pragma once
// Where credentials may go. A paginated API decides where the walk goes next (a Link header, a next URL in the body,
// a redirect), so the client treats every hop to another origin as untrusted:
//
// * Credentials are every header the user set: the client's (client_options::header) and the request's (a strategy's
//   header(), request::header). They go to the request's home origin (scheme, host, port: a walk's first URL, else
//   the request's own) and to origins allowed with client_options::allow_origin, nowhere else.
// * A hop to another origin is refused with origin_error naming both (cross_origin::refuse, the default), or sent
//   without any user-set header (cross_origin::without_credentials).
// * A hop from https to http is refused whatever the allow-list says: nothing that started encrypted continues in
//   cleartext.

#include <paged/error.hpp>
#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace paged::http {

enum class cross_origin {
    refuse,               // origin_error
    without_credentials,  // followed, with no user-set header
};

// A hop the origin policy does not allow.
class origin_error : public paged::error {
public:
    origin_error(std::string from, std::string to, const std::string& why);
    const std::string& from() const noexcept { return from_; }  // the home origin
    const std::string& to() const noexcept { return to_; }

private:
    std::string from_;
    std::string to_;
};

namespace detail {

std::string lowercase(std::string text);

// True if credentials may go from `home` to `target` (both scheme://host:port); throws origin_error if the hop is
// refused altogether.
void refuse_downgrade(const std::string& from, const std::string& to);

bool credentials_may_go(const std::string& home, const std::string& target, const std::vector<std::string>& allowed,
                        cross_origin policy);

}  // namespace detail

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/origin_policy.ipp>
#endif
