#pragma once
// The transport concept: `co_await transport.send(request)` gives the response. The libcurl client and
// paged::testing::fake_api are transports; so is anything a user wraps (a recorded session, a proxy).

#include <paged/detail/awaitable_traits.hpp>
#include <paged/http/message.hpp>

#include <concepts>
#include <type_traits>

namespace paged::http {

template <class T>
concept transport = requires(T& transport, const request& outgoing) {
    requires paged::detail::awaitable<decltype(transport.send(outgoing))>;
    requires std::same_as<std::remove_cvref_t<paged::detail::await_result_t<decltype(transport.send(outgoing))>>,
                          response>;
};

}  // namespace paged::http
