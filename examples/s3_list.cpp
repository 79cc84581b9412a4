// Lists the objects of an S3 bucket (or of an S3-compatible server: MinIO, Ceph, R2) with ListObjectsV2, lazily:
// a page of keys is fetched only when the one before it is used up.
//
//     s3_list https://my-bucket.s3.eu-west-1.amazonaws.com [max-keys]
//
// The requests are unsigned: a public bucket, or a gateway that signs for you (SigV4 is out of this example's scope).
// paged has no XML strategy and needs none: a page fetcher is a short class, and paged::http::checked_send does the
// part every fetcher shares (the client's retries, pacing and origin policy, and a status_error for a non-2xx).

#include <paged/blocking.hpp>
#include <paged/error.hpp>
#include <paged/http/checked_send.hpp>
#include <paged/http/client.hpp>
#include <paged/http/error.hpp>
#include <paged/page.hpp>
#include <paged/paginate.hpp>
#include <paged/task.hpp>
#include <paged/walk_options.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

struct s3_object {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;  // empty when the listing has none
};

// Reads the flat, machine-written XML of a ListObjectsV2 answer: <Name>text</Name> elements without attributes,
// found by plain searches within a range of the body. No recursion and no allocation beyond the values it returns,
// so a hostile body costs one linear scan; whatever is not as expected is a body_error naming the URL.
class listing_reader {
public:
    explicit listing_reader(const paged::http::response& reply) : reply_(reply), text_(reply.body) {}

    // The next <name>...</name> within [from, end): its raw content, and `from` moved past it.
    std::optional<std::string_view> element(std::string_view name, std::size_t& from, std::size_t end) const {
        const std::string open = "<" + std::string(name) + ">";
        const std::string close = "</" + std::string(name) + ">";
        const std::string_view scope = text_.substr(0, end);
        const auto start = scope.find(open, from);
        if (start == std::string_view::npos) return std::nullopt;
        const auto content = start + open.size();
        const auto stop = scope.find(close, content);
        if (stop == std::string_view::npos) fail("a <" + std::string(name) + "> without its closing tag");
        from = stop + close.size();
        return scope.substr(content, stop - content);
    }

    std::string required_text(std::string_view name, std::size_t from, std::size_t end) const {
        const auto raw = element(name, from, end);
        if (!raw) fail("a <" + std::string(name) + "> element");
        return decoded(*raw);
    }

    // The five predefined entities and numeric references (&#13; &#x0D;: S3 writes control characters in keys so).
    std::string decoded(std::string_view raw) const {
        std::string text;
        text.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '&') {
                text += raw[i];
                continue;
            }
            const auto semicolon = raw.find(';', i);
            if (semicolon == std::string_view::npos || semicolon - i > 10) fail("a complete entity after '&'");
            const std::string_view entity = raw.substr(i + 1, semicolon - i - 1);
            i = semicolon;
            if (entity == "amp") text += '&';
            else if (entity == "lt") text += '<';
            else if (entity == "gt") text += '>';
            else if (entity == "quot") text += '"';
            else if (entity == "apos") text += '\'';
            else if (entity.size() > 1 && entity[0] == '#') append_utf8(text, code_point(entity.substr(1)));
            else fail("a known entity, not &" + std::string(entity) + ";");
        }
        return text;
    }

    std::string_view text() const noexcept { return text_; }

    [[noreturn]] void fail(const std::string& expected) const {
        throw paged::http::body_error(reply_.url, reply_.status, "expected " + expected + " in a ListObjectsV2 answer",
                                      reply_.body);
    }

private:
    std::uint32_t code_point(std::string_view digits) const {
        const bool hexadecimal = !digits.empty() && (digits[0] == 'x' || digits[0] == 'X');
        if (hexadecimal) digits.remove_prefix(1);
        std::uint32_t value = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hexadecimal ? 16 : 10);
        if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || value == 0 ||
            value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            fail("a character reference to a Unicode scalar value");
        }
        return value;
    }

    static void append_utf8(std::string& text, std::uint32_t value) {
        if (value < 0x80) {
            text += static_cast<char>(value);
        } else if (value < 0x800) {
            text += static_cast<char>(0xC0 | (value >> 6));
            text += static_cast<char>(0x80 | (value & 0x3F));
        } else if (value < 0x10000) {
            text += static_cast<char>(0xE0 | (value >> 12));
            text += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
            text += static_cast<char>(0x80 | (value & 0x3F));
        } else {
            text += static_cast<char>(0xF0 | (value >> 18));
            text += static_cast<char>(0x80 | ((value >> 12) & 0x3F));
            text += static_cast<char>(0x80 | ((value >> 6) & 0x3F));
            text += static_cast<char>(0x80 | (value & 0x3F));
        }
    }

    const paged::http::response& reply_;
    std::string_view text_;
};

