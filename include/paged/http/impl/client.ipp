#pragma once
// paged::http::client's definitions: included by client.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/client.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <coroutine>
#include <cstddef>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paged::http {

PAGED_HTTP_INLINE client_options::client_options() : user_agent_(std::string("paged/") + std::string(paged::version)) {}

PAGED_HTTP_INLINE client_options& client_options::allow_origin(const std::string& origin) & {
    allowed_.push_back(http::url(origin).origin());
    return *this;
}

PAGED_HTTP_INLINE std::chrono::milliseconds client_options::positive(std::chrono::milliseconds limit) {
    if (limit.count() <= 0 || limit.count() > LONG_MAX) {
        throw usage_error("paged::http::client_options: timeouts must be positive (and fit a long of milliseconds)");
    }
    return limit;
}

PAGED_HTTP_INLINE client::client(event_loop& loop, client_options options)
    : loop_(&loop), options_(std::move(options)), slots_(loop, options_.max_requests_per_host()),
      jitter_(options_.retry().seed() ? *options_.retry().seed() : std::random_device()()) {
    detail::ensure_curl_initialised();
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::bad_alloc();
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    try {
        loop.attach(*this);  // throws if the loop has an io_source already; from now on other threads may wake()
    } catch (...) {
        curl_multi_cleanup(multi_);
        throw;
    }
}

PAGED_HTTP_INLINE response client::send_operation::await_resume() {
    if (result_ == CURLE_OK) return std::move(response_);
    if (too_large_ || result_ == CURLE_FILESIZE_EXCEEDED) {
        throw response_too_large(url_, result_,
                                 "the response is larger than max_response_bytes (" +
                                     std::to_string(max_bytes_) + " bytes)");
    }
    throw transfer_error(url_, result_, error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(result_));
}

PAGED_HTTP_INLINE std::size_t client::send_operation::on_body(char* data, std::size_t, std::size_t size, void* self) {
    auto& operation = *static_cast<send_operation*>(self);
    std::string& body = operation.response_.body;
    if (body.size() + size > operation.max_bytes_) {
        operation.too_large_ = true;
        return 0;  // stops the transfer with CURLE_WRITE_ERROR
    }
    if (body.empty()) {
        // One allocation for the body instead of a doubling per chunk (and the copies that go with each).
        // Content-Length counts encoded bytes when the body is compressed: then it is only a first guess.
        curl_off_t announced = -1;
        curl_easy_getinfo(operation.easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
        // Capped: a length is only announced, and a lying server must not make every request reserve the cap.
        constexpr std::size_t most_reserved = std::size_t{16} << 20;
        if (announced > 0) {
            body.reserve(std::min({static_cast<std::size_t>(announced), operation.max_bytes_, most_reserved}));
        }
    }
    body.append(data, size);
    return size;
}

PAGED_HTTP_INLINE std::size_t client::send_operation::on_header(char* data, std::size_t, std::size_t size, void* self) {
    auto& fields = static_cast<send_operation*>(self)->response_.headers;
    std::string_view line(data, size);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    const auto colon = line.find(':');
    if (line.substr(0, 5) == "HTTP/") {
        fields = http::headers();
    } else if (!line.empty() && detail::is_ows(line.front())) {
        fields.continue_last(detail::trim_ows(line));
    } else if (colon != std::string_view::npos && colon > 0) {
        fields.add(std::string(line.substr(0, colon)), std::string(detail::trim_ows(line.substr(colon + 1))));
    }
    return size;
}

PAGED_HTTP_INLINE void client::send_operation::finish(CURLcode result) {
    result_ = result;
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    response_.status = static_cast<int>(status);
    char* final_url = nullptr;
    if (curl_easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url != nullptr) {
        response_.url = final_url;
    }
    curl_off_t micros = 0;
    curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &micros);
    response_.elapsed = std::chrono::duration_cast<clock::duration>(std::chrono::microseconds(micros));
    release_handle();
}

