// paged-export: walks every page of a paginated JSON API with one of paged's strategies and writes the records as
// NDJSON or CSV. `paged-export --help` lists the options; tools/README.md has examples.

#include "command_line.hpp"
#include "export_checkpoint.hpp"
#include "export_session.hpp"
#include "output_file.hpp"
#include "progress_meter.hpp"
#include "record_writer.hpp"
#include "redaction.hpp"

#include <paged/http/client.hpp>
#include <paged/http/cursor_fetcher.hpp>
#include <paged/http/keyset_fetcher.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/offset_fetcher.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/version.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>

namespace {

using namespace paged_export;
using nlohmann::json;

enum exit_status : int { done = 0, walk_failed = 1, usage = 2, checkpoint_refused = 3, output_failed = 4 };

void say(const std::string& message) {
    std::fprintf(stderr, "paged-export: %s\n", redacted(message).c_str());
}

// --- requests

std::string bearer_token(const std::string& variable) {
    const char* token = std::getenv(variable.c_str());
    if (token == nullptr || *token == '\0') {
        throw usage_problem("--token-env " + variable + ": that environment variable is " +
                            (token == nullptr ? "not set" : "empty"));
    }
    hide_secret(token);
    return token;
}

// The library's caps (a backoff of 30 s at most, 5 min of waiting per request) would cut short what --retries and
// --retry-delay ask for: they are raised to fit, as the help says.
void set_backoff(paged::http::retry_policy& policy, const request_settings& requests) {
    const auto first_delay = std::chrono::duration_cast<paged::clock::duration>(
        std::chrono::duration<double>(requests.retry_delay_seconds));
    const auto longest_delay = std::max(policy.max_delay(), first_delay);
    paged::clock::duration all_backoff{};
    auto bound = first_delay;
    for (std::size_t retry = 0; retry < requests.retries; ++retry) {
        all_backoff += bound;
        bound = std::min(longest_delay, bound * 2);
    }
    policy.max_attempts(requests.retries + 1)
        .base_delay(first_delay)
        .max_delay(longest_delay)
        .max_total_wait(std::max(policy.max_total_wait(), all_backoff));
}

template <class Observer>
paged::http::retry_policy retry_settings(const request_settings& requests, const Observer& observer) {
    paged::http::retry_policy policy;
    if (requests.retries == 0) {
        policy = paged::http::retry_policy::none();
    } else {
        set_backoff(policy, requests);
    }
    policy.on_retry(observer);
    return policy;
}

bool is_authorization(const std::string& header_name) {
    std::string lowered = header_name;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lowered == "authorization" || lowered == "proxy-authorization";
}

// Never printed, whole or as the credential after its scheme ("token abc"), which a server may quote alone.
void hide_authorization(const std::string& value) {
    hide_secret(value);
    const auto space = value.find(' ');
    if (space != std::string::npos) hide_secret(value.substr(space + 1));
}

paged::http::client_options client_settings(const request_settings& requests, paged::http::retry_policy retry) {
    paged::http::client_options options;
    options.user_agent("paged-export/" + std::string(paged::version)).retry(std::move(retry));
    if (!requests.token_env.empty()) options.header("Authorization", "Bearer " + bearer_token(requests.token_env));
    for (const auto& [name, value] : requests.headers) {
        if (is_authorization(name)) hide_authorization(value);
        options.header(name, value);
    }
    for (const std::string& origin : requests.allowed_origins) options.allow_origin(origin);
    if (requests.rate) options.limiter(std::make_shared<paged::rate_limiter>(*requests.rate));
    return options;
}

// The library's refusals of a configuration (a bad URL, a JSON Pointer that is not one) are usage errors here.
template <class Make>
auto configured(Make make) -> decltype(make()) {
    try {
        return make();
    } catch (const paged::usage_error& e) {
        throw usage_problem(e.what());
    } catch (const paged::http::url_error& e) {
        throw usage_problem(e.what());
    }
}

// --- strategies

paged::http::link_options link_settings(const export_settings& s) {
    paged::http::link_options options(s.url);
    if (s.paging.items) options.items(*s.paging.items);
    if (s.paging.next) options.next(*s.paging.next);
    return options;
}

paged::http::offset_options offset_settings(const export_settings& s) {
    paged::http::offset_options options(s.url);
    if (s.walk == strategy::page) options.style(paged::http::offset_style::page_number);
    if (s.paging.page_size) options.page_size(*s.paging.page_size);
    if (s.paging.items) options.items(*s.paging.items);
    if (s.paging.position_param) options.position_param(*s.paging.position_param);
    if (s.paging.size_param) options.size_param(*s.paging.size_param);
    if (s.paging.total) options.total(*s.paging.total);
    if (s.paging.item_id) options.item_id(*s.paging.item_id);
    if (s.paging.first_page) options.first_page(*s.paging.first_page);
    return options;
}

paged::http::cursor_options cursor_settings(const export_settings& s) {
    paged::http::cursor_options options(s.url);
    if (s.paging.page_size) options.page_size(*s.paging.page_size);
    if (s.paging.items) options.items(*s.paging.items);
    if (s.paging.size_param) options.size_param(*s.paging.size_param);
    if (s.paging.next) options.next(*s.paging.next);
    if (s.paging.next_header) options.next_header(*s.paging.next_header);
    if (s.paging.has_more) options.has_more(*s.paging.has_more);
    if (s.paging.cursor_param) options.cursor_param(*s.paging.cursor_param);
    return options;
}

paged::http::keyset_options keyset_settings(const export_settings& s) {
    paged::http::keyset_options options(s.url);
    if (s.paging.page_size) options.page_size(*s.paging.page_size);
    if (s.paging.items) options.items(*s.paging.items);
    if (s.paging.size_param) options.size_param(*s.paging.size_param);
    if (s.paging.has_more) options.has_more(*s.paging.has_more);
    for (const keyset_field& key : s.paging.keys) options.key(key.field, key.param);
    options.inclusive(s.paging.inclusive).descending(s.paging.descending);
    return options;
}

void walk(export_session& session, paged::http::client& client, const export_settings& s) {
    switch (s.walk) {
        case strategy::link:
            return session.run(configured([&] { return paged::http::next_link(client, link_settings(s)); }));
        case strategy::offset:
        case strategy::page:
            return session.run(configured([&] { return paged::http::offset(client, offset_settings(s)); }));
        case strategy::cursor:
            return session.run(configured([&] { return paged::http::cursor(client, cursor_settings(s)); }));
        case strategy::keyset:
            return session.run(configured([&] { return paged::http::keyset(client, keyset_settings(s)); }));
    }
}

// --- checkpoints

// What shapes the output besides the walk (whose configuration the library's checkpoint fingerprints).
json output_identity(const output_settings& output) {
    json filters = json::array();
    for (const field_filter& f : output.filters) filters.push_back(json::array({f.field, f.value}));
    json identity;
    identity["format"] = output.format == output_format::csv ? "csv" : "ndjson";
    identity["fields"] = output.fields;
    identity["filters"] = filters;
    identity["take"] = output.take ? json(*output.take) : json(nullptr);
    identity["output"] = output.path.empty() ? "" : std::filesystem::absolute(output.path).lexically_normal().string();
    return identity;
}

// Where to start: nothing done for a fresh export, else what the checkpoint says (if it is this export's).
export_progress starting_point(const checkpoint_file* file, const json& identity) {
    export_progress fresh;
    fresh.settings = identity;
    if (file == nullptr) return fresh;
    auto saved = file->load();
    if (!saved) return fresh;
    for (const auto& entry : identity.items()) {
        if (saved->settings.value(entry.key(), json()) != entry.value()) {
            throw checkpoint_problem(file->path() + " belongs to an export with another " + entry.key() + " (" +
                                     saved->settings.value(entry.key(), json()).dump() + ", now " +
                                     entry.value().dump() + "): give the same options, or delete it to start over");
        }
    }
    return *saved;
}

// Where this export starts; nothing when its checkpoint says it is complete.
std::optional<export_progress> where_to_start(const checkpoint_file* checkpoint, const json& identity, bool quiet) {
    export_progress start = starting_point(checkpoint, identity);
    if (start.complete) {
        if (!quiet) say(checkpoint->path() + " says this export is complete: nothing to do (delete it to redo it)");
        return std::nullopt;
    }
    if (!start.resume.empty() && !quiet) {
        say("resuming after " + std::to_string(start.written) + " records (" + checkpoint->path() + ")");
    }
    return start;
}

output_file open_output(const output_settings& output, const export_progress& start) {
    if (output.path.empty()) return output_file::standard_output();
    if (!start.resume.empty()) return output_file::resumed(output.path, start.output_bytes);
    return output_file::fresh(output.path);
}

// --- the export

// The records counted as written reach the output, and the progress bar and the advice say how it ended.
void report_failure(export_session& session, progress_meter& meter, const checkpoint_file* checkpoint,
                    const std::string& advice) {
    session.flush_output_if_possible();
    meter.finish(session.figures(), "failed");
    if (checkpoint != nullptr) say(checkpoint->path() + advice);
}

// Runs the walk; on a failure the progress bar says so, and a checkpointed export says how to go on.
void walk_reporting_failure(export_session& session, paged::http::client& client, const export_settings& settings,
                            progress_meter& meter, const checkpoint_file* checkpoint) {
    try {
        walk(session, client, settings);
    } catch (const paged::checkpoint_error&) {
        throw;  // refused before anything was fetched
    } catch (const output_problem&) {
        report_failure(session, meter, checkpoint,
                       " keeps the last commit that succeeded: once the output and the checkpoint can be written, run "
                       "the same command again to go on from there");
        throw;
    } catch (...) {
        report_failure(session, meter, checkpoint,
                       " holds the pages before the failure: run the same command again to resume");
        throw;
    }
    meter.finish(session.figures(), "done");
}

int run_export(const export_settings& settings) {
    std::unique_ptr<checkpoint_file> checkpoint;
    if (!settings.output.checkpoint.empty()) checkpoint = std::make_unique<checkpoint_file>(settings.output.checkpoint);
    const json identity = output_identity(settings.output);
    const auto start = where_to_start(checkpoint.get(), identity, settings.output.progress == progress_mode::quiet);
    if (!start) return done;

    progress_meter meter(settings.output.progress, ::isatty(STDERR_FILENO) == 1, start->read);
    const auto report_retry = [&meter](const paged::http::retry_event& event) { meter.retry(event); };
    const auto options = [&] {
        return client_settings(settings.requests, retry_settings(settings.requests, report_retry));
    };
    paged::http::client client(configured(options));
    record_writer writer(settings.output, start->columns);

    output_file out = open_output(settings.output, *start);
    export_session session(session_parts{&settings, &out, &writer, &meter, checkpoint.get(), identity}, *start);
    walk_reporting_failure(session, client, settings, meter, checkpoint.get());
    return done;
}

int run(int argc, const char* const* argv) {
    const parsed_command command = parse_command_line(argc, argv);
    switch (command.what) {
        case parsed_command::action::help:
            std::fputs(usage_text(), stdout);
            return done;
        case parsed_command::action::version:
            std::printf("paged-export %s\n", std::string(paged::version).c_str());
            return done;
        case parsed_command::action::run:
            break;
    }
    return run_export(command.settings);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const usage_problem& e) {
        say(e.what());
        std::fputs("Try 'paged-export --help'.\n", stderr);
        return usage;
    } catch (const checkpoint_problem& e) {
        say(e.what());
        return checkpoint_refused;
    } catch (const paged::checkpoint_error& e) {
        say(std::string(e.what()) + " (delete the checkpoint to start over)");
        return checkpoint_refused;
    } catch (const output_problem& e) {
        say(e.what());
        return output_failed;
    } catch (const paged::http::origin_error& e) {
        say(std::string(e.what()) + "; --allow-origin " + e.to() + " would trust it with the headers");
        return walk_failed;
    } catch (const std::exception& e) {
        say(e.what());
        return walk_failed;
    }
}
