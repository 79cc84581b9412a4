#pragma once
// paged::http::client: HTTP through libcurl's multi interface, driven by a paged::event_loop. One thread runs any
// number of concurrent transfers, timers and generators; `co_await client.send(request)` suspends only the coroutine
// that asked, and waiting costs no CPU (curl_multi_poll with the loop's next deadline).
//
//     paged::http::client client(paged::http::client_options().header("Authorization", "Bearer " + token));
//     auto issues = paged::http::next_link(client, "https://api.github.com/repos/o/r/issues?per_page=100");
//     for (auto& issue : paged::blocking(paged::paginate(issues))) ...
//
// * Connections are reused across pages and walks (the multi handle keeps them; HTTP/2 streams are multiplexed when the
//   server offers it). Redirects are followed (http and https only, max_redirects), gzip/deflate/br decoded, TLS peer
//   and host verification stay on: nothing here turns them off.
// * Any method is sent, with the request's body when it has one. A 303 (and a 301 or 302 answering a POST, as
//   browsers and curl do) is followed with a GET without the body; 307 and 308 keep the method and the body.
// * A response larger than max_response_bytes stops its transfer with response_too_large; transport failures (DNS,
//   refused, reset, timeout, truncated body) are transfer_errors carrying the URL and libcurl's message. HTTP
//   statuses are not errors here: the strategies decide.
// * send() applies the client's retry_policy (retry_policy.hpp: 429/Retry-After, 5xx and transfer failures with
//   backoff, on by default), waits for the reset when a response says the rate budget is spent, takes a token from
//   the shared rate_limiter if one is set, and keeps to max_requests_per_host. send_once() is one bare transfer.
// * Destroying the coroutine that awaits a transfer removes the transfer at once: nothing is called back afterwards.
// * A client belongs to one loop and one thread (it is that loop's io_source; one per loop). Threads that each run
//   their own loop with their own client work side by side.

#include <paged/clock.hpp>
#include <paged/event_loop.hpp>
#include <paged/http/detail/ascii.hpp>
#include <paged/http/detail/curl_global.hpp>
#include <paged/http/error.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/http/detail/host_slots.hpp>
#include <paged/http/detail/linkage.hpp>
#include <paged/http/message.hpp>
#include <paged/http/origin_policy.hpp>
#include <paged/http/url.hpp>
#include <paged/http/retry_policy.hpp>
#include <paged/rate_limiter.hpp>
#include <paged/request_budget.hpp>
#include <paged/sleep_for.hpp>
#include <paged/task.hpp>
#include <paged/version.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace paged::http {

// What client_options::on_exchange is told after each transfer.
struct exchange_event {
    std::string_view method;
    std::string_view url;  // without user:password@
    int status = 0;        // 0 when the transfer failed
    int curl_code = 0;     // the CURLcode when it failed
    clock::duration elapsed{};
};

// How a client sends. Built with setters (detail/gcc12_temporaries.hpp); every setter checks its value at once.
//     paged::http::client client(loop, paged::http::client_options().header("Authorization", "Bearer " + token));
class client_options {
public:
    client_options();

    // Connecting, TLS handshake included (10 s).
    client_options& connect_timeout(std::chrono::milliseconds limit) & { return set(connect_timeout_, positive(limit)); }
    client_options&& connect_timeout(std::chrono::milliseconds limit) && { return std::move(connect_timeout(limit)); }
    std::chrono::milliseconds connect_timeout() const noexcept { return connect_timeout_; }

    // The whole transfer of one request, redirects included (60 s).
    client_options& request_timeout(std::chrono::milliseconds limit) & { return set(request_timeout_, positive(limit)); }
    client_options&& request_timeout(std::chrono::milliseconds limit) && { return std::move(request_timeout(limit)); }
    std::chrono::milliseconds request_timeout() const noexcept { return request_timeout_; }

    // A larger response stops with response_too_large (64 MiB).
    client_options& max_response_bytes(std::size_t bytes) & {
        if (bytes == 0) throw usage_error("paged::http::client_options: max_response_bytes must be positive");
        return set(max_response_bytes_, bytes);
    }
    client_options&& max_response_bytes(std::size_t bytes) && { return std::move(max_response_bytes(bytes)); }
    std::size_t max_response_bytes() const noexcept { return max_response_bytes_; }

    // Redirects followed per request (10; 0 follows none).
    client_options& max_redirects(long count) & {
        if (count < 0) throw usage_error("paged::http::client_options: max_redirects must be 0 or more");
        return set(max_redirects_, count);
    }
    client_options&& max_redirects(long count) && { return std::move(max_redirects(count)); }
    long max_redirects() const noexcept { return max_redirects_; }

    client_options& user_agent(std::string agent) & { return set(user_agent_, std::move(agent)); }
    client_options&& user_agent(std::string agent) && { return std::move(user_agent(std::move(agent))); }
    const std::string& user_agent() const noexcept { return user_agent_; }

