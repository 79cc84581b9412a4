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
// Optional: `std::optional<cursor_type> predicted_next(cursor_type) const`, where the page after a full one starts
// (computable addresses: offsets, page numbers), enables walk_options::concurrency and shard.
// Optional: `void in_walk_order(page&, const cursor_type&)`, called for each page in walk order before it is handed
// out: the place for checks that compare a page with the one before it, since with concurrency pages arrive in any
// order.

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

namespace detail {

// Instantiated with the type fetch() gave and the one it must give, so that the compiler's "in instantiation of"
// line names both.
template <class Returned, class Expected>
struct fetch_result_check {
    static_assert(std::same_as<Returned, Expected>,
                  "paged: fetch(cursor) must give paged::page<value_type, cursor_type>; the types above are what it "
                  "gave, then what it must give");
    static constexpr bool value = true;
};

// One static_assert per requirement of page_fetcher, in order, each saying what to write. paginate() and pages() call
// it, so that a fetcher that does not fit gets one of these messages instead of a page of concept diagnostics.
template <class F>
constexpr bool check_page_fetcher() {
    static_assert(requires { typename F::value_type; }, "paged: a page fetcher needs `using value_type = <item>;`");
    static_assert(requires { typename F::cursor_type; },
                  "paged: a page fetcher needs `using cursor_type = <what fetch() takes>;`");
    if constexpr (requires {
                      typename F::value_type;
                      typename F::cursor_type;
                  }) {
        using cursor = typename F::cursor_type;
        static_assert(std::regular<cursor> && std::totally_ordered<cursor>,
                      "paged: cursor_type must be default-constructible, copyable and ordered by == and <: the walk "
                      "remembers every cursor it followed");
        static_assert(requires(F& fetcher) {
            { fetcher.first_cursor() } -> std::convertible_to<cursor>;
        }, "paged: a page fetcher needs `cursor_type first_cursor() const;`");
        constexpr bool has_fetch = requires(F& fetcher, const cursor& at) { fetcher.fetch(at); };
        static_assert(has_fetch, "paged: a page fetcher needs `fetch(cursor_type)` returning an awaitable page, e.g. "
                                 "`paged::task<paged::page<value_type, cursor_type>> fetch(cursor_type at);`");
        if constexpr (has_fetch) {
            using result = decltype(std::declval<F&>().fetch(std::declval<const cursor&>()));
            static_assert(awaitable<result>,
                          "paged: fetch(cursor) must return something co_await can wait on, such as a paged::task");
            if constexpr (awaitable<result>) {
                return fetch_result_check<std::remove_cvref_t<await_result_t<result>>,
                                          page<typename F::value_type, cursor>>::value;
            }
        }
    }
    return false;
}

}  // namespace detail

}  // namespace paged
