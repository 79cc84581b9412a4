#include "progress_meter.hpp"

#include "redaction.hpp"

#include <algorithm>
#include <cstdio>

namespace paged_export {

namespace {

constexpr std::size_t bar_width = 24;

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string bar(std::uint64_t done, std::uint64_t total) {
    const std::size_t filled =
        total == 0 ? bar_width : static_cast<std::size_t>(std::min(done, total) * bar_width / total);
    std::string drawn = "[" + std::string(filled, '=');
    if (filled < bar_width) drawn += '>' + std::string(bar_width - filled - 1, ' ');
    return drawn + "]";
}

const char* reason_text(paged::http::retry_reason reason) {
    switch (reason) {
        case paged::http::retry_reason::throttled: return "throttled";
        case paged::http::retry_reason::server_error: return "server error";
        default: return "transfer failed";
    }
}

}  // namespace

progress_meter::progress_meter(progress_mode mode, bool terminal, std::uint64_t already_read)
    : shown_(mode == progress_mode::forced || (mode == progress_mode::automatic && terminal)), terminal_(terminal),
      already_read_(already_read) {}

void progress_meter::update(const walk_figures& now) {
    if (!shown_) return;
    const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(1000);
    if (drawn_at_ && steady::now() - *drawn_at_ < interval) return;
    draw(describe(now));
}

void progress_meter::retry(const paged::http::retry_event& event) {
    ++retries_;
    if (!shown_) return;
    const std::string failure = event.status != 0 ? "status " + std::to_string(event.status)
                                                  : "libcurl error " + std::to_string(event.curl_code);
    const double wait = std::chrono::duration<double>(event.wait).count();
    const std::string line = "paged-export: retry: attempt " + std::to_string(event.attempt) + " at " +
                             std::string(event.url) + " failed (" + failure + ", " + reason_text(event.reason) +
                             "); next try in " + fixed(wait, 2) + " s\n";
    clear_line();
    std::fputs(redacted(line).c_str(), stderr);
    if (terminal_ && !last_.empty()) draw(last_);
}

void progress_meter::finish(const walk_figures& now, const std::string& outcome) {
    if (!shown_) return;
    draw(describe(now));
    if (terminal_) std::fputc('\n', stderr);
    const double seconds = std::chrono::duration<double>(steady::now() - started_).count();
    std::fprintf(stderr, "paged-export: %s: %llu records written, %llu read, %zu pages, %s in %s s\n",
                 outcome.c_str(), static_cast<unsigned long long>(now.written),
                 static_cast<unsigned long long>(now.read), now.pages, retries_text().c_str(),
                 fixed(seconds, 2).c_str());
}

std::string progress_meter::describe(const walk_figures& now) const {
    const double seconds = std::max(1e-3, std::chrono::duration<double>(steady::now() - started_).count());
    const double rate = static_cast<double>(now.read - std::min(now.read, already_read_)) / seconds;
    std::string text;
    if (now.total) {
        const auto percent = *now.total == 0 ? 100 : std::min<std::uint64_t>(100, now.read * 100 / *now.total);
        text = bar(now.read, *now.total) + " " + std::to_string(percent) + "% " + std::to_string(now.read) + "/" +
               std::to_string(*now.total) + " records";
    } else {
        text = std::to_string(now.read) + " records, " + std::to_string(now.pages) + " pages";
    }
    text += ", " + fixed(rate, 0) + " records/s";
    if (now.written != now.read) text += ", " + std::to_string(now.written) + " written";
    if (retries_ > 0) text += ", " + retries_text();
    return text;
}

std::string progress_meter::retries_text() const {
    return std::to_string(retries_) + (retries_ == 1 ? " retry" : " retries");
}

void progress_meter::draw(const std::string& text) {
    last_ = text;
    drawn_at_ = steady::now();
    if (terminal_) {
        std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
    } else {
        std::fprintf(stderr, "%s\n", text.c_str());
    }
    std::fflush(stderr);
}

void progress_meter::clear_line() {
    if (terminal_ && !last_.empty()) std::fputs("\r\x1b[K", stderr);
}

}  // namespace paged_export
