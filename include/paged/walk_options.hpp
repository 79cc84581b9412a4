#pragma once
// paged::walk_options: how paginate() and pages() walk a source. Built with fluent setters, so it is safe to write
// inline, inside a co_await too (detail/gcc12_temporaries.hpp says why it is not an aggregate):
//
//     auto records = paged::paginate(api, paged::walk_options().max_items(1000).on_page(progress));
//     auto rest = co_await paged::collect(paged::paginate(api, paged::walk_options().start(saved_cursor)));
//
// The cursor type need not be spelled: `walk_options()` fits any fetcher, and start(c) or state(s) fix it to the
// type of c or s (a string literal gives std::string); paginate() converts it to the fetcher's cursor type.

#include <paged/cancellation.hpp>
#include <paged/checkpoint.hpp>
#include <paged/clock.hpp>
#include <paged/detail/dependent_false.hpp>
#include <paged/detail/gcc12_temporaries.hpp>
#include <paged/error.hpp>
#include <paged/walk_state.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace paged {

enum class repeat_policy { error, stop, allow };

// What walk_options::on_page is told after each page arrives.
struct page_event {
    std::size_t index = 0;  // 0 for the first page of this walk
    std::size_t items = 0;
    std::size_t bytes = 0;
    clock::duration elapsed{};  // of the fetch, on the running loop's clock
    std::optional<std::uint64_t> total;
};

namespace detail {
// The cursor type of `walk_options()` before start() or state() names one.
struct any_cursor {};

template <class C>
using start_cursor_t = std::conditional_t<std::is_convertible_v<C, std::string_view> &&
                                              !std::is_same_v<std::remove_cvref_t<C>, std::string>,
                                          std::string, std::remove_cvref_t<C>>;
}  // namespace detail

template <class Cursor = detail::any_cursor>
class walk_options {
public:
    walk_options() noexcept {}  // user-provided: never an aggregate

    // From the options of `walk_options()`, or of a cursor type that converts to this one (paginate() does this).
    template <class Other>
        requires(!std::same_as<Other, Cursor> &&
                 (std::same_as<Other, detail::any_cursor> || std::constructible_from<Cursor, const Other&>))
    walk_options(walk_options<Other> other)  // NOLINT(google-explicit-constructor): the point is implicit conversion
        : max_items_(other.max_items()), max_pages_(other.max_pages()), max_requests_(other.max_requests()),
          resume_(std::move(other.resume_)), repeats_(other.repeats()), prefetch_(other.prefetch()),
          concurrency_(other.concurrency()), shard_index_(other.shard_index()), shard_count_(other.shard_count()),
          on_page_(std::move(other.on_page_)),
          cancellation_(std::move(other.cancellation_)) {
        if constexpr (!std::same_as<Other, detail::any_cursor>) {
            if (other.start()) start_.emplace(converted_start(*other.start()));
            if (other.state() != nullptr) {
                throw usage_error("paged::walk_options: state() is a walk_state of another cursor type than the "
                                  "fetcher's: declare it as `paged::walk_state state(fetcher);`");
            }
        }
    }

    // Ends the walk, on purpose, after this many items (walk_state::stop says max_items).
    walk_options& max_items(std::size_t count) & { return set(max_items_, count); }
    walk_options&& max_items(std::size_t count) && { return std::move(max_items(count)); }
    std::optional<std::size_t> max_items() const noexcept { return max_items_; }

    // Ends the walk, on purpose, after this many pages (walk_state::stop says max_pages).
    walk_options& max_pages(std::size_t count) & { return set(max_pages_, count); }
    walk_options&& max_pages(std::size_t count) && { return std::move(max_pages(count)); }
    std::optional<std::size_t> max_pages() const noexcept { return max_pages_; }

    // A budget: the walk throws pagination_error(max_requests) rather than make request count + 1. None by default
    // (the progress guard already stops sources that loop); set one for a source you do not trust to end.
    walk_options& max_requests(std::size_t count) & { return set(max_requests_, count); }
    walk_options&& max_requests(std::size_t count) && { return std::move(max_requests(count)); }
    std::optional<std::size_t> max_requests() const noexcept { return max_requests_; }

    // Resume from a checkpoint (item granularity; the fetcher's fingerprint must match).
    walk_options& resume(checkpoint saved) & { return set(resume_, std::move(saved)); }
    walk_options&& resume(checkpoint saved) && { return std::move(resume(std::move(saved))); }
    const std::optional<checkpoint>& resume() const noexcept { return resume_; }