    // A header sent with every request (Authorization, Accept, ...); a request's own field of that name wins.
    client_options& header(std::string name, std::string value) & {
        headers_.add(std::move(name), std::move(value));
        return *this;
    }
    client_options&& header(std::string name, std::string value) && {
        return std::move(header(std::move(name), std::move(value)));
    }
    const http::headers& headers() const noexcept { return headers_; }

    // What send() retries and how long it waits (retry_policy.hpp); retry_policy::none() turns retries off.
    client_options& retry(retry_policy policy) & { return set(retry_, std::move(policy)); }
    client_options&& retry(retry_policy policy) && { return std::move(retry(std::move(policy))); }
    const retry_policy& retry() const noexcept { return retry_; }

    // A rate budget shared with other clients, on any thread: every request (retries too) takes a token first. A
    // paged::rate_limiter shares it within this process, a paged::redis::rate_limiter across processes and machines.
    client_options& limiter(std::shared_ptr<request_budget> shared) & { return set(limiter_, std::move(shared)); }
    client_options&& limiter(std::shared_ptr<request_budget> shared) && {
        return std::move(limiter(std::move(shared)));
    }
    const std::shared_ptr<request_budget>& limiter() const noexcept { return limiter_; }

    // At most this many requests in flight per origin (scheme, host, port); the others wait their turn. 0: no cap.
    client_options& max_requests_per_host(std::size_t count) & { return set(max_per_host_, count); }
    client_options&& max_requests_per_host(std::size_t count) && { return std::move(max_requests_per_host(count)); }
    std::size_t max_requests_per_host() const noexcept { return max_per_host_; }

    // Another origin (scheme://host[:port]) the credentials may go to, when a next link or redirect leads there
    // (origin_policy.hpp); call once per origin. An https walk never continues over http, allowed or not.
    client_options& allow_origin(const std::string& origin) &;
    client_options&& allow_origin(const std::string& origin) && { return std::move(allow_origin(origin)); }
    const std::vector<std::string>& allowed_origins() const noexcept { return allowed_; }

    // What a hop to another origin does: refuse (origin_error, the default) or go without any user-set header.
    client_options& cross_origin(http::cross_origin policy) & { return set(cross_origin_, policy); }
    client_options&& cross_origin(http::cross_origin policy) && { return std::move(cross_origin(policy)); }
    http::cross_origin cross_origin() const noexcept { return cross_origin_; }

    // Certificate authorities to trust instead of the system's: a PEM bundle, or a directory of hashed certificates.
    client_options& ca_file(std::string path) & { return set(ca_file_, std::move(path)); }
    client_options&& ca_file(std::string path) && { return std::move(ca_file(std::move(path))); }
    const std::string& ca_file() const noexcept { return ca_file_; }
    client_options& ca_path(std::string directory) & { return set(ca_path_, std::move(directory)); }
    client_options&& ca_path(std::string directory) && { return std::move(ca_path(std::move(directory))); }
    const std::string& ca_path() const noexcept { return ca_path_; }

    // A proxy for every request ("http://proxy.internal:3128", "socks5h://..."); "" (the default) lets libcurl read
    // the usual environment variables (https_proxy, no_proxy).
    client_options& proxy(std::string address) & { return set(proxy_, std::move(address)); }
    client_options&& proxy(std::string address) && { return std::move(proxy(std::move(address))); }
    const std::string& proxy() const noexcept { return proxy_; }

