#pragma once
// paged::http::checked_send: the "send it, and insist on a 2xx" step every page fetcher takes, for fetchers users
// write themselves (an XML API, a binary format, anything the strategies do not read).
//
//     paged::http::response reply = co_await paged::http::checked_send(client, paged::http::request(url));
//
// Through the client, the request gets its retry policy, rate-limit pacing, per-host limit and origin policy, as a
// strategy's requests do. A status outside 2xx is a status_error naming the URL, with the status, an excerpt of the
// body and the response's headers (Retry-After, a request id for support).

#include <paged/http/error.hpp>
#include <paged/http/message.hpp>
#include <paged/http/transport.hpp>
#include <paged/task.hpp>

#include <utility>

namespace paged::http {

// `outgoing` by value: the request lives in this coroutine's frame for as long as the transport reads it.
template <transport Transport>
task<response> checked_send(Transport& transport, request outgoing) {  // request(url).query(...): not {.url = ...}
    response reply = co_await transport.send(outgoing);
    // A transport that does not say which URL answered (a test double, a user's wrapper): errors and relative links
    // still need one.
    if (reply.url.empty()) reply.url = outgoing.target();
    if (reply.status < 200 || reply.status > 299) {
        throw status_error(reply.url, reply.status, reply.body, std::move(reply.headers));
    }
    co_return reply;
}

}  // namespace paged::http
