// The test: 4 processes sharing 10 requests a second through one Redis key stay within the budget (+2%) and
// use at least 90% of it. Each worker is this binary run again (main.cpp) and sends real HTTP GETs through
// paged::http::client to tests/support/paged_server.py; its budget is a paged::redis::rate_limiter, wrapped to write
// down each slot Redis granted (on Redis's clock) and when the request really went out (this machine's clock, which
// is Redis's clock here: one machine). The parent counts the grants in a fixed 3 s window and checks them against the
// requests the server counted.

#include "../support/local_server.hpp"
#include "../support/redis_server.hpp"

#include <paged/event_loop.hpp>
#include <paged/http/client.hpp>
#include <paged/redis/rate_limiter.hpp>
#include <paged/request_budget.hpp>
#include <paged/sleep_for.hpp>
#include <paged/sync_wait.hpp>
#include <paged/task.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace paged_redis_test {

namespace {

constexpr const char* worker_flag = "--paged-redis-worker";
constexpr double per_second = 10.0;
constexpr std::size_t burst = 1;
constexpr int workers = 4;

std::int64_t wall_microseconds() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The Redis budget, writing "grant <slot> <sent>" (microseconds since the epoch) for each token to stdout.
class recording_budget final : public paged::request_budget {
public:
    explicit recording_budget(std::shared_ptr<paged::redis::rate_limiter> limiter) : limiter_(std::move(limiter)) {}
    paged::task<void> take() override {
        const paged::redis::rate_limiter::grant granted = limiter_->reserve();
        if (granted.wait > std::chrono::microseconds::zero()) co_await paged::sleep_for(granted.wait);
        std::printf("grant %lld %lld\n", static_cast<long long>(granted.at.count()),
                    static_cast<long long>(wall_microseconds()));
    }

private:
    std::shared_ptr<paged::redis::rate_limiter> limiter_;
};

paged::task<int> send_until(paged::http::client& http, std::string url, std::int64_t start_us, std::int64_t end_us) {
    const std::int64_t now = wall_microseconds();
    if (start_us > now) co_await paged::sleep_for(std::chrono::microseconds(start_us - now));
    int failures = 0;
    while (wall_microseconds() < end_us) {
        const paged::http::response reply = co_await http.get(url);
        if (reply.status != 200) ++failures;
    }
    co_return failures;
}

}  // namespace

// argv: flag, redis port, key, url, start and end of the window (microseconds since the epoch).
int worker_main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "worker: expected 6 arguments\n");
        return 2;
    }
    try {
        const int port = std::atoi(argv[2]);
        const std::string key = argv[3];
        const std::string url = argv[4];
        const std::int64_t start_us = std::atoll(argv[5]);
        const std::int64_t end_us = std::atoll(argv[6]);
        auto limiter = std::make_shared<paged::redis::rate_limiter>("127.0.0.1", port, key, per_second, burst);
        auto budget = std::make_shared<recording_budget>(limiter);
        paged::event_loop loop;
        paged::http::client http(loop, paged::http::client_options().limiter(budget));
        const int failures = paged::sync_wait(loop, send_until(http, url, start_us, end_us));
        std::fflush(stdout);
        return failures == 0 ? 0 : 3;
    } catch (const std::exception& problem) {
        std::fprintf(stderr, "worker: %s\n", problem.what());
        return 1;
    }
}

namespace {

struct worker_process {
    pid_t pid = 0;
    FILE* output = nullptr;
};

worker_process spawn_worker(const std::vector<std::string>& arguments) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> argv;
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    worker_process started;
    const int failed = posix_spawn(&started.pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (failed != 0) {
        close(out[0]);
        throw std::runtime_error("cannot run /proc/self/exe");
    }
    started.output = fdopen(out[0], "r");
    return started;
}

}  // namespace

}  // namespace paged_redis_test

TEST_CASE("redis limiter: 4 processes sharing 10 requests a second stay within it and use at least 90% of it",
          "[redis][processes]") {
    using namespace paged_redis_test;
    paged_test::redis_server redis;
    paged_test::local_server api(PAGED_TEST_SERVER, 100);
    const std::string key = "paged-test:shared:" + std::to_string(getpid());
    const std::string url = api.url("/offset?limit=1&offset=0");

    // A common window, far enough ahead that every worker has started, connected and is waiting for it.
    const std::int64_t window_us = 3'000'000;
    const std::int64_t start_us = wall_microseconds() + 800'000;
    const std::int64_t end_us = start_us + window_us;

    std::vector<worker_process> running;
    for (int k = 0; k < workers; ++k) {
        running.push_back(spawn_worker({"paged_redis_tests", worker_flag, std::to_string(redis.port()), key, url,
                                        std::to_string(start_us), std::to_string(end_us)}));
    }
    std::vector<std::int64_t> slots;
    std::vector<std::int64_t> sent_times;
    std::vector<std::int64_t> lateness;  // sent - slot, per request
    int clean_exits = 0;
    for (worker_process& worker : running) {
        char line[128];
        while (worker.output != nullptr && std::fgets(line, sizeof line, worker.output) != nullptr) {
            long long slot = 0, sent = 0;
            if (std::sscanf(line, "grant %lld %lld", &slot, &sent) == 2) {
                slots.push_back(slot);
                sent_times.push_back(sent);
                lateness.push_back(sent - slot);
            }
        }
        if (worker.output != nullptr) std::fclose(worker.output);
        int status = 0;
        waitpid(worker.pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++clean_exits;
    }
    REQUIRE(clean_exits == workers);

    // Every token was one request, and no request went without one.
    const auto requests = api.stats()["endpoints"]["/offset"]["requests"].get<std::size_t>();
    CHECK(requests == slots.size());

    // No request went out before its slot (2 ms for the clocks' reading order), and they were not held back long.
    std::sort(lateness.begin(), lateness.end());
    CHECK(lateness.front() >= -2'000);
    CHECK(lateness[lateness.size() / 2] < 100'000);

    // The schedule itself: consecutive slots are one interval apart or more, whichever process held them.
    std::sort(slots.begin(), slots.end());
    for (std::size_t i = 1; i < slots.size(); ++i) {
        INFO("slot " << i);
        CHECK(slots[i] - slots[i - 1] >= 100'000);
    }

    // The grants in the window [start, end): at most rate * window + burst (+2%), at least 90% of rate * window.
    const auto in_window = static_cast<double>(std::count_if(slots.begin(), slots.end(), [&](std::int64_t slot) {
        return slot >= start_us && slot < end_us;
    }));
    const double budget = per_second * static_cast<double>(window_us) / 1e6;
    INFO("grants in the window: " << in_window << " of a budget of " << budget << " + " << burst);
    CHECK(in_window <= budget * 1.02 + static_cast<double>(burst));
    CHECK(in_window >= 0.9 * budget);
    // What really went out in the window: never more than was granted in it (nothing goes before its slot), and
    // still at least 90%.
    const auto sent_in_window = static_cast<double>(std::count_if(
        sent_times.begin(), sent_times.end(), [&](std::int64_t sent) { return sent >= start_us && sent < end_us; }));
    INFO("requests sent in the window: " << sent_in_window);
    CHECK(sent_in_window <= budget * 1.02 + static_cast<double>(burst));
    CHECK(sent_in_window >= 0.9 * budget);
    // And over the whole run, whatever window: from the first grant to the last.
    const double span = static_cast<double>(slots.back() - slots.front()) / 1e6;
    CHECK(static_cast<double>(slots.size()) <= (per_second * span + static_cast<double>(burst)) * 1.02);
}
