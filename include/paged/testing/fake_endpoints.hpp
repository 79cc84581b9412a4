#pragma once
// Handlers for paged::testing::fake_api that paginate a record set the way real APIs do, one per strategy:
//
//   offset_endpoint   ?limit&offset, ?_start&_end or ?per_page&page; total in X-Total-Count, Content-Range or body
//   cursor_endpoint   an opaque token in the body or a header (and relay-style pageInfo), optional has_more
//   keyset_endpoint   ?starting_after=<id> (Stripe) or a watermark of several fields (created_at, id)
//   link_endpoint     ?per_page&page with a Link header (GitHub style) or the next URL in the body
//
// They check their parameters like a server: a malformed one gets a 400, never a guess.

#include <paged/http/content_range.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/message.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/http/url.hpp>
#include <paged/testing/fake_api.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace paged::testing {

// {"id": 1, "created_at": 1700000000, "name": "record 1"}, ... ordered by (created_at, id); created_at repeats in
// runs of three so that keyset walks meet ties at page boundaries.
inline std::vector<nlohmann::json> numbered_records(std::size_t count) {
    std::vector<nlohmann::json> records;
    records.reserve(count);
    for (std::size_t id = 1; id <= count; ++id) {
        nlohmann::json record;
        record["id"] = id;
        record["created_at"] = 1'700'000'000 + id / 3;
        record["name"] = "record " + std::to_string(id);
        records.push_back(std::move(record));
    }
    return records;
}

namespace detail {

class query_view {
public:
    explicit query_view(const http::url& target) : pairs_(target.query_pairs()) {}
    std::optional<std::string> get(const std::string& name) const {
        for (const auto& [key, value] : pairs_) {
            if (key == name) return value;
        }
        return std::nullopt;
    }
    // A non-negative integer parameter; `fallback` when absent, nullopt when malformed.
    std::optional<std::uint64_t> number(const std::string& name, std::uint64_t fallback) const {
        const auto text = get(name);
        if (!text) return fallback;
        return http::detail::parse_count(*text);
    }

private:
    http::query_parameters pairs_;
};

inline http::response json_response(const nlohmann::json& body, int status = 200) {
    http::response reply;
    reply.status = status;
    reply.headers.add("Content-Type", "application/json");
    reply.body = body.dump();
    return reply;
}

inline http::response bad_request(const std::string& problem) {
    nlohmann::json body;
    body["error"] = problem;
    return json_response(body, 400);
}

inline nlohmann::json slice(const std::vector<nlohmann::json>& records, std::size_t begin, std::size_t end) {
    begin = std::min(begin, records.size());
    end = std::clamp(end, begin, records.size());
    return nlohmann::json(std::vector<nlohmann::json>(records.begin() + static_cast<std::ptrdiff_t>(begin),
                                                      records.begin() + static_cast<std::ptrdiff_t>(end)));
}

// `items` placed at `pointer` ("" is the whole body).
inline nlohmann::json envelope(nlohmann::json items, const std::string& pointer) {
    nlohmann::json body;
    body[nlohmann::json::json_pointer(pointer)] = std::move(items);
    return body;
}

}  // namespace detail

enum class total_in { x_total_count, content_range, body, nowhere };

// Every member of these option structs has an initializer (GCC PR 96868).
struct offset_endpoint_options {
    http::offset_style style = http::offset_style::limit_offset;
    std::string position_param{};  // defaults as paged::http::offset_options
    std::string size_param{};
    std::uint64_t first_page = 1;
    std::size_t default_page_size = 10;
    std::size_t max_page_size = 1000;  // larger requests are served this many, as real servers do
    total_in total = total_in::x_total_count;
    std::string items{};  // where the array goes; with total_in::body the total goes to /total
};

