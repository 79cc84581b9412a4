#pragma once
// paged::testing::fake_api: an in-memory HTTP API to test code that walks one, with no network. It is a transport
// (co_await api.send(request)): responses come from a handler (fake_endpoints.hpp has one per pagination style, or
// write your own), can take time on the running loop's clock, and can be scripted ahead (a 500, a malformed header,
// a cycle). Every request is logged, so a test can count fetches exactly.
//
//     paged::testing::fake_api api(paged::testing::offset_endpoint(records));
//     api.latency = 20ms;
//     api.respond_next({.status = 503});
//     ... walk ...
//     CHECK(api.requests().size() == 3);

#include <paged/clock.hpp>
#include <paged/http/message.hpp>
#include <paged/http/url.hpp>
#include <paged/sleep_for.hpp>
#include <paged/task.hpp>

#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace paged::testing {

// A response to serve instead of the handler's. Every member has an initializer (GCC PR 96868).
struct scripted_response {
    int status = 200;
    http::headers headers{};
    std::string body{};
    clock::duration delay{};
};

class fake_api {
public:
    // Given the request and its parsed URL (query_pairs() has the decoded parameters), the response.
    using handler = std::function<http::response(const http::request&, const http::url&)>;

    explicit fake_api(handler serve) : serve_(std::move(serve)) {}

    // How long each handler response takes, on the clock of the loop that runs the walk.
    clock::duration latency{};

    // The next request gets `response`; several calls queue up in order.
    void respond_next(scripted_response response) { script_.push_back(std::move(response)); }

    // The URL of every request received, in order.
    const std::vector<std::string>& requests() const noexcept { return requests_; }
    const std::vector<http::request>& request_log() const noexcept { return log_; }

    task<http::response> send(http::request outgoing) {
        const http::url target(outgoing.target());
        requests_.push_back(target.str());
        log_.push_back(outgoing);
        const event_loop* loop = event_loop::current();
        const auto started = loop != nullptr ? loop->clock().now() : clock::time_point{};
        http::response reply;
        clock::duration delay = latency;
        if (!script_.empty()) {
            scripted_response scripted = std::move(script_.front());
            script_.pop_front();
            reply.status = scripted.status;
            reply.headers = std::move(scripted.headers);
            reply.body = std::move(scripted.body);
            delay = scripted.delay;
        } else {
            reply = serve_(outgoing, target);
        }
        if (delay > clock::duration::zero()) co_await sleep_for(delay);
        reply.url = target.str();
        if (loop != nullptr) reply.elapsed = loop->clock().now() - started;
        co_return reply;
    }

private:
    handler serve_;
    std::deque<scripted_response> script_;
    std::vector<std::string> requests_;
    std::vector<http::request> log_;
};

}  // namespace paged::testing
