#pragma once
// paged::redis::rate_limiter: one request budget shared by processes on any number of machines, kept in Redis. APIs
// limit per account, so N sharded workers (walk_options().shard(k, n)) must spend one budget, not N:
//
//     auto budget = std::make_shared<paged::redis::rate_limiter>("redis.internal", 6379, "budget:github:acme", 10.0);
//     paged::http::client client(paged::http::client_options().limiter(budget));
//
// The algorithm is the GCRA of paged::rate_limiter (reservations: at most burst + L * per_second grants in any window
// of length L, no idle gap, never early), run as one Lua script so that reading and advancing the schedule is atomic
// however many clients call at once. The script reads Redis's own clock (TIME): the machines' clocks never enter it,
// so skew between workers cannot let them overspend. The state is one key that expires once the bucket is full again.
//
// * take() makes one blocking round trip to Redis (on loopback about 0.1 ms; it stalls this thread's loop for that
//   long), then sleeps on the running loop for the wait Redis granted. A blocking call rather than hiredis's async
//   API keeps the limiter independent of the loop's I/O source; a budget is taken once per request, which costs far
//   more than the round trip.
// * The connection belongs to the limiter and is used under a mutex: threads may share one limiter. It is opened in
//   the constructor (a wrong address fails at once) and again on the next call after a failure.
// * Connecting or a command failing throws paged::redis::error naming host:port and Redis's or the socket's message.
// * A cancelled waiter's slot is not given back: another process may have reserved after it, and moving the schedule
//   back would let the two together go over the budget. A cancellation therefore costs one token's worth of time.

#include <paged/error.hpp>
#include <paged/event_loop.hpp>
#include <paged/request_budget.hpp>
#include <paged/sleep_for.hpp>
#include <paged/task.hpp>

#include <hiredis/hiredis.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <sys/time.h>
#include <utility>

namespace paged::redis {

// Redis could not be reached, or refused a command. what() names host:port and the cause.
class error : public paged::error {
public:
    error(std::string address, const std::string& problem)
        : paged::error("paged::redis::rate_limiter: " + address + ": " + problem), address_(std::move(address)) {}
    const std::string& address() const noexcept { return address_; }

private:
    std::string address_;
};

class rate_limiter final : public request_budget {
public:
    // What one reservation got: how long to wait before sending, and the slot itself on Redis's clock
    // (microseconds since the Unix epoch). wait is zero when a token was free.
    struct grant {
        std::chrono::microseconds wait{};
        std::chrono::microseconds at{};
    };