inline fake_api::handler offset_endpoint(std::vector<nlohmann::json> records, offset_endpoint_options options = {}) {
    const bool by_page = options.style == http::offset_style::page_number;
    const bool start_end = options.style == http::offset_style::start_end;
    if (options.position_param.empty()) options.position_param = by_page ? "page" : start_end ? "_start" : "offset";
    if (options.size_param.empty()) options.size_param = by_page ? "per_page" : start_end ? "_end" : "limit";
    return [records = std::move(records), options, by_page, start_end](const http::request&, const http::url& target) {
        const detail::query_view query(target);
        const auto position = query.number(options.position_param, by_page ? options.first_page : 0);
        const auto size = query.number(options.size_param, options.default_page_size);
        if (!position || !size || (by_page && *position < options.first_page) || (start_end && *size < *position)) {
            return detail::bad_request("bad " + options.position_param + " or " + options.size_param);
        }
        const std::uint64_t wanted = start_end ? *size - *position : *size;
        const std::size_t length = std::min<std::uint64_t>(wanted, options.max_page_size);
        const std::size_t begin = by_page ? (*position - options.first_page) * length : *position;
        const nlohmann::json items = detail::slice(records, begin, begin + length);
        nlohmann::json body = detail::envelope(items, options.items);
        if (options.total == total_in::body) body["total"] = records.size();
        http::response reply = detail::json_response(body);
        if (options.total == total_in::x_total_count) reply.headers.add("X-Total-Count", std::to_string(records.size()));
        if (options.total == total_in::content_range) {
            const std::string range = items.empty() ? "*" : std::to_string(begin) + "-" + std::to_string(begin + items.size() - 1);
            reply.headers.add("Content-Range", "items " + range + "/" + std::to_string(records.size()));
        }
        return reply;
    };
}

struct cursor_endpoint_options {
    std::string items = "/data";
    std::string next = "/next_cursor";  // where the token goes in the body
    std::string next_header{};          // or in this header
    std::string has_more{};             // if set, a boolean goes there too
    std::string cursor_param = "cursor";
    std::string size_param = "limit";
    std::size_t default_page_size = 10;
    std::size_t max_page_size = 1000;
};

// Tokens are opaque to clients ("tok-150"), and a token the server did not issue gets a 400.
inline fake_api::handler cursor_endpoint(std::vector<nlohmann::json> records, cursor_endpoint_options options = {}) {
    return [records = std::move(records), options](const http::request&, const http::url& target) {
        const detail::query_view query(target);
        const auto size = query.number(options.size_param, options.default_page_size);
        const auto token = query.get(options.cursor_param);
        std::uint64_t begin = 0;
        if (token) {
            const auto issued = token->rfind("tok-", 0) == 0 ? http::detail::parse_count(token->substr(4)) : std::nullopt;
            if (!issued || *issued > records.size()) return detail::bad_request("invalid cursor");
            begin = *issued;
        }
        if (!size || *size == 0) return detail::bad_request("bad " + options.size_param);
        const std::size_t end = std::min<std::uint64_t>(begin + std::min<std::uint64_t>(*size, options.max_page_size),
                                                        records.size());
        nlohmann::json body = detail::envelope(detail::slice(records, begin, end), options.items);
        const bool more = end < records.size();
        const std::string next = more ? "tok-" + std::to_string(end) : "";
        if (!options.has_more.empty()) body[nlohmann::json::json_pointer(options.has_more)] = more;
        if (options.next_header.empty()) {
            body[nlohmann::json::json_pointer(options.next)] = more ? nlohmann::json(next) : nlohmann::json(nullptr);
        }
        http::response reply = detail::json_response(body);
        if (!options.next_header.empty() && more) reply.headers.add(options.next_header, next);
        return reply;
    };
}

struct keyset_endpoint_options {
    std::string items = "/data";
    std::vector<http::keyset_key> keys = {{"/id", "starting_after"}};
    std::string has_more = "/has_more";  // "" for none
    std::string size_param = "limit";
    std::size_t default_page_size = 10;
    std::size_t max_page_size = 100;
    bool inclusive = false;   // records at or after the keys sent (keys without a parameter are not sent)
    bool descending = false;  // records in descending order of the keys, "after" meaning smaller
};