    // Told after every transfer (each try and each redirect hop): for debugging and metrics. It carries the method, the
    // URL (without user:password@), the status or libcurl's code, and the time; never a header value.
    template <class F>
        requires std::invocable<F&, const exchange_event&>
    client_options& on_exchange(F&& observer) & {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return set(on_exchange_, std::function<void(const exchange_event&)>(std::forward<F>(observer)));
    }
    template <class F>
        requires std::invocable<F&, const exchange_event&>
    client_options&& on_exchange(F&& observer) && {
        static_assert(paged::detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return std::move(on_exchange(std::forward<F>(observer)));
    }
    const std::function<void(const exchange_event&)>& on_exchange() const noexcept { return on_exchange_; }

private:
    template <class Field, class Value>
    client_options& set(Field& field, Value&& value) {
        field = std::forward<Value>(value);
        return *this;
    }
    // libcurl reads 0 and negative values as "no limit": a typo must not switch a limit off.
    static std::chrono::milliseconds positive(std::chrono::milliseconds limit);

    std::chrono::milliseconds connect_timeout_{10'000};
    std::chrono::milliseconds request_timeout_{60'000};
    std::size_t max_response_bytes_ = std::size_t{64} << 20;
    long max_redirects_ = 10;
    std::string user_agent_;
    http::headers headers_;
    retry_policy retry_;
    std::shared_ptr<request_budget> limiter_;
    std::size_t max_per_host_ = 0;
    std::vector<std::string> allowed_;
    http::cross_origin cross_origin_ = http::cross_origin::refuse;
    std::string ca_file_;
    std::string ca_path_;
    std::string proxy_;
    std::function<void(const exchange_event&)> on_exchange_;
};

class client final : public io_source {
public:
    class send_operation;

    // On `loop`; or on this thread's loop (event_loop::for_this_thread()), which blocking(gen) and sync_wait(task)
    // run when given no loop.
    explicit client(event_loop& loop, client_options options = {});
    explicit client(client_options options = {}) : client(event_loop::for_this_thread(), std::move(options)) {}
    client(const client&) = delete;
    client& operator=(const client&) = delete;
    // Transfers still in flight are abandoned: their awaiting coroutines must be destroyed, never resumed.
    ~client() override;

    // The response to `outgoing`, after the retries, pacing and limits of the client's options. Throws
    // transfer_error for a failure that is not retried, retry_error when the policy gives up.
    task<response> send(request outgoing);  // request(url).query(name, value): not {.url = ...}
    // The response to a GET of `url`, as send(). (A template, so that {.url = u} cannot reach std::string.)
    template <std::convertible_to<std::string> Url>
    task<response> get(Url&& url);
    // Awaitable: one transfer, nothing retried or paced.
    [[nodiscard]] send_operation send_once(request outgoing);

    // Transfers started and not yet handed back.
    std::size_t in_flight() const noexcept { return active_.size() + completed_.size(); }

    bool busy() const noexcept override { return in_flight() > 0; }
    polled poll(std::optional<clock::duration> timeout) override;
    void wake() noexcept override {
        woken_ = true;  // libcurl does not count its wakeup in curl_multi_poll's numfds
        curl_multi_wakeup(multi_);
    }

private:
    void start(send_operation& operation);
    void cancel(send_operation& operation) noexcept;
    void perform();
    void configure(send_operation& operation);
    static void append_header(send_operation& operation, const std::string& name, const std::string& value);
    static void append_line(send_operation& operation, const std::string& line);
    static void choose_method(send_operation& operation);
    task<clock::duration> pace(const std::string& origin, clock::duration& waited, const std::string& url,
                               const std::vector<failed_attempt>& attempts);
    void note_rate_limit(const std::string& origin, const response& reply);
    task<response> follow_redirects(const request& first, std::string target, std::string first_origin,
                                    const std::string& home);
    void observe(std::string_view method, const std::string& url, int status, int curl_code,
                 clock::duration elapsed) const;

    event_loop* loop_;
    client_options options_;
    detail::host_slots slots_;
    std::mt19937_64 jitter_;
    std::map<std::string, clock::time_point> paused_until_;  // per origin, from rate-limit fields
    std::atomic<bool> woken_ = false;                          // set by wake(), from any thread
    CURLM* multi_ = nullptr;
    std::unordered_set<send_operation*> active_;  // added to the multi handle
    std::deque<send_operation*> completed_;       // done, their coroutines not resumed yet
};

class client::send_operation {
public:
    // `credentials`: false sends none of the user-set headers (a hop to another origin, origin_policy.hpp).
    send_operation(client& owner, request outgoing, bool credentials = true)
        : client_(&owner), request_(std::move(outgoing)), credentials_(credentials) {}
    // `target`: the request's target as request::target() gives it, computed already (a hop of send()): building it
    // again parses and re-encodes the URL through curl_url: some 17,000 instructions a time (callgrind).
    send_operation(client& owner, request outgoing, bool credentials, std::string target)
        : client_(&owner), request_(std::move(outgoing)), credentials_(credentials), url_(std::move(target)) {}
    send_operation(const send_operation&) = delete;
    send_operation& operator=(const send_operation&) = delete;
    // The awaiting coroutine was destroyed mid-transfer: the transfer goes with it (coroutine-hazards.md, row 3).
    ~send_operation() {
        if (registered_) client_->cancel(*this);
        release_handle();
    }

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> waiting) {
        waiter_ = waiting;
        client_->start(*this);
    }
    response await_resume();

private:
    friend class client;

    static std::size_t on_body(char* data, std::size_t, std::size_t size, void* self);
    // One header line at a time. A line that starts with a space or tab continues the field before it (obs-fold,
    // RFC 9112 5.2): unfolded, not taken for a field of its own or dropped.
    static std::size_t on_header(char* data, std::size_t, std::size_t size, void* self);
    void finish(CURLcode result);

    void release_handle() noexcept {
        if (easy_ != nullptr) curl_easy_cleanup(std::exchange(easy_, nullptr));
        if (header_list_ != nullptr) curl_slist_free_all(std::exchange(header_list_, nullptr));
    }

    client* client_;
    bool registered_ = false;  // in the client's active_ or completed_
    request request_;
    bool credentials_;
    std::string url_;
    CURL* easy_ = nullptr;
    curl_slist* header_list_ = nullptr;
    std::coroutine_handle<> waiter_;
    response response_;
    CURLcode result_ = CURLE_OK;
    std::size_t max_bytes_ = 0;
    bool too_large_ = false;
    bool sends_content_ = false;  // a body (perhaps empty) goes out, with Content-Length
    char error_[CURL_ERROR_SIZE] = {};
};

inline client::send_operation client::send_once(request outgoing) {
    return send_operation(*this, std::move(outgoing));
}
template <std::convertible_to<std::string> Url>
task<response> client::get(Url&& url) {
    return send(request(std::string(std::forward<Url>(url))));
}

}  // namespace paged::http

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/http/impl/client.ipp>
#endif
