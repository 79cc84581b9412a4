#include "command_line.hpp"

#include <array>
#include <charconv>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace paged_export {

namespace {

using namespace std::string_literals;

// Which strategies read an option, as a bit set of `strategy` values.
using strategy_mask = unsigned;
constexpr strategy_mask bit(strategy s) { return 1U << static_cast<unsigned>(s); }
constexpr strategy_mask every_strategy =
    bit(strategy::link) | bit(strategy::offset) | bit(strategy::page) | bit(strategy::cursor) | bit(strategy::keyset);
constexpr strategy_mask numbered = bit(strategy::offset) | bit(strategy::page);
constexpr strategy_mask sized = numbered | bit(strategy::cursor) | bit(strategy::keyset);

struct option_spec {
    std::string_view long_name;
    char short_name;
    bool takes_value;
    strategy_mask applies_to;
    void (*apply)(export_settings&, const std::string& value);
};

std::uint64_t parse_count(const std::string& text, std::string_view option) {
    std::uint64_t value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || failure != std::errc{} || end != text.data() + text.size()) {
        throw usage_problem("--"s.append(option) + " expects a whole number, got '" + text + "'");
    }
    return value;
}

std::uint64_t parse_positive(const std::string& text, std::string_view option) {
    const auto value = parse_count(text, option);
    if (value == 0) throw usage_problem("--"s.append(option) + " must be at least 1");
    return value;
}

double parse_positive_number(const std::string& text, std::string_view option, int most) {
    double value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || failure != std::errc{} || end != text.data() + text.size() || !(value > 0 && value <= most)) {
        throw usage_problem("--"s.append(option) + " expects a positive number up to " + std::to_string(most) +
                            ", got '" + text + "'");
    }
    return value;
}

// Pages held, connections opened and retries grow with these: a typo must not ask for millions.
std::size_t parse_count_within(const std::string& text, std::string_view option, std::uint64_t least,
                               std::uint64_t most) {
    const auto value = parse_count(text, option);
    if (value < least || value > most) {
        throw usage_problem("--"s.append(option) + " must be from " + std::to_string(least) + " to " +
                            std::to_string(most));
    }
    return value;
}

// Every option that names a JSON field takes a top-level key ("id") or a JSON Pointer ("/meta/next"); "" stays "".
std::string as_pointer(const std::string& field) {
    if (field.empty() || field.front() == '/') return field;
    return "/" + field;
}

std::pair<std::string, std::string> split_pair(const std::string& text, char separator, std::string_view option,
                                               std::string_view form) {
    const auto at = text.find(separator);
    if (at == std::string::npos || at == 0) {
        throw usage_problem("--"s.append(option) + " expects " + std::string(form) + ", got '" + text + "'");
    }
    return {text.substr(0, at), text.substr(at + 1)};
}

strategy parse_strategy(const std::string& name) {
    constexpr std::array<std::pair<std::string_view, strategy>, 5> names{{{"link", strategy::link},
                                                                          {"offset", strategy::offset},
                                                                          {"page", strategy::page},
                                                                          {"cursor", strategy::cursor},
                                                                          {"keyset", strategy::keyset}}};
    for (const auto& [text, value] : names) {
        if (name == text) return value;
    }
    throw usage_problem("--strategy expects link, offset, page, cursor or keyset, got '" + name + "'");
}

output_format parse_format(const std::string& name) {
    if (name == "ndjson") return output_format::ndjson;
    if (name == "csv") return output_format::csv;
    throw usage_problem("--format expects ndjson or csv, got '" + name + "'");
}

std::vector<std::string> parse_fields(const std::string& list) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const auto comma = list.find(',', start);
        const std::string field = list.substr(start, comma - start);
        if (field.empty()) throw usage_problem("--fields expects names separated by commas, got '" + list + "'");
        fields.push_back(field);
        if (comma == std::string::npos) return fields;
        start = comma + 1;
    }
}

std::pair<std::string, std::string> parse_header(const std::string& text) {
    auto [name, value] = split_pair(text, ':', "header", "'Name: value'");
    const auto first = value.find_first_not_of(' ');
    return {name, first == std::string::npos ? std::string() : value.substr(first)};
}