// The retry loop. Each try: a per-host slot, the pause a spent rate budget asks for, a limiter token, the transfer;
// then the policy's verdict on what came back, and a timer on the loop for the wait it sets.
PAGED_HTTP_INLINE task<response> client::send(request outgoing) {
    const retry_policy& policy = options_.retry();
    const std::string target = outgoing.target();
    const std::string origin = http::url(target).origin();
    std::string home = origin;
    if (!outgoing.home_origin().empty()) home = http::url(outgoing.home_origin()).origin();
    std::vector<failed_attempt> attempts;
    clock::duration waited{}, last_wait{};
    std::size_t failures = 0, throttles = 0;
    for (;;) {
        detail::host_slots::permit slot = co_await slots_.acquire(origin);
        if (policy.enabled()) last_wait += co_await pace(origin, waited, target, attempts);
        if (options_.limiter()) co_await options_.limiter()->take();
        std::optional<response> reply;
        std::optional<retry_policy::verdict> verdict;
        failed_attempt failed;
        try {
            reply.emplace(co_await follow_redirects(outgoing, target, origin, home));
        } catch (const response_too_large&) {
            throw;
        } catch (const transfer_error& problem) {
            verdict = policy.judge_failure(outgoing, problem.curl_code());
            if (!verdict) throw;
            failed.curl_code = problem.curl_code();
            failed.problem = problem.what();
        }
        slot = detail::host_slots::permit();  // not held while waiting to retry
        http::headers last_headers;
        if (reply) {
            // Only the origin's own answer speaks for its budget, not one from where a redirect led.
            if (policy.enabled() && !reply->url.empty() && http::url(reply->url).origin() == origin) {
                note_rate_limit(origin, *reply);
            }
            verdict = policy.judge(outgoing, *reply);
            if (!verdict) co_return std::move(*reply);
            failed.status = reply->status;
            failed.problem = "status " + std::to_string(reply->status);
            last_headers = reply->headers;
        }
        failed.wait_before = last_wait;
        attempts.push_back(std::move(failed));
        clock::duration wait{};
        // A throttle that asks for no wait at all is a failure like any other, or a server answering "429,
        // Retry-After: 0" would be asked again forever.
        if (verdict->asked && *verdict->asked <= clock::duration::zero()) verdict->counts_as_attempt = true;
        if (verdict->counts_as_attempt && ++failures >= policy.max_attempts()) {
            throw retry_error(retry_error::reason::attempts_exhausted, target, std::move(attempts), {},
                              std::move(last_headers));
        }
        if (verdict->asked) {
            wait = *verdict->asked;
            if (wait > policy.max_retry_after()) {
                throw retry_error(retry_error::reason::retry_after_too_long, target, std::move(attempts), wait,
                                  std::move(last_headers));
            }
        } else {
            wait = policy.backoff(verdict->counts_as_attempt ? failures : ++throttles, jitter_);
        }
        // (Thrown where they arise, not through a lambda: a closure type, having no linkage, may not be a member of
        // the coroutine frame of a function compiled once, as under PAGED_HTTP_SEPARATE_COMPILATION.)
        if (waited + wait > policy.max_total_wait()) {
            throw retry_error(retry_error::reason::wait_budget_exhausted, target, std::move(attempts), wait,
                              std::move(last_headers));
        }
        if (policy.on_retry()) {
            policy.on_retry()(retry_event{attempts.size(), verdict->reason, wait, attempts.back().status,
                                          attempts.back().curl_code, target});
        }
        co_await sleep_operation(*loop_, loop_->clock().now() + wait);
        waited += wait;
        last_wait = wait;  // and the pacing before the next try, if any
    }
}