paged::page<s3_object, std::string> parse_listing(const paged::http::response& reply) {
    const listing_reader xml(reply);
    const std::size_t end = xml.text().size();
    if (xml.text().find("<ListBucketResult") == std::string_view::npos) xml.fail("a <ListBucketResult> document");
    paged::page<s3_object, std::string> page;
    std::size_t at = 0;
    while (const auto contents = xml.element("Contents", at, end)) {
        // The element's own range: its children are looked for there and nowhere else.
        const std::size_t inner_end = at - std::string_view("</Contents>").size();
        const std::size_t inner = inner_end - contents->size();
        s3_object object;
        object.key = xml.required_text("Key", inner, inner_end);
        const std::string size = xml.required_text("Size", inner, inner_end);
        const auto [stop, error] = std::from_chars(size.data(), size.data() + size.size(), object.size);
        if (size.empty() || error != std::errc() || stop != size.data() + size.size()) xml.fail("a byte count in <Size>");
        std::size_t etag_at = inner;
        if (const auto etag = xml.element("ETag", etag_at, inner_end)) object.etag = xml.decoded(*etag);
        page.items.push_back(std::move(object));
    }
    const std::string truncated = xml.required_text("IsTruncated", 0, end);
    if (truncated != "true" && truncated != "false") xml.fail("true or false in <IsTruncated>");
    if (truncated == "true") {
        page.next = xml.required_text("NextContinuationToken", 0, end);
        if (page.next->empty()) xml.fail("a non-empty <NextContinuationToken> when <IsTruncated> is true");
    }
    page.bytes = reply.body.size();
    return page;
}

// The page fetcher: a continuation token per page, "" for the first.
class bucket_listing {
public:
    using value_type = s3_object;
    using cursor_type = std::string;

    bucket_listing(paged::http::client& http, std::string bucket_url, int max_keys)
        : http_(&http), bucket_url_(std::move(bucket_url)), max_keys_(max_keys) {}

    cursor_type first_cursor() const { return {}; }
    std::string fingerprint() const { return "s3 " + bucket_url_ + " max-keys=" + std::to_string(max_keys_); }

    paged::task<paged::page<s3_object, std::string>> fetch(std::string token) {
        paged::http::request listing(bucket_url_);
        listing.query("list-type", "2").query("max-keys", std::to_string(max_keys_));
        if (!token.empty()) listing.query("continuation-token", token);
        const paged::http::response reply = co_await paged::http::checked_send(*http_, std::move(listing));
        co_return parse_listing(reply);
    }

private:
    paged::http::client* http_;
    std::string bucket_url_;
    int max_keys_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: s3_list <bucket-url> [max-keys, 1 to 1000]\n";
        return 2;
    }
    int max_keys = 1000;
    if (argc == 3) {
        const std::string_view text(argv[2]);
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), max_keys);
        if (error != std::errc() || end != text.data() + text.size() || max_keys < 1 || max_keys > 1000) {
            std::cerr << "s3_list: max-keys must be a number from 1 to 1000\n";
            return 2;
        }
    }
    try {
        paged::http::client http;
        std::size_t objects = 0, pages = 0;
        std::uint64_t bytes = 0;
        const auto count_page = [&pages](const paged::page_event&) { ++pages; };
        auto walk = paged::paginate(bucket_listing(http, argv[1], max_keys), paged::walk_options().on_page(count_page));
        for (const s3_object& object : paged::blocking(std::move(walk))) {
            std::cout << object.key << '\t' << object.size << '\n';
            ++objects;
            bytes += object.size;
        }
        std::cout << objects << " objects, " << bytes << " bytes in " << pages << " requests\n";
    } catch (const paged::error& failure) {
        std::cerr << "s3_list: " << failure.what() << '\n';
        return 1;
    }
    return 0;
}
