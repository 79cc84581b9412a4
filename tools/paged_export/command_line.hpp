#pragma once
// paged-export's command line: what the user asked for, checked as a whole before anything is fetched.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace paged_export {

// A command line that cannot be run (exit status 2). The message is shown as it is, followed by a hint to --help.
class usage_problem : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class strategy { link, offset, page, cursor, keyset };
enum class output_format { ndjson, csv };
enum class progress_mode { automatic, forced, quiet };

// --filter FIELD=VALUE: FIELD is a top-level key, or a JSON Pointer when it starts with '/'.
struct field_filter {
    std::string field;
    std::string value;
};

// --key FIELD=PARAM (keyset): an empty PARAM makes FIELD a tie-breaker of an --inclusive walk.
struct keyset_field {
    std::string field;
    std::string param;
};

// Options that only some strategies read: unset unless given, so that the library's defaults apply.
struct strategy_settings {
    std::optional<std::size_t> page_size;
    std::optional<std::string> items;
    std::optional<std::string> next;
    std::optional<std::string> next_header;
    std::optional<std::string> has_more;
    std::optional<std::string> cursor_param;
    std::optional<std::string> position_param;
    std::optional<std::string> size_param;
    std::optional<std::string> total;
    std::optional<std::string> item_id;
    std::optional<std::uint64_t> first_page;
    std::vector<keyset_field> keys;
    bool inclusive = false;
    bool descending = false;
};

struct request_settings {
    std::string token_env;
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> allowed_origins;
    std::optional<double> rate;
    std::size_t retries = 5;
    double retry_delay_seconds = 1.0;
    std::size_t prefetch = 0;
    std::size_t concurrency = 1;
};

struct output_settings {
    output_format format = output_format::ndjson;
    std::vector<std::string> fields;
    std::vector<field_filter> filters;
    std::optional<std::size_t> take;
    std::string path;  // "" writes to stdout
    std::string checkpoint;
    progress_mode progress = progress_mode::automatic;
};

struct export_settings {
    std::string url;
    strategy walk = strategy::link;
    strategy_settings paging;
    request_settings requests;
    output_settings output;
};

// What the command line asks for: an export, or only the help or version text.
struct parsed_command {
    enum class action { run, help, version };
    action what = action::run;
    export_settings settings;
};

parsed_command parse_command_line(int argc, const char* const* argv);

const char* usage_text();

const char* strategy_name(strategy chosen);

}  // namespace paged_export
