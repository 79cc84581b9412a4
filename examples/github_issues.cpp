// Lists every issue of a GitHub repository, open and closed (pull requests, which GitHub's issues endpoint mixes in,
// left out), following the Link header page by page and keeping to GitHub's rate limit.
//
//     GITHUB_TOKEN=ghp_... github_issues OWNER/REPO [per-page, 1 to 100]
//
// GITHUB_TOKEN is optional (anonymous: 60 requests an hour); GITHUB_API_URL replaces https://api.github.com (GitHub
// Actions sets it; GitHub Enterprise: https://HOST/api/v3). Prints "#number<TAB>state<TAB>author<TAB>title" per
// issue, then a summary; a note on stderr when the rate budget is spent and the next request waits for its reset.
//
// Rate limits need no code of ours: the client reads X-RateLimit-Remaining/-Reset on every response and, once the
// budget is spent, holds the next request until the reset instead of earning a 403; a 403 or 429 that comes anyway
// (a secondary limit) is retried after its Retry-After or the reset. A reset is up to an hour away, longer than the
// retry policy's default ceiling of 2 minutes: hence the policy below.

#include <paged/blocking.hpp>
#include <paged/error.hpp>
#include <paged/http/client.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/http/retry_after.hpp>
#include <paged/http/retry_policy.hpp>
#include <paged/paginate.hpp>
#include <paged/walk_options.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

struct issue {
    std::uint64_t number = 0;
    std::string state;
    std::string author;
    std::string title;
    bool pull_request = false;
};

// Found by nlohmann through ADL: items are decoded into `issue` as each page is parsed.
[[maybe_unused]] void from_json(const nlohmann::json& item, issue& into) {
    item.at("number").get_to(into.number);
    item.at("state").get_to(into.state);
    item.at("title").get_to(into.title);
    const nlohmann::json& user = item.at("user");
    into.author = user.is_null() ? "ghost" : user.at("login").get<std::string>();  // a deleted account
    into.pull_request = item.contains("pull_request");
}

// A transport around the client that tells the user why the walk is about to pause: the client's pacing is silent,
// and an hour without output looks like a hang.
class rate_limit_reporter {
public:
    explicit rate_limit_reporter(paged::http::client& http) : http_(&http) {}

    paged::task<paged::http::response> send(paged::http::request outgoing) {
        paged::http::response reply = co_await http_->send(std::move(outgoing));
        if (const auto wait = paged::http::rate_limit_reset(reply)) {
            const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait).count();
            std::cerr << "github_issues: rate limit spent; the next request waits " << seconds << " s for the reset\n";
        }
        co_return reply;
    }

private:
    paged::http::client* http_;
};

// GitHub's owner and repository names: letters, digits, '.', '-' and '_'.
bool valid_name(std::string_view name) {
    return !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                                std::string_view::npos;
}

std::optional<std::string> issues_url(std::string_view repository) {
    const auto slash = repository.find('/');
    if (slash == std::string_view::npos || !valid_name(repository.substr(0, slash)) ||
        !valid_name(repository.substr(slash + 1))) {
        return std::nullopt;
    }
    const char* api = std::getenv("GITHUB_API_URL");
    std::string base = api != nullptr && *api != '\0' ? api : "https://api.github.com";
    if (base.back() == '/') base.pop_back();
    return base + "/repos/" + std::string(repository) + "/issues";
}

std::optional<int> per_page_argument(std::string_view text) {
    int value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc() || end != text.data() + text.size() || value < 1 || value > 100) return std::nullopt;
    return value;
}

paged::http::client_options github_options() {
    auto options = paged::http::client_options()
                       .header("Accept", "application/vnd.github+json")
                       .header("X-GitHub-Api-Version", "2022-11-28")
                       .retry(paged::http::retry_policy()
                                  .max_retry_after(std::chrono::hours(1))
                                  .max_total_wait(std::chrono::hours(2)));
    const char* token = std::getenv("GITHUB_TOKEN");
    if (token != nullptr && *token != '\0') options.header("Authorization", std::string("Bearer ") + token);
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    const std::optional<std::string> url = argc >= 2 ? issues_url(argv[1]) : std::nullopt;
    const std::optional<int> per_page = argc == 3 ? per_page_argument(argv[2]) : std::optional<int>(100);
    if (argc < 2 || argc > 3 || !url || !per_page) {
        std::cerr << "usage: github_issues OWNER/REPO [per-page, 1 to 100]   (token from GITHUB_TOKEN, "
                     "API from GITHUB_API_URL)\n";
        return 2;
    }
    try {
        paged::http::client http(github_options());
        rate_limit_reporter reporting(http);
        std::size_t issues = 0, pull_requests = 0, pages = 0;
        const auto count_page = [&pages](const paged::page_event&) { ++pages; };
        // state=all: without it GitHub lists open issues only.
        const std::string first_page = *url + "?state=all&per_page=" + std::to_string(*per_page);
        auto listing = paged::http::next_link<issue>(reporting, first_page);
        auto walk = paged::paginate(std::move(listing), paged::walk_options().on_page(count_page));
        for (const issue& item : paged::blocking(std::move(walk))) {
            if (item.pull_request) {
                ++pull_requests;
                continue;
            }
            std::cout << '#' << item.number << '\t' << item.state << '\t' << item.author << '\t' << item.title << '\n';
            ++issues;
        }
        std::cout << issues << " issues (" << pull_requests << " pull requests left out) in " << pages << " pages\n";
    } catch (const paged::error& failure) {
        std::cerr << "github_issues: " << failure.what() << '\n';
        return 1;
    }
    return 0;
}