    // What the progress guard does when the source sends the walk back to a cursor it has followed.
    walk_options& repeats(repeat_policy policy) & { return set(repeats_, policy); }
    walk_options&& repeats(repeat_policy policy) && { return std::move(repeats(policy)); }
    repeat_policy repeats() const noexcept { return repeats_; }

    // Read-ahead: up to `pages` pages are fetched ahead of the consumer, one after the other (a cursor walk starts the
    // next request as soon as the page before it names its cursor), and handed out in order. Stopping early cancels
    // the request in flight. walk_state's counters then include the pages fetched ahead. 0 (the default): a page is
    // fetched only when the consumer has used up the one before it.
    walk_options& prefetch(std::size_t pages) & { return set(prefetch_, pages); }
    walk_options&& prefetch(std::size_t pages) && { return std::move(prefetch(pages)); }
    std::size_t prefetch() const noexcept { return prefetch_; }

    // Parallel pages: up to `requests` fetches at once, for fetchers that compute page addresses (offset and page
    // number: predicted_next). The pages after the walk's next one are requested where the fetcher predicts them and
    // handed out strictly in order; a page that ends the walk (short, empty, the total reached) or goes elsewhere
    // than predicted cancels the guesses after it. Each request still passes the client's retry policy and limiter;
    // guesses count against max_requests (a source that caps its pages below page_size wastes them: keep page_size
    // within the API's maximum). Pages held: up to `requests` in flight or waiting for the pages before them, and up
    // to max(prefetch, requests) fetched and not yet handed to the consumer.
    walk_options& concurrency(std::size_t requests) & { return set(concurrency_, requests); }
    walk_options&& concurrency(std::size_t requests) && { return std::move(concurrency(requests)); }
    std::size_t concurrency() const noexcept { return concurrency_; }

    // Worker `index` of `count` (0-based), each in its own process or on its own machine: this walk takes the pages
    // whose position in the whole walk, modulo count, is index, so the workers together fetch every page once.
    // Needs computable page addresses (offset and page number) and full pages but the last. Each shard has its own
    // checkpoints (a checkpoint of another shard is refused), and start(c) must be a cursor of this shard's own pages;
    // share one rate budget between the workers with a limiter they all consult.
    walk_options& shard(std::size_t index, std::size_t count) & {
        if (count == 0 || index >= count) {
            throw usage_error("paged::walk_options::shard: worker " + std::to_string(index) + " of " +
                              std::to_string(count) + " does not exist (index counts from 0, below count)");
        }
        shard_index_ = index;
        shard_count_ = count;
        return *this;
    }
    walk_options&& shard(std::size_t index, std::size_t count) && { return std::move(shard(index, count)); }
    std::size_t shard_index() const noexcept { return shard_index_; }
    std::size_t shard_count() const noexcept { return shard_count_; }

    // Called after each page arrives (a progress bar, a page-level checkpoint).
    template <class F>
        requires std::invocable<F&, const page_event&>
    walk_options& on_page(F&& observer) & {
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return set(on_page_, std::function<void(const page_event&)>(std::forward<F>(observer)));
    }
    template <class F>
        requires std::invocable<F&, const page_event&>
    walk_options&& on_page(F&& observer) && {
        static_assert(detail::callable_argument_is_safe<F&&>, PAGED_OWNING_CALLABLE_MESSAGE);
        return std::move(on_page(std::forward<F>(observer)));
    }
    const std::function<void(const page_event&)>& on_page() const noexcept { return on_page_; }

    // Ends the walk with paged::cancelled when `stop` is triggered (from any thread), with paged::deadline_exceeded at
    // the deadline (a point on the loop's clock) or `limit` after the first pull. Promptly: the page in flight is
    // cancelled, a retry wait too, and the next pull of the consumer throws.
    walk_options& stop_token(std::stop_token stop) & {
        cancellation_.token(std::move(stop));
        return *this;
    }
    walk_options&& stop_token(std::stop_token stop) && { return std::move(stop_token(std::move(stop))); }
    walk_options& deadline(clock::time_point at) & {
        cancellation_.deadline(at);
        return *this;
    }
    walk_options&& deadline(clock::time_point at) && { return std::move(deadline(at)); }
    walk_options& timeout(clock::duration limit) & {
        cancellation_.timeout(limit);
        return *this;
    }
    walk_options&& timeout(clock::duration limit) && { return std::move(timeout(limit)); }
    const paged::cancellation& cancellation() const noexcept { return cancellation_; }