// One try: the request and the redirects it leads to, every hop checked by the origin policy and told to the observer.
// `target` is first.target(), `first_origin` its origin: send() has them already.
PAGED_HTTP_INLINE task<response> client::follow_redirects(const request& first, std::string target,
                                                          std::string first_origin, const std::string& home) {
    std::string previous = home;
    std::string method = first.method();
    bool carries_body = first.has_body();
    for (long hops = 0;; ++hops) {
        const std::string next_origin = hops == 0 ? first_origin : http::url(target).origin();
        // Checked against the hop before too: http://a -> https://a (allowed) -> http://a must not pass.
        detail::refuse_downgrade(previous, next_origin);
        const bool credentials = detail::credentials_may_go(home, next_origin, options_.allowed_origins(),
                                                            options_.cross_origin());
        if (!credentials && carries_body) {
            // A body is the user's as much as the headers are (a search with an account id, a query with a token).
            throw origin_error(home, next_origin, "a request body goes only where credentials may go "
                                                  "(client_options::allow_origin allows that origin)");
        }
        previous = next_origin;
        request hop(target);  // the query is in the target already
        hop.method(method).headers(first.headers());
        if (carries_body) hop.body(first.body(), first.content_type());
        std::optional<response> reply;
        try {
            reply.emplace(co_await send_operation(*this, std::move(hop), credentials, target));
        } catch (const transfer_error& failure) {
            observe(method, target, 0, failure.curl_code(), {});
            throw;
        }
        observe(method, target, reply->status, 0, reply->elapsed);
        const auto location = reply->headers.get("Location");
        const int status = reply->status;
        if (!location || (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)) {
            co_return std::move(*reply);
        }
        if (hops == options_.max_redirects()) {
            throw transfer_error(target, CURLE_TOO_MANY_REDIRECTS,
                                 "more than " + std::to_string(options_.max_redirects()) +
                                     " redirects (client_options::max_redirects)");
        }
        // RFC 9110 15.4: a 303 points at another resource to GET (a HEAD stays a HEAD). 301 and 302 would keep the
        // method by the letter of the RFC, but every browser and curl turn a POST into a GET there, and servers
        // written against them expect it; 307 and 308 exist to say "same method, same body".
        const bool becomes_get =
            (status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST");
        if (becomes_get) {
            method = "GET";
            carries_body = false;
        }
        target = http::url(reply->url.empty() ? target : reply->url).resolve(std::string(*location)).str();
    }
}

PAGED_HTTP_INLINE void client::observe(std::string_view method, const std::string& url, int status, int curl_code,
                                       clock::duration elapsed) const {
    if (!options_.on_exchange()) return;
    // user:password@ never reaches a log.
    std::string shown = url;
    const auto authority = shown.find("://");
    if (authority != std::string::npos) {
        const auto end = shown.find_first_of("/?#", authority + 3);
        const auto at = shown.rfind('@', end == std::string::npos ? std::string::npos : end);
        if (at != std::string::npos && at > authority) shown.erase(authority + 3, at - authority - 2);
    }
    options_.on_exchange()(exchange_event{method, shown, status, curl_code, elapsed});
}

// A response said the budget is spent: requests to that origin wait for its reset rather than provoke a 429.
PAGED_HTTP_INLINE void client::note_rate_limit(const std::string& origin, const response& reply) {
    if (const auto reset = rate_limit_reset(reply)) paused_until_[origin] = loop_->clock().now() + *reset;
}

// Returns the time it waited.
PAGED_HTTP_INLINE task<clock::duration> client::pace(const std::string& origin, clock::duration& waited,
                                                     const std::string& url,
                                                     const std::vector<failed_attempt>& attempts) {
    const auto paused = paused_until_.find(origin);
    if (paused == paused_until_.end()) co_return clock::duration::zero();
    const auto now = loop_->clock().now();
    if (paused->second <= now) {
        paused_until_.erase(paused);
        co_return clock::duration::zero();
    }
    const clock::duration wait = paused->second - now;
    const retry_policy& policy = options_.retry();
    if (wait > policy.max_retry_after() || waited + wait > policy.max_total_wait()) {
        const auto why = wait > policy.max_retry_after() ? retry_error::reason::retry_after_too_long
                                                         : retry_error::reason::wait_budget_exhausted;
        throw retry_error(why, url, attempts, wait, {});
    }
    co_await sleep_operation(*loop_, paused->second);
    waited += wait;
    co_return wait;
}

PAGED_HTTP_INLINE client::~client() {
    loop_->detach(*this);  // first: a stop_callback on another thread must not wake() a multi handle being freed
    for (send_operation* operation : active_) {
        curl_multi_remove_handle(multi_, operation->easy_);
        operation->registered_ = false;
    }
    for (send_operation* operation : completed_) operation->registered_ = false;
    curl_multi_cleanup(multi_);
}

PAGED_HTTP_INLINE void client::start(send_operation& operation) {
    if (event_loop::current() != loop_) {
        throw usage_error("paged::http::client: send awaited on another event loop than the client's: drive the walk "
                          "with the client's loop (paged::blocking(gen, loop), paged::sync_wait(loop, task)), or build "
                          "the client without a loop to share this thread's");
    }
    const std::string& method = operation.request_.method();
    if (method.empty() || !std::all_of(method.begin(), method.end(), detail::is_tchar)) {
        throw usage_error("paged::http::client: the method '" + method +
                          "' is not an HTTP token (\"POST\", \"PUT\", ...)");
    }
    if (method == "HEAD" && operation.request_.has_body()) {
        throw usage_error("paged::http::client: a HEAD request cannot carry a body");
    }
    if (operation.url_.empty()) operation.url_ = operation.request_.target();
    operation.easy_ = curl_easy_init();
    if (operation.easy_ == nullptr) throw std::bad_alloc();
    configure(operation);
    const CURLMcode added = curl_multi_add_handle(multi_, operation.easy_);
    if (added != CURLM_OK) {
        throw transfer_error(operation.url_, CURLE_FAILED_INIT, std::string("curl_multi_add_handle: ") +
                                                                    curl_multi_strerror(added));
    }
    active_.insert(&operation);
    operation.registered_ = true;
}

PAGED_HTTP_INLINE void client::configure(send_operation& operation) {
    CURL* easy = operation.easy_;
    const request& outgoing = operation.request_;
    operation.max_bytes_ = options_.max_response_bytes();
    curl_easy_setopt(easy, CURLOPT_URL, operation.url_.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&operation));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, operation.error_);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    // Redirects are followed by send(), where the origin policy sees every hop (libcurl would keep custom headers).
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    if (!options_.ca_file().empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file().c_str());
    if (!options_.ca_path().empty()) curl_easy_setopt(easy, CURLOPT_CAPATH, options_.ca_path().c_str());
    if (!options_.proxy().empty()) curl_easy_setopt(easy, CURLOPT_PROXY, options_.proxy().c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout().count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout().count()));
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes()));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent().c_str());
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    // Prefer a stream on an HTTP/2 connection to a new connection; only https negotiates HTTP/2 here (2TLS). Over
    // http, PIPEWAIT would hold every transfer started beside the first until the first response arrives (libcurl
    // cannot tell before then that the connection will not multiplex): a concurrency(8) walk lost a whole round trip.
    if (operation.url_.starts_with("https://")) curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