void set_progress(export_settings& s, progress_mode mode) {
    if (s.output.progress != progress_mode::automatic && s.output.progress != mode) {
        throw usage_problem("--progress and --quiet contradict each other: give one");
    }
    s.output.progress = mode;
}

// The table of options. Each entry says which strategies read it, so that an option the chosen strategy would
// ignore is refused instead of silently doing nothing.
const auto& option_table() {
    using S = export_settings;
    using V = const std::string&;
    static const auto table = std::to_array<option_spec>({
        {"strategy", 's', true, every_strategy, [](S& s, V v) { s.walk = parse_strategy(v); }},
        {"page-size", 0, true, sized, [](S& s, V v) { s.paging.page_size = parse_positive(v, "page-size"); }},
        {"items", 0, true, every_strategy, [](S& s, V v) { s.paging.items = as_pointer(v); }},
        {"next", 0, true, bit(strategy::link) | bit(strategy::cursor),
         [](S& s, V v) { s.paging.next = as_pointer(v); }},
        {"next-header", 0, true, bit(strategy::cursor), [](S& s, V v) { s.paging.next_header = v; }},
        {"has-more", 0, true, bit(strategy::cursor) | bit(strategy::keyset),
         [](S& s, V v) { s.paging.has_more = as_pointer(v); }},
        {"cursor-param", 0, true, bit(strategy::cursor), [](S& s, V v) { s.paging.cursor_param = v; }},
        {"position-param", 0, true, numbered, [](S& s, V v) { s.paging.position_param = v; }},
        {"size-param", 0, true, sized, [](S& s, V v) { s.paging.size_param = v; }},
        {"total", 0, true, numbered, [](S& s, V v) { s.paging.total = as_pointer(v); }},
        {"item-id", 0, true, bit(strategy::offset), [](S& s, V v) { s.paging.item_id = as_pointer(v); }},
        {"first-page", 0, true, bit(strategy::page),
         [](S& s, V v) { s.paging.first_page = parse_count(v, "first-page"); }},
        {"key", 0, true, bit(strategy::keyset),
         [](S& s, V v) {
             auto [field, param] = split_pair(v, '=', "key", "FIELD=PARAM");
             s.paging.keys.push_back({as_pointer(field), param});
         }},
        {"inclusive", 0, false, bit(strategy::keyset), [](S& s, V) { s.paging.inclusive = true; }},
        {"descending", 0, false, bit(strategy::keyset), [](S& s, V) { s.paging.descending = true; }},
        {"prefetch", 0, true, every_strategy,
         [](S& s, V v) { s.requests.prefetch = parse_count_within(v, "prefetch", 0, 1000); }},
        {"concurrency", 0, true, numbered,
         [](S& s, V v) { s.requests.concurrency = parse_count_within(v, "concurrency", 1, 1000); }},
        {"rate", 0, true, every_strategy,
         [](S& s, V v) { s.requests.rate = parse_positive_number(v, "rate", 1000000); }},
        {"retries", 0, true, every_strategy,
         [](S& s, V v) { s.requests.retries = parse_count_within(v, "retries", 0, 100); }},
        {"retry-delay", 0, true, every_strategy,
         [](S& s, V v) { s.requests.retry_delay_seconds = parse_positive_number(v, "retry-delay", 3600); }},
        {"token-env", 0, true, every_strategy,
         [](S& s, V v) {
             if (v.empty()) throw usage_problem("--token-env expects the name of an environment variable");
             s.requests.token_env = v;
         }},
        {"header", 'H', true, every_strategy, [](S& s, V v) { s.requests.headers.push_back(parse_header(v)); }},
        {"allow-origin", 0, true, every_strategy, [](S& s, V v) { s.requests.allowed_origins.push_back(v); }},
        {"format", 'f', true, every_strategy, [](S& s, V v) { s.output.format = parse_format(v); }},
        {"fields", 0, true, every_strategy, [](S& s, V v) { s.output.fields = parse_fields(v); }},
        {"filter", 0, true, every_strategy,
         [](S& s, V v) {
             auto [field, value] = split_pair(v, '=', "filter", "FIELD=VALUE");
             s.output.filters.push_back({field, value});
         }},
        {"take", 'n', true, every_strategy, [](S& s, V v) { s.output.take = parse_count(v, "take"); }},
        {"output", 'o', true, every_strategy,
         [](S& s, V v) {
             if (v.empty()) throw usage_problem("--output expects a file name");
             s.output.path = v;
         }},
        {"checkpoint", 0, true, every_strategy,
         [](S& s, V v) {
             if (v.empty()) throw usage_problem("--checkpoint expects a file name");
             s.output.checkpoint = v;
         }},
        {"progress", 0, false, every_strategy, [](S& s, V) { set_progress(s, progress_mode::forced); }},
        {"quiet", 'q', false, every_strategy, [](S& s, V) { set_progress(s, progress_mode::quiet); }},
        {"help", 'h', false, every_strategy, [](S&, V) {}},
        {"version", 0, false, every_strategy, [](S&, V) {}},
    });
    return table;
}

