#pragma once
// page_digest.hpp's definitions: included by page_digest.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/detail/page_digest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace paged::http::detail {

PAGED_HTTP_INLINE void items_digest::add(const nlohmann::json& item) {
    write(item);
    ++count_;
    if (bytes_.size() >= chunk_bytes) flush(false);
}

PAGED_HTTP_INLINE std::optional<digest128> items_digest::finish() {
    if (count_ == 0) return std::nullopt;
    flush(true);
    return content_digest(chunks_);
}

PAGED_HTTP_INLINE void items_digest::flush(bool all) {
    const std::string_view bytes(bytes_);
    std::size_t at = 0;
    for (; at + chunk_bytes <= bytes.size(); at += chunk_bytes) append(content_digest(bytes.substr(at, chunk_bytes)));
    if (all && at < bytes.size()) {
        append(content_digest(bytes.substr(at)));
        at = bytes.size();
    }
    bytes_.erase(0, at);
}

PAGED_HTTP_INLINE void items_digest::append(const digest128& digest) {
    word(digest.first, chunks_);
    word(digest.second, chunks_);
}

PAGED_HTTP_INLINE void items_digest::write(const json& item) {
    const json* pending = &item;
    while (pending != nullptr || !open_.empty()) {
        if (pending != nullptr) {
            begin(*pending);
            pending = nullptr;
            continue;
        }
        level& top = open_.back();
        if (top.next == top.container->cend()) {
            bytes_ += top.container->is_object() ? '}' : ']';
            open_.pop_back();
            continue;
        }
        if (top.container->is_object()) text(top.next.key());
        pending = &*top.next;
        ++top.next;
    }
}

PAGED_HTTP_INLINE void items_digest::begin(const json& value) {
    if (value.is_structured()) {
        bytes_ += value.is_object() ? '{' : '[';
        open_.push_back({&value, value.cbegin()});
        return;
    }
    scalar(value);
}

PAGED_HTTP_INLINE void items_digest::scalar(const json& value) {
    switch (value.type()) {
        case json::value_t::boolean: bytes_ += value.get<bool>() ? 't' : 'f'; break;
        case json::value_t::number_integer: tagged('i', value.get<std::int64_t>()); break;
        case json::value_t::number_unsigned: tagged('u', value.get<std::uint64_t>()); break;
        case json::value_t::number_float: tagged('d', value.get<double>()); break;
        case json::value_t::string: bytes_ += 's'; text(value.get_ref<const std::string&>()); break;
        case json::value_t::binary: bytes_ += 'b'; text(bytes_of(value.get_binary())); break;
        default: bytes_ += 'n'; break;  // null (discarded cannot come out of a parse)
    }
}

PAGED_HTTP_INLINE void items_digest::text(std::string_view value) {
    word(value.size());
    bytes_ += value;
}

PAGED_HTTP_INLINE void items_digest::word(std::uint64_t value) { word(value, bytes_); }

PAGED_HTTP_INLINE void items_digest::word(std::uint64_t value, std::string& out) {
    char raw[sizeof value];
    std::memcpy(raw, &value, sizeof raw);
    out.append(raw, sizeof raw);
}

PAGED_HTTP_INLINE std::exception_ptr repeated_page_error(const std::string& url, const std::string& earlier,
                                                         const std::string& parameter) {
    return std::make_exception_ptr(pagination_error(
        pagination_failure::repeated_page,
        "paged::http: " + url + " answered with the same items as the page before it (" + earlier.substr(0, 200) +
            "): does the API ignore " + parameter + "? (repeat_policy::stop ends the walk there, allow hands the page "
            "out)"));
}

}  // namespace paged::http::detail