#if LIBCURL_VERSION_NUM >= 0x075700
    // Cancelling a transfer still resolving its host must not wait for the resolver thread: the whole loop would.
    curl_easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L);
#endif
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &send_operation::on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(&operation));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &send_operation::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void*>(&operation));
    choose_method(operation);
    // The request's own headers win over the client's defaults of the same name; the body's type counts as the
    // request's own Content-Type.
    const auto own_field = [&](const std::string& name) {
        return outgoing.headers().get(name) || (outgoing.has_body() && detail::iequals(name, "Content-Type"));
    };
    if (operation.credentials_) {
        for (const auto& [name, value] : options_.headers()) {
            if (!own_field(name)) append_header(operation, name, value);
        }
        for (const auto& [name, value] : outgoing.headers()) append_header(operation, name, value);
    }
    if (operation.sends_content_) {
        // The body's type is not a credential: it goes on every hop that carries the body. Without one, "Name:" stops
        // libcurl from labelling the bytes as a form (its default for POSTFIELDS).
        const bool user_typed = operation.credentials_ && outgoing.headers().get("Content-Type");
        if (!user_typed) {
            if (outgoing.content_type().empty()) {
                append_line(operation, "Content-Type:");
            } else {
                append_header(operation, "Content-Type", outgoing.content_type());
            }
        }
        // libcurl asks "Expect: 100-continue" before a large body and then waits up to a second for a server that may
        // never answer it: send the body at once.
        append_line(operation, "Expect:");
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, operation.header_list_);
}