// Serves the records after the one the key parameters name, comparing the keys as a tuple (integers as integers):
// the records must be ordered by those keys. Inclusive: the records at or after the keys that have a parameter.
inline fake_api::handler keyset_endpoint(std::vector<nlohmann::json> records, keyset_endpoint_options options = {}) {
    return [records = std::move(records), options](const http::request&, const http::url& target) {
        const detail::query_view query(target);
        const auto size = query.number(options.size_param, options.default_page_size);
        if (!size || *size == 0) return detail::bad_request("bad " + options.size_param);
        std::vector<http::keyset_key> sent;
        for (const auto& key : options.keys) {
            if (!key.param.empty()) sent.push_back(key);
        }
        std::vector<std::optional<std::string>> after;
        for (const auto& key : sent) after.push_back(query.get(key.param));
        const bool first_page = std::all_of(after.begin(), after.end(), [](const auto& v) { return !v; });
        if (!first_page && std::any_of(after.begin(), after.end(), [](const auto& v) { return !v; })) {
            return detail::bad_request("send every key parameter or none");
        }
        // The first record whose keys compare greater than the parameters.
        const auto is_after = [&](const nlohmann::json& record) {
            for (std::size_t i = 0; i < sent.size(); ++i) {
                const auto& value = record.at(nlohmann::json::json_pointer(sent[i].field));
                const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
                const bool numeric = value.is_number_integer();
                const auto less = [numeric](const std::string& a, const std::string& b) {
                    return numeric ? std::stoll(a) < std::stoll(b) : a < b;
                };
                if (options.descending ? less(text, *after[i]) : less(*after[i], text)) return true;
                if (options.descending ? less(*after[i], text) : less(text, *after[i])) return false;
            }
            return options.inclusive;
        };
        std::size_t begin = 0;
        if (!first_page) {
            try {
                begin = static_cast<std::size_t>(std::find_if(records.begin(), records.end(), is_after) - records.begin());
            } catch (const std::exception&) {
                return detail::bad_request("malformed key parameter");
            }
        }
        const std::size_t end = std::min<std::size_t>(begin + std::min<std::uint64_t>(*size, options.max_page_size),
                                                      records.size());
        nlohmann::json body = detail::envelope(detail::slice(records, begin, end), options.items);
        if (!options.has_more.empty()) body[nlohmann::json::json_pointer(options.has_more)] = end < records.size();
        return detail::json_response(body);
    };
}

struct link_endpoint_options {
    std::string page_param = "page";  // 1-based
    std::string size_param = "per_page";
    std::size_t default_page_size = 30;
    std::size_t max_page_size = 100;
    std::string items{};
    std::string next{};           // "" sends a Link header (next, prev, first, last); else the body pointer
    bool relative_links = false;  // "/path?page=2" instead of absolute URLs
};

inline fake_api::handler link_endpoint(std::vector<nlohmann::json> records, link_endpoint_options options = {}) {
    return [records = std::move(records), options](const http::request&, const http::url& target) {
        const detail::query_view query(target);
        const auto number = query.number(options.page_param, 1);
        const auto size = query.number(options.size_param, options.default_page_size);
        if (!number || *number == 0 || !size || *size == 0) return detail::bad_request("bad page or per_page");
        const std::size_t length = std::min<std::uint64_t>(*size, options.max_page_size);
        const std::size_t begin = (*number - 1) * length;
        const std::size_t last = std::max<std::size_t>(1, (records.size() + length - 1) / length);
        const auto link_to = [&](std::size_t page) {
            const std::string reference = "?" + options.size_param + "=" + std::to_string(length) + "&" +
                                          options.page_param + "=" + std::to_string(page);
            return options.relative_links ? target.path() + reference : target.resolve(reference).str();
        };
        nlohmann::json body = detail::envelope(detail::slice(records, begin, begin + length), options.items);
        const bool more = *number < last;
        if (!options.next.empty()) {
            body[nlohmann::json::json_pointer(options.next)] = more ? nlohmann::json(link_to(*number + 1)) : nlohmann::json(nullptr);
        }
        http::response reply = detail::json_response(body);
        if (options.next.empty()) {
            std::string links;
            if (*number > 1) links += "<" + link_to(*number - 1) + ">; rel=\"prev\", ";
            if (more) links += "<" + link_to(*number + 1) + ">; rel=\"next\", ";
            links += "<" + link_to(last) + ">; rel=\"last\", <" + link_to(1) + ">; rel=\"first\"";
            reply.headers.add("Link", links);
        }
        return reply;
    };
}

}  // namespace paged::testing
