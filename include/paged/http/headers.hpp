#pragma once
// paged::http::headers: header fields in the order received, looked up by name without regard to case
// (RFC 9110 section 5.1). A name can occur several times (several Link fields, for instance).

#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/linkage.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

class headers {
public:
    using field = std::pair<std::string, std::string>;

    headers() = default;
    headers(std::initializer_list<field> fields) : fields_(fields) {}

    void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
    // A continuation line of the last field (obs-fold, RFC 9112 5.2): joined to its value with one space.
    void continue_last(std::string_view more);

    // The first field of that name.
    std::optional<std::string_view> get(std::string_view name) const;
    // Every field of that name, in order.
    std::vector<std::string_view> get_all(std::string_view name) const;

    auto begin() const noexcept { return fields_.begin(); }
    auto end() const noexcept { return fields_.end(); }
    bool empty() const noexcept { return fields_.empty(); }

private:
    std::vector<field> fields_;
};

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/headers.ipp>
#endif