// GET and POST are libcurl's own; HEAD must not wait for a body; any other method is written as given. The body is
// read from the request the operation owns, which outlives the transfer.
PAGED_HTTP_INLINE void client::choose_method(send_operation& operation) {
    CURL* easy = operation.easy_;
    const request& outgoing = operation.request_;
    const std::string& method = outgoing.method();
    // PUT and PATCH without a body still announce Content-Length: 0: some servers and proxies answer 411 otherwise.
    operation.sends_content_ = outgoing.has_body() || method == "POST" || method == "PUT" || method == "PATCH";
    if (method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        return;
    }
    if (operation.sends_content_) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(outgoing.body().size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, outgoing.body().data());
    }
    // POSTFIELDS makes libcurl say POST: anything else, a GET with a body included, is named explicitly.
    if (method != "POST" && (method != "GET" || operation.sends_content_)) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

PAGED_HTTP_INLINE void client::append_header(send_operation& operation, const std::string& name,
                                             const std::string& value) {
    const auto forbidden = [](const std::string& text) {
        return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos;  // header injection
    };
    if (name.empty() || forbidden(name) || forbidden(value) || name.find(':') != std::string::npos) {
        throw usage_error("paged::http::client: malformed header '" + name + "' (empty name, ':' in the name, or a "
                          "CR, LF or NUL anywhere)");
    }
    // "Name;" is how libcurl sends a header with an empty value ("Name:" would remove it).
    append_line(operation, value.empty() ? name + ";" : name + ": " + value);
}

PAGED_HTTP_INLINE void client::append_line(send_operation& operation, const std::string& line) {
    curl_slist* extended = curl_slist_append(operation.header_list_, line.c_str());
    if (extended == nullptr) throw std::bad_alloc();
    operation.header_list_ = extended;
}

PAGED_HTTP_INLINE void client::cancel(send_operation& operation) noexcept {
    if (active_.erase(&operation) > 0) curl_multi_remove_handle(multi_, operation.easy_);
    completed_.erase(std::remove(completed_.begin(), completed_.end(), &operation), completed_.end());
    operation.registered_ = false;
}

// Drives the transfers, then hands finished ones to completed_ (their coroutines are resumed by poll()).
PAGED_HTTP_INLINE void client::perform() {
    int running = 0;
    const CURLMcode code = curl_multi_perform(multi_, &running);
    if (code != CURLM_OK) throw paged::error(std::string("paged::http: curl_multi_perform: ") + curl_multi_strerror(code));
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        CURL* easy = message->easy_handle;
        const CURLcode result = message->data.result;
        char* owner = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
        auto* operation = reinterpret_cast<send_operation*>(owner);
        curl_multi_remove_handle(multi_, easy);  // the connection goes back to the pool for the next request
        active_.erase(operation);
        operation->finish(result);
        completed_.push_back(operation);
    }
}

PAGED_HTTP_INLINE io_source::polled client::poll(std::optional<clock::duration> timeout) {
    perform();
    bool timed_out = false;
    if (completed_.empty() && timeout != clock::duration::zero()) {
        // Until the loop's next timer (or a second when it has none: the loop polls again), and no later than
        // libcurl's own next deadline (connect timeouts, DNS, retransmits).
        long wait_ms = 1000;
        if (timeout) {
            const auto ceiling = std::chrono::ceil<std::chrono::milliseconds>(*timeout).count();
            wait_ms = static_cast<long>(std::min<long long>(ceiling, INT_MAX));
        }
        const long loop_ms = wait_ms;
        long curl_ms = -1;
        curl_multi_timeout(multi_, &curl_ms);
        if (curl_ms >= 0) wait_ms = std::min(wait_ms, curl_ms);
        int ready = 0;
        if (wait_ms > 0) {
            const CURLMcode waited = curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), &ready);
            if (waited != CURLM_OK) {
                throw paged::error(std::string("paged::http: curl_multi_poll: ") + curl_multi_strerror(waited));
            }
        }
        timed_out = timeout && ready == 0 && wait_ms == loop_ms && !woken_.exchange(false);
        perform();
    }
    bool resumed = false;
    while (!completed_.empty()) {
        send_operation* operation = completed_.front();
        completed_.pop_front();
        operation->registered_ = false;  // nothing left to cancel
        resumed = true;
        operation->waiter_.resume();
    }
    if (resumed) return polled::resumed;
    return timed_out ? polled::timed_out : polled::progressed;
}

}  // namespace paged::http