    // `per_second` tokens a second (finite, > 0) and up to `burst` (>= 1) at once, under `key` on the Redis server at
    // host:port. Every limiter, in any process, that names the same server and key shares one budget (give them the
    // same rate too: each call applies its own). `timeout` bounds connecting and each command.
    rate_limiter(std::string host, int port, std::string key, double per_second, std::size_t burst = 1,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
        : address_(checked_address(host, port)),
          host_(std::move(host)),
          port_(port),
          key_(checked_key(std::move(key))),
          interval_us_(checked_interval(per_second, burst)),
          tolerance_us_(interval_us_ * static_cast<std::int64_t>(burst - 1)),
          per_second_(per_second),
          burst_(burst),
          timeout_(timeout) {
        const std::lock_guard lock(mutex_);
        connect();
    }
    rate_limiter(const rate_limiter&) = delete;
    rate_limiter& operator=(const rate_limiter&) = delete;
    ~rate_limiter() override = default;

    // Reserves the next slot and sleeps on the running loop until it comes. Throws usage_error outside a running
    // event_loop (before reserving anything) and paged::redis::error when Redis fails.
    task<void> take() override {
        (void)paged::detail::running_loop("paged::redis::rate_limiter::take");
        const grant granted = reserve();
        if (granted.wait > std::chrono::microseconds::zero()) co_await paged::sleep_for(granted.wait);
    }

    // Reserves the next slot without waiting for it: the caller must not send before `wait` has passed. For code that
    // waits its own way (a thread that sleeps), and for tests of the schedule.
    grant reserve() {
        const std::lock_guard lock(mutex_);
        if (!context_) connect();
        const std::string interval = std::to_string(interval_us_);
        const std::string tolerance = std::to_string(tolerance_us_);
        reply answer = evaluate(true, interval, tolerance);
        // The script cache is empty after a restart, a failover or SCRIPT FLUSH: send the script itself once.
        if (answer->type == REDIS_REPLY_ERROR && std::string(answer->str, answer->len).rfind("NOSCRIPT", 0) == 0) {
            answer = evaluate(false, interval, tolerance);
        }
        if (answer->type == REDIS_REPLY_ERROR) throw error(address_, std::string(answer->str, answer->len));
        if (answer->type != REDIS_REPLY_ARRAY || answer->elements != 2 ||
            answer->element[0]->type != REDIS_REPLY_INTEGER || answer->element[1]->type != REDIS_REPLY_INTEGER) {
            throw error(address_, "unexpected reply to the rate script");
        }
        return grant{std::chrono::microseconds(answer->element[0]->integer),
                     std::chrono::microseconds(answer->element[1]->integer)};
    }

    double per_second() const noexcept { return per_second_; }
    std::size_t burst() const noexcept { return burst_; }
    const std::string& key() const noexcept { return key_; }
    // "host:port", as errors name it.
    const std::string& address() const noexcept { return address_; }

private:
    struct context_deleter {
        void operator()(redisContext* context) const noexcept { redisFree(context); }
    };
    struct reply_deleter {
        void operator()(redisReply* answer) const noexcept { freeReplyObject(answer); }
    };
    using reply = std::unique_ptr<redisReply, reply_deleter>;

    // KEYS[1]: the theoretical arrival time (TAT), microseconds on Redis's clock. ARGV[1]: one token's worth of time,
    // ARGV[2]: (burst - 1) tokens' worth. Returns {wait, slot}. Numbers are written with %.0f: Lua's default
    // tostring keeps 14 digits, and a time in microseconds has 16.
    static constexpr const char* script =
        "if redis.replicate_commands then redis.replicate_commands() end\n"  // TIME before a write, Redis < 5
        "local t = redis.call('TIME')\n"
        "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
        "local tat = tonumber(redis.call('GET', KEYS[1])) or now\n"
        "if tat < now then tat = now end\n"  // an idle bucket refills up to burst, not beyond
        "local slot = tat - tonumber(ARGV[2])\n"
        "if slot < now then slot = now end\n"
        "local next_tat = tat + tonumber(ARGV[1])\n"
        // The key outlives the moment the bucket is full again by a second; a missing key reads as a full bucket.
        "redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1000)\n"
        "return {slot - now, slot}\n";

    reply command(int argc, const char** argv, const std::size_t* lengths) {
        reply answer(static_cast<redisReply*>(redisCommandArgv(context_.get(), argc, argv, lengths)));
        if (!answer) {
            // The connection is unusable after an I/O error: the next call opens a new one.
            const std::string problem = context_->errstr[0] != '\0' ? context_->errstr : "no reply";
            context_.reset();
            throw error(address_, problem);
        }
        return answer;
    }

    reply evaluate(bool cached, const std::string& interval, const std::string& tolerance) {
        const std::string code = cached ? sha_ : std::string(script);
        const char* argv[] = {cached ? "EVALSHA" : "EVAL", code.c_str(), "1", key_.c_str(), interval.c_str(),
                              tolerance.c_str()};
        const std::size_t lengths[] = {cached ? 7u : 4u, code.size(), 1, key_.size(), interval.size(),
                                       tolerance.size()};
        return command(6, argv, lengths);
    }

    void connect() {
        timeval limit{};
        limit.tv_sec = static_cast<decltype(limit.tv_sec)>(timeout_.count() / 1000);
        limit.tv_usec = static_cast<decltype(limit.tv_usec)>((timeout_.count() % 1000) * 1000);
        std::unique_ptr<redisContext, context_deleter> opened(redisConnectWithTimeout(host_.c_str(), port_, limit));
        if (!opened) throw error(address_, "cannot allocate a connection");
        if (opened->err != 0) throw error(address_, opened->errstr);
        if (redisSetTimeout(opened.get(), limit) != REDIS_OK) throw error(address_, opened->errstr);
        context_ = std::move(opened);
        // Loaded once per connection; EVALSHA then sends 40 bytes instead of the script.
        const char* argv[] = {"SCRIPT", "LOAD", script};
        const std::size_t lengths[] = {6, 4, std::char_traits<char>::length(script)};
        const reply answer = command(3, argv, lengths);
        if (answer->type != REDIS_REPLY_STRING) {
            const std::string problem = answer->type == REDIS_REPLY_ERROR ? std::string(answer->str, answer->len)
                                                                           : "unexpected reply to SCRIPT LOAD";
            context_.reset();
            throw error(address_, problem);
        }
        sha_.assign(answer->str, answer->len);
    }

    static std::string checked_address(const std::string& host, int port) {
        if (host.empty()) throw usage_error("paged::redis::rate_limiter: host must not be empty");
        if (port < 1 || port > 65535) throw usage_error("paged::redis::rate_limiter: port must be 1 to 65535");
        return host + ":" + std::to_string(port);
    }
    static std::string checked_key(std::string key) {
        if (key.empty()) throw usage_error("paged::redis::rate_limiter: key must not be empty");
        return key;
    }
    // Whole microseconds (Redis's TIME resolution), rounded up: a hair slower than asked, never faster.
    static std::int64_t checked_interval(double per_second, std::size_t burst) {
        if (!std::isfinite(per_second) || !(per_second > 0)) {
            throw usage_error("paged::redis::rate_limiter: per_second must be a finite number above 0 (tokens per "
                              "second)");
        }
        if (burst < 1) {
            throw usage_error("paged::redis::rate_limiter: burst must be at least 1 (tokens granted at once)");
        }
        const double microseconds = std::max(1.0, std::ceil(1e6 / per_second));
        // Lua's numbers are doubles: times stay exact integers below 2^53 microseconds (285 years).
        if (microseconds * static_cast<double>(burst) > 1e15) {
            throw usage_error("paged::redis::rate_limiter: burst / per_second must be under 1e9 seconds (about 31 "
                              "years)");
        }
        return static_cast<std::int64_t>(microseconds);
    }

    const std::string address_;
    const std::string host_;
    const int port_;
    const std::string key_;
    const std::int64_t interval_us_;
    const std::int64_t tolerance_us_;
    const double per_second_;
    const std::size_t burst_;
    const std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::unique_ptr<redisContext, context_deleter> context_;
    std::string sha_;
};

}  // namespace paged::redis