const option_spec& find_option(std::string_view word) {
    for (const option_spec& spec : option_table()) {
        const bool is_long = word.size() > 2 && word.substr(0, 2) == "--" && word.substr(2) == spec.long_name;
        const bool is_short = spec.short_name != 0 && word.size() == 2 && word[0] == '-' && word[1] == spec.short_name;
        if (is_long || is_short) return spec;
    }
    throw usage_problem("unknown option '" + std::string(word) + "'");
}

std::string strategies_of(strategy_mask mask) {
    std::string names;
    for (const strategy s : {strategy::link, strategy::offset, strategy::page, strategy::cursor, strategy::keyset}) {
        if ((mask & bit(s)) == 0) continue;
        names += (names.empty() ? "" : ", ") + std::string(strategy_name(s));
    }
    return names;
}

// One file however it is spelled (out, ./out, a symlinked directory/out), as far as the parts that exist tell.
std::filesystem::path resolved(const std::string& path) {
    std::error_code failure;
    const auto absolute = std::filesystem::absolute(path, failure);
    if (failure) return std::filesystem::path(path).lexically_normal();
    auto canonical = std::filesystem::weakly_canonical(absolute, failure);
    return failure ? absolute.lexically_normal() : canonical;
}

// A commit writes the checkpoint to FILE.tmp and renames it over FILE: either would overwrite an output there.
void check_checkpoint_apart(const output_settings& output) {
    if (output.checkpoint.empty()) return;
    if (output.path.empty()) {
        throw usage_problem("--checkpoint needs --output FILE: a resume truncates the file to what was committed");
    }
    const auto written = resolved(output.path);
    if (written == resolved(output.checkpoint) || written == resolved(output.checkpoint + ".tmp")) {
        throw usage_problem("--output " + output.path + " is the checkpoint's file or its temporary " +
                            output.checkpoint + ".tmp: give them different files");
    }
}

void check_whole(const export_settings& s) {
    if (s.url.empty()) throw usage_problem("no URL given");
    check_checkpoint_apart(s.output);
    if (s.requests.prefetch > 0 && s.requests.concurrency > 1) {
        throw usage_problem("--prefetch and --concurrency are exclusive: concurrency reads ahead already");
    }
}

}  // namespace

const char* strategy_name(strategy chosen) {
    constexpr std::array<const char*, 5> names{"link", "offset", "page", "cursor", "keyset"};
    return names[static_cast<std::size_t>(chosen)];
}