    // Start at a saved cursor (page granularity). On `walk_options()` this fixes the cursor type.
    template <class C>
    auto start(C&& cursor) && {
        if constexpr (std::same_as<Cursor, detail::any_cursor>) {
            walk_options<detail::start_cursor_t<C>> typed(std::move(*this));
            return std::move(typed).start(std::forward<C>(cursor));
        } else {
            start_.emplace(std::forward<C>(cursor));
            return std::move(*this);
        }
    }
    // On a named `walk_options()`, start() and state() cannot change its type in place.
    template <class C>
        requires std::same_as<Cursor, detail::any_cursor>
    void start(C&&) & {
        static_assert(detail::dependent_false<C>, "paged::walk_options: start() fixes the cursor type, so it cannot "
                                                  "change a named walk_options() in place: chain it "
                                                  "(`auto options = paged::walk_options().start(c);`) or name the type "
                                                  "(`paged::walk_options<std::string> options;`)");
    }
    template <class C>
        requires std::same_as<Cursor, detail::any_cursor>
    void state(walk_state<C>&) & {
        static_assert(detail::dependent_false<C>, "paged::walk_options: state() fixes the cursor type, so it cannot "
                                                  "change a named walk_options() in place: chain it "
                                                  "(`auto options = paged::walk_options().state(s);`) or name the type "
                                                  "(`paged::walk_options<std::string> options;`)");
    }

    template <class C>
        requires(!std::same_as<Cursor, detail::any_cursor>)
    walk_options& start(C&& cursor) & {
        start_.emplace(std::forward<C>(cursor));
        return *this;
    }
    const std::optional<Cursor>& start() const noexcept
        requires(!std::same_as<Cursor, detail::any_cursor>)
    {
        return start_;
    }

    // A walk_state kept current during the walk (declare it as `paged::walk_state state(fetcher);`).
    template <class C>
    auto state(walk_state<C>& target) && {
        if constexpr (std::same_as<Cursor, detail::any_cursor>) {
            walk_options<C> typed(std::move(*this));
            return std::move(typed).state(target);
        } else {
            static_assert(std::same_as<C, Cursor>, "paged::walk_options::state: the walk_state's cursor type differs "
                                                   "from the walk's: declare it as paged::walk_state state(fetcher)");
            state_ = &target;
            return std::move(*this);
        }
    }
    walk_options& state(walk_state<Cursor>& target) &
        requires(!std::same_as<Cursor, detail::any_cursor>)
    {
        state_ = &target;
        return *this;
    }
    walk_state<Cursor>* state() const noexcept
        requires(!std::same_as<Cursor, detail::any_cursor>)
    {
        return state_;
    }

private:
    template <class>
    friend class walk_options;

    // `start(60)` fits an unsigned offset; `start(-1)` is refused rather than wrapped to a huge offset.
    template <class Other>
    static Cursor converted_start(const Other& value) {
        if constexpr (std::integral<Other> && std::integral<Cursor>) {
            if (!std::in_range<Cursor>(value)) {
                throw usage_error("paged::walk_options: start(" + std::to_string(value) +
                                  ") is out of range for the fetcher's cursor type");
            }
            return static_cast<Cursor>(value);
        } else {
            return Cursor(value);
        }
    }

    template <class Field, class Value>
    walk_options& set(Field& field, Value&& value) {
        field = std::forward<Value>(value);
        return *this;
    }

    std::optional<std::size_t> max_items_;
    std::optional<std::size_t> max_pages_;
    std::optional<std::size_t> max_requests_;
    std::optional<checkpoint> resume_;
    repeat_policy repeats_ = repeat_policy::error;
    std::size_t prefetch_ = 0;
    std::size_t concurrency_ = 1;
    std::size_t shard_index_ = 0;
    std::size_t shard_count_ = 1;
    std::function<void(const page_event&)> on_page_;
    paged::cancellation cancellation_;
    [[no_unique_address]] std::conditional_t<std::same_as<Cursor, detail::any_cursor>, detail::any_cursor,
                                             std::optional<Cursor>> start_{};
    [[no_unique_address]] std::conditional_t<std::same_as<Cursor, detail::any_cursor>, detail::any_cursor,
                                             walk_state<Cursor>*> state_{};
};

walk_options() -> walk_options<detail::any_cursor>;

}  // namespace paged
