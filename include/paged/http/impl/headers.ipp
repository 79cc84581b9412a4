#pragma once
// headers.hpp's definitions: included by headers.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/headers.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paged::http {

PAGED_HTTP_INLINE void headers::continue_last(std::string_view more) {
    if (fields_.empty()) return;
    std::string& value = fields_.back().second;
    if (!value.empty() && !more.empty()) value += ' ';
    value += more;
}

PAGED_HTTP_INLINE std::optional<std::string_view> headers::get(std::string_view name) const {
    for (const auto& [key, value] : fields_) {
        if (detail::iequals(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

PAGED_HTTP_INLINE std::vector<std::string_view> headers::get_all(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& [key, value] : fields_) {
        if (detail::iequals(key, name)) values.emplace_back(value);
    }
    return values;
}

}  // namespace paged::http
