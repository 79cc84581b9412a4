#pragma once
// The page_fetcher concept: what paged::paginate() and paged::pages() walk. An HTTP API, a database keyset query or
// an S3 listing all fit:
//
//     struct my_fetcher {
//         using value_type = row;
//         using cursor_type = std::int64_t;                   // totally ordered: the walk remembers the ones it saw
//         cursor_type first_cursor() const;
//         paged::task<paged::page<row, std::int64_t>> fetch(cursor_type cursor);   // any awaitable will do
//     };
//
// Optional: `std::string fingerprint() const` describing the configuration (endpoint, parameters, page size, not
// credentials) enables checkpoints, which refuse to resume a walk of a different configuration.

#include <paged/detail/awaitable_traits.hpp>
#include <paged/page.hpp>

#include <concepts>
#include <string>
#include <type_traits>

namespace paged {

template <class F>
concept page_fetcher =
    requires {
        typename F::value_type;
        typename F::cursor_type;
    } && std::regular<typename F::cursor_type> && std::totally_ordered<typename F::cursor_type> &&
    requires(F& fetcher, const typename F::cursor_type& cursor) {
        { fetcher.first_cursor() } -> std::convertible_to<typename F::cursor_type>;
        requires detail::awaitable<decltype(fetcher.fetch(cursor))>;
        requires std::same_as<std::remove_cvref_t<detail::await_result_t<decltype(fetcher.fetch(cursor))>>,
                              page<typename F::value_type, typename F::cursor_type>>;
    };

template <class F>
concept fingerprinted_fetcher = page_fetcher<F> && requires(const F& fetcher) {
    { fetcher.fingerprint() } -> std::convertible_to<std::string>;
};

template <page_fetcher F>
using page_of_t = page<typename F::value_type, typename F::cursor_type>;

}  // namespace paged