parsed_command parse_command_line(int argc, const char* const* argv) {
    parsed_command parsed;
    std::vector<const option_spec*> given;
    bool options_ended = false;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (options_ended || word.empty() || word[0] != '-' || word == "-") {
            if (!parsed.settings.url.empty()) throw usage_problem("more than one URL given ('" + word + "')");
            parsed.settings.url = word;
            continue;
        }
        if (word == "--") {
            options_ended = true;
            continue;
        }
        const auto equals = word.find('=');
        const bool inline_value = word.starts_with("--") && equals != std::string::npos;
        const option_spec& spec = find_option(inline_value ? std::string_view(word).substr(0, equals) : word);
        if (spec.long_name == "help") parsed.what = parsed_command::action::help;
        if (spec.long_name == "version") parsed.what = parsed_command::action::version;
        std::string value;
        if (inline_value) {
            if (!spec.takes_value) throw usage_problem("--" + std::string(spec.long_name) + " takes no value");
            value = word.substr(equals + 1);
        } else if (spec.takes_value) {
            if (i + 1 >= argc) throw usage_problem("--" + std::string(spec.long_name) + " expects a value");
            value = argv[++i];
        }
        spec.apply(parsed.settings, value);
        given.push_back(&spec);
    }
    if (parsed.what != parsed_command::action::run) return parsed;
    for (const option_spec* spec : given) {
        if ((spec->applies_to & bit(parsed.settings.walk)) == 0) {
            throw usage_problem("--" + std::string(spec->long_name) + " applies to --strategy " +
                                strategies_of(spec->applies_to) + ", not " + strategy_name(parsed.settings.walk));
        }
    }
    check_whole(parsed.settings);
    return parsed;
}

const char* usage_text() {
    return R"(Usage: paged-export [options] URL

Walks every page of a paginated JSON API and writes its records as NDJSON or CSV.

Walking:
  -s, --strategy NAME      link (default: Link rel="next" or a next URL in the body), offset (?offset&limit),
                           page (?page&per_page), cursor (a token sent back), keyset (after the last item's keys)
      --page-size N        items per request (offset, page, cursor, keyset; default 100)
      --items FIELD        where the items are ("" for a top-level array; cursor and keyset default to /data)
      --next FIELD         link: the next URL in the body; cursor: the next token (default /next_cursor)
      --next-header NAME   cursor: the next token comes from this response header
      --has-more FIELD     cursor, keyset: a boolean "there is more" (keyset default /has_more, "" for none)
      --cursor-param NAME  cursor: the parameter that sends the token back (default cursor)
      --position-param NAME, --size-param NAME
                           offset, page: parameter names (default offset/limit, page/per_page)
      --total FIELD        offset, page: a total count in the body (X-Total-Count, Content-Range are read anyway)
      --item-id FIELD      offset: an id field; each page overlaps the previous one to detect changes
      --first-page N       page: the number of the first page (default 1)
      --key FIELD=PARAM    keyset, repeatable, most significant first (default id=starting_after)
      --inclusive          keyset: the parameters select "at or after"; --key FIELD= is then a tie-breaker
      --descending         keyset: newest first (with --inclusive)
      --prefetch N         fetch up to N pages ahead while writing
      --concurrency N      offset, page: up to N requests in flight
      --rate R             at most R requests a second
      --retries N          retries of a failed request: 5xx, 408, a failed transfer (default 5); a throttle (429,
                           or 403/503 with Retry-After) waits as the server asks, up to 2 min, and is not counted
                           unless it asks for no wait
      --retry-delay SEC    backoff: retry n waits a random time up to SEC x 2^(n-1), at most max(30, SEC) s
                           (default 1); a request waits 5 min in all at most, longer if the retries need it

Requests:
      --token-env NAME     send "Authorization: Bearer $NAME" (the token is read from the environment, never printed)
  -H, --header 'Name: value'   another header, repeatable
      --allow-origin ORIGIN    another origin (scheme://host:port) trusted with the headers, repeatable

Output:
  -f, --format FORMAT      ndjson (default) or csv (RFC 4180, CRLF line ends)
      --fields A,B,...     CSV columns and NDJSON fields to keep (default: every key of the first record)
      --filter FIELD=VALUE only records whose FIELD equals VALUE (JSON or text), repeatable: all must match
  -n, --take N             stop after writing N records
  -o, --output FILE        write to FILE instead of standard output
      --checkpoint FILE    commit progress to FILE (through FILE.tmp) after each page; run the same command again
                           to resume
      --progress           a progress bar on standard error even when it is not a terminal
  -q, --quiet              no progress bar
  -h, --help, --version

A FIELD is a top-level key (id) or a JSON Pointer (/meta/next).
Exit status: 0 done, 1 the walk failed (HTTP, pagination, data), 2 usage error, 3 checkpoint refused,
4 the output or the checkpoint cannot be written.
)";
}

}  // namespace paged_export
