#pragma once
// What the options of every strategy have: the first page's URL, headers sent with every request, where the items
// are, and the limits on a decoded page. A CRTP base, so that its setters return the strategy's own options type and
// chain on. Options are classes with setters, never aggregates: see paged/detail/gcc12_temporaries.hpp.
//
// Limits on one page (json_body.hpp, json_limits, says how they are counted); a page beyond one is a body_error
// naming the URL, the status and the limit. The defaults are far above what real APIs send:
//   .max_items_per_page(n)   1,000,000 items in the page's array
//   .max_depth(n)            256 levels of nested arrays and objects
//   .max_decoded_bytes(n)    512 MiB of memory for the parsed page (typical JSON takes 2 to 8 times its size)

#include <paged/http/headers.hpp>
#include <paged/http/json_body.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace paged::http::detail {

template <class Options>
class endpoint_options {
public:
    const std::string& url() const noexcept { return url_; }

    // A header sent with every request of the walk (an API key); the client's own headers go too.
    Options& header(std::string name, std::string value) & {
        headers_.add(std::move(name), std::move(value));
        return self();
    }
    Options&& header(std::string name, std::string value) && {
        return std::move(header(std::move(name), std::move(value)));
    }
    const http::headers& headers() const noexcept { return headers_; }

    // JSON Pointer to the array of items: "" is a top-level array.
    Options& items(std::string pointer) & { return assign(items_, std::move(pointer)); }
    Options&& items(std::string pointer) && { return std::move(items(std::move(pointer))); }
    const std::string& items() const noexcept { return items_; }

    Options& max_items_per_page(std::size_t count) & {
        limits_.max_items_per_page(count);
        return self();
    }
    Options&& max_items_per_page(std::size_t count) && { return std::move(max_items_per_page(count)); }
    std::size_t max_items_per_page() const noexcept { return limits_.max_items_per_page(); }

    Options& max_depth(std::size_t levels) & {
        limits_.max_depth(levels);
        return self();
    }
    Options&& max_depth(std::size_t levels) && { return std::move(max_depth(levels)); }
    std::size_t max_depth() const noexcept { return limits_.max_depth(); }

    Options& max_decoded_bytes(std::size_t bytes) & {
        limits_.max_decoded_bytes(bytes);
        return self();
    }
    Options&& max_decoded_bytes(std::size_t bytes) && { return std::move(max_decoded_bytes(bytes)); }
    std::size_t max_decoded_bytes() const noexcept { return limits_.max_decoded_bytes(); }

    // All three, as the strategy passes them to the parser.
    const json_limits& limits() const noexcept { return limits_; }

protected:
    endpoint_options(std::string url, std::string items) : url_(std::move(url)), items_(std::move(items)) {}

    Options& self() noexcept { return static_cast<Options&>(*this); }
    template <class Field, class Value>
    Options& assign(Field& field, Value&& value) {
        field = std::forward<Value>(value);
        return self();
    }

private:
    std::string url_;
    http::headers headers_;
    std::string items_;
    json_limits limits_;
};

// And for the strategies that ask for a page size: how many items, and under which parameter name.
template <class Options>
class sized_endpoint_options : public endpoint_options<Options> {
public:
    // Items asked for per request (100); keep it within the API's maximum.
    Options& page_size(std::size_t count) & { return this->assign(page_size_, count); }
    Options&& page_size(std::size_t count) && { return std::move(page_size(count)); }
    std::size_t page_size() const noexcept { return page_size_; }

    // The parameter that sends page_size.
    Options& size_param(std::string name) & { return this->assign(size_param_, std::move(name)); }
    Options&& size_param(std::string name) && { return std::move(size_param(std::move(name))); }
    const std::string& size_param() const noexcept { return size_param_; }

protected:
    sized_endpoint_options(std::string url, std::string items, std::string size_param)
        : endpoint_options<Options>(std::move(url), std::move(items)), size_param_(std::move(size_param)) {}

private:
    std::size_t page_size_ = 100;
    std::string size_param_;
};

}  // namespace paged::http::detail
