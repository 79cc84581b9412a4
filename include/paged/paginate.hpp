#pragma once
// paged::paginate(fetcher, options): every item of a paginated source as one lazy async_generator<T>.
// paged::pages(fetcher, options): the same walk a page at a time, for page-level work (batch inserts, checkpoints).
//
//     auto records = paged::paginate(api, paged::walk_options().max_items(1000));
//     for (auto it = co_await records.begin(); it != records.end(); (void)co_await ++it) use(*it);
//
// * Nothing is fetched before the consumer's first await, and a page only when the consumer has used up the one
//   before it: the first 10 of 20,000 records, 50 a page, cost one fetch. walk_options::prefetch(n) reads up to n
//   pages ahead instead, in order, while the consumer works (detail/read_ahead_buffer.hpp).
// * Every cursor followed is remembered (as a 16-byte digest), so a source that sends the walk back to a page it has
//   already fetched (A->B->A, not only A->A) is caught: repeat_policy::error (default) throws pagination_error, stop
//   ends the walk there, allow follows it (for tail-style APIs that repeat their token while there is nothing new).
//   An empty page that gives back its own cursor is an error unless allowed. Errors come after the page that revealed
//   them has been handed out.
// * max_requests, when set, bounds a walk: running out throws. max_items and max_pages end the walk on purpose;
//   walk_state::stop says which. Options are in walk_options.hpp.
// * Resuming: `start` is a saved cursor (page granularity); `resume` a checkpoint (item granularity), checked against
//   the fetcher's fingerprint.
//
// * stop_token, deadline and timeout end the walk from outside (cancellation.hpp): the fetch in flight is raced
//   against them, and the consumer's next pull throws once they have come.
//
// The fetcher is moved (or copied) into the walk; the source it talks to must outlive the walk.

#include <paged/async_generator.hpp>
#include <paged/cancellation.hpp>
#include <paged/checkpoint.hpp>
#include <paged/clock.hpp>
#include <paged/detail/digest128.hpp>
#include <paged/detail/read_ahead_buffer.hpp>
#include <paged/detail/started_task.hpp>
#include <paged/event_loop.hpp>
#include <paged/page_fetcher.hpp>
#include <paged/task.hpp>
#include <paged/pagination_error.hpp>
#include <paged/walk_options.hpp>
#include <paged/walk_state.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace paged {

namespace detail {

inline clock::time_point walk_now() noexcept {
    const event_loop* loop = event_loop::current();
    return loop != nullptr ? loop->clock().now() : std::chrono::steady_clock::now();
}

template <class Cursor>
std::string describe_cursor(const Cursor& cursor) {
    if constexpr (encodable_cursor<Cursor>) {
        std::string text = cursor_codec<Cursor>::encode(cursor);
        if (text.size() > 80) text = text.substr(0, 77) + "...";
        return " '" + text + "'";
    } else {
        return "";
    }
}

// The progress guard: every cursor followed in this walk, with the index of the page it was followed for.
//
// An encodable cursor is remembered as a 128-bit digest of its encoded form (cursor_codec::encode is injective, since
// decode undoes it), never whole: a walk of 10,000 pages whose next URLs are 60 KB each would otherwise keep 600 MB.
// The cost is one std::map node per page, 64 bytes on 64-bit libstdc++ (a 56-byte node in a 64-byte heap block),
// whatever the cursor's size. A cursor without a codec is kept whole: page_fetcher promises only == and <, and a hash
// of unknown quality (std::hash, 64 bits at most) that matched two different cursors would stop an honest walk.
// Error messages name the cursors of the page at hand, which are still whole.
template <class Cursor>
class cursor_history {
public:
    cursor_history(repeat_policy policy, const Cursor& first) : policy_(policy) { seen_.emplace(key_of(first), 0); }

    // Empty if the walk may follow the page's next cursor; otherwise what to report, and the cursor is dropped.
    template <class T>
    std::optional<pagination_error> admit_next(page<T, Cursor>& fetched) {
        if (!fetched.next || policy_ == repeat_policy::allow) return std::nullopt;
        const auto [where, fresh] = seen_.emplace(key_of(*fetched.next), fetched.index + 1);
        if (fresh) return std::nullopt;
        auto problem = repeat_error(fetched, where->second);
        fetched.next.reset();
        return problem;
    }

private:
    template <class T>
    static pagination_error repeat_error(const page<T, Cursor>& fetched, std::size_t first_index) {
        const std::string where =
            "page " + std::to_string(fetched.index) + " (cursor" + describe_cursor(fetched.cursor) + ")";
        if (*fetched.next == fetched.cursor && fetched.items.empty()) {
            return pagination_error(pagination_failure::stalled_cursor,
                                    "paged: " + where + " was empty and gave back the cursor it was fetched with: "
                                    "the source is not advancing (repeat_policy::allow follows it anyway)");
        }
        return pagination_error(pagination_failure::repeated_cursor,
                                "paged: " + where + " points back to the cursor" + describe_cursor(*fetched.next) +
                                    " already followed for page " + std::to_string(first_index) +
                                    ": the pagination cycles");
    }

    using key_type = std::conditional_t<encodable_cursor<Cursor>, digest128, Cursor>;

    static key_type key_of(const Cursor& cursor) {
        if constexpr (encodable_cursor<Cursor>) {
            const std::string text = cursor_codec<Cursor>::encode(cursor);  // encode may give anything convertible
            return digest_of(text);
        } else {
            return cursor;
        }
    }

    repeat_policy policy_;
    std::map<key_type, std::size_t> seen_;
};

// The position after the first `count` items of `fetched` (after those a checkpoint skipped): the item's own cursor
// when the fetcher names one, else the next page's once the page is used up (a resume then fetches nothing twice),
// else the page's cursor and a count.
template <class T, class Cursor>
void note_handed_out(walk_state<Cursor>& state, const page<T, Cursor>& fetched, std::size_t count) {
    if (count > 0 && !fetched.item_cursors.empty()) {
        state.cursor = fetched.item_cursors[count - 1];
        state.offset = 0;
    } else if (count == fetched.items.size() && fetched.next && !(*fetched.next == fetched.cursor)) {
        // (A page that gives back its own cursor, under repeat_policy::allow, may hold more next time: not used up.)
        state.cursor = *fetched.next;
        state.offset = 0;
    } else {
        state.cursor = fetched.cursor;
        state.offset = fetched.skipped + count;
    }
}

template <class T, class Cursor>
void check_item_cursors(const page<T, Cursor>& fetched) {
    if (!fetched.item_cursors.empty() && fetched.item_cursors.size() != fetched.items.size()) {
        throw usage_error("paged: the fetcher gave " + std::to_string(fetched.item_cursors.size()) +
                          " item_cursors for a page of " + std::to_string(fetched.items.size()) +
                          " items: give one per item, or none");
    }
}

template <class T, class Cursor>
void drop_front(page<T, Cursor>& fetched, std::size_t count) {
    const auto n = static_cast<std::ptrdiff_t>(count);
    fetched.items.erase(fetched.items.begin(), fetched.items.begin() + n);
    auto& cursors = fetched.item_cursors;
    if (!cursors.empty()) cursors.erase(cursors.begin(), cursors.begin() + n);
}

// Cuts the page at max_items; true if that ends the walk while the source had more. A page that ends exactly at
// max_items keeps its next cursor, which is where a resume goes on (the walk does not follow it).
template <class T, class Cursor>
bool apply_max_items(page<T, Cursor>& fetched, const std::optional<std::size_t>& max_items, std::size_t items_before) {
    if (!max_items || items_before + fetched.items.size() < *max_items) return false;
    const std::size_t room = *max_items - items_before;
    const bool cut = fetched.items.size() > room;
    const bool more = cut || fetched.next || fetched.error_after;
    fetched.items.resize(room);
    if (!fetched.item_cursors.empty()) fetched.item_cursors.resize(room);
    if (cut) fetched.next.reset();  // the rest of this page is where the walk would go on, not the next page
    fetched.error_after = nullptr;  // the consumer has all it asked for: what lies beyond does not matter
    return more;
}

// The fetch as a task, so that cancellable() can race it (fetch may return any awaitable, even a non-movable one).
template <page_fetcher F>
task<page_of_t<F>> fetch_task(F& fetcher, const typename F::cursor_type& cursor) {
    co_return co_await fetcher.fetch(cursor);
}

// The walk's limits: a timeout becomes a deadline at the first pull, so that it covers the whole walk.
inline cancellation walk_limits(const cancellation& given) {
    cancellation limits;
    limits.token(given.token());
    if (const auto at = given.deadline_from(walk_now())) limits.deadline(*at);
    return limits;
}

template <page_fetcher F>
task<page_of_t<F>> fetch_within(F& fetcher, const typename F::cursor_type& cursor, const cancellation& limits) {
    limits.check(walk_now());
    if (limits.empty()) co_return co_await fetcher.fetch(cursor);
    co_return co_await cancellable(fetch_task(fetcher, cursor), limits);
}

template <class F>
concept predicts_cursors = requires(const F& fetcher, const typename F::cursor_type& at) {
    { fetcher.predicted_next(at) } -> std::convertible_to<std::optional<typename F::cursor_type>>;
};

// A fetcher that compares each page with the one before it does so here, in walk order, since with concurrency the
// pages may arrive in any order (offset_fetcher::in_walk_order).
template <class F>
concept checks_in_walk_order = requires(F& fetcher, page_of_t<F>& fetched, const typename F::cursor_type& at) {
    fetcher.in_walk_order(fetched, at);
};

// A fetched page and how long its fetch took (for on_page).
template <class Page>
struct timed_page {
    timed_page(Page fetched, clock::duration took) : page(std::move(fetched)), elapsed(took) {}
    Page page;
    clock::duration elapsed;
};

// The walk's pages in order, each checked and trimmed (skip, max_items, the repeat policy and the progress guard) and
// counted in walk_state; what has been handed out is the generator's to record. One page at a time, on demand or
// ahead of the consumer (walk_options::prefetch), or several at once at predicted cursors (concurrency).
template <page_fetcher F>
class page_walker {
public:
    using cursor_type = typename F::cursor_type;
    using page_type = page_of_t<F>;

    page_walker(F& fetcher, const walk_options<cursor_type>& options, cursor_type first, std::size_t skip,
                walk_state<cursor_type>& state)
        : fetcher_(&fetcher), options_(&options), state_(&state), history_(options.repeats(), first),
          limits_(walk_limits(options.cancellation())), cursor_(std::move(first)), skip_(skip),
          stride_(options.shard_count()) {}

    // The next page to hand out; nothing once the walk is over (then finish() says how it ended).
    task<std::optional<page_type>> next() {
        const std::optional<cursor_type> at = upcoming();
        if (!at) co_return std::nullopt;
        timed_page<page_type> fetched = co_await fetch(*at);
        co_return accept(std::move(fetched));
    }

    // The cursor of the next page, if the walk goes on (throws when max_requests would be passed).
    std::optional<cursor_type> upcoming() {
        if (!cursor_ || ended_before_fetch()) return std::nullopt;
        return cursor_;
    }

    task<timed_page<page_type>> fetch(cursor_type at) {
        ++state_->requests;
        const auto started = walk_now();
        page_type fetched = co_await fetch_within(*fetcher_, at, limits_);
        co_return timed_page<page_type>(std::move(fetched), walk_now() - started);
    }

    // The page fetched at upcoming(), checked and trimmed; nothing when it ends the walk unseen (repeat_policy::stop).
    std::optional<page_type> accept(timed_page<page_type> fetched) {
        if constexpr (checks_in_walk_order<F>) fetcher_->in_walk_order(fetched.page, *cursor_);
        if (fetched.page.repeats_previous && options_->repeats() != repeat_policy::allow) {
            if (options_->repeats() == repeat_policy::error) std::rethrow_exception(fetched.page.repeats_previous);
            state_->stop = stop_reason::repeated_page;
            cursor_.reset();
            return std::nullopt;
        }
        prepare(fetched.page);
        count_page(fetched.page, fetched.elapsed);
        return std::optional<page_type>(std::move(fetched.page));
    }

    // Where the walk goes next, once the pages accepted so far are known.
    const std::optional<cursor_type>& cursor() const noexcept { return cursor_; }

    // The cursor of this walk's page after the one at `at` (a shard's: `stride` pages on), when the fetcher can
    // predict it (page addresses it computes).
    std::optional<cursor_type> predicted_after(const cursor_type& at) const {
        if constexpr (predicts_cursors<F>) {
            std::optional<cursor_type> following = at;
            for (std::size_t i = 0; i < stride_ && following; ++i) following = fetcher_->predicted_next(*following);
            return following;
        } else {
            return std::nullopt;
        }
    }

    // Whether `ahead` more fetches may start beside the walk's own (its budgets of requests and pages).
    bool may_start(std::size_t ahead) const noexcept {
        if (options_->max_requests() && state_->requests >= *options_->max_requests()) return false;
        return !options_->max_pages() || state_->pages + ahead < *options_->max_pages();
    }

    // At the end of the walk, once every page fetched has been handed out.
    void finish() {
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
        if (state_->stop == stop_reason::running) state_->stop = stop_reason::exhausted;
    }

private:
    bool ended_before_fetch() {
        if (options_->max_items() && state_->items == *options_->max_items()) {
            state_->stop = stop_reason::max_items;
            return true;
        }
        if (options_->max_pages() && state_->pages == *options_->max_pages()) {
            state_->stop = stop_reason::max_pages;
            return true;
        }
        if (state_->requests == options_->max_requests()) {
            throw pagination_error(pagination_failure::max_requests,
                                   "paged: " + std::to_string(*options_->max_requests()) +
                                       " requests made (walk_options::max_requests) and the source still has a next "
                                       "page (cursor" + describe_cursor(*cursor_) + ")");
        }
        return false;
    }

    // Trims the page and decides where the walk goes after it.
    void prepare(page_type& fetched) {
        fetched.cursor = *cursor_;
        fetched.index = state_->pages;
        check_item_cursors(fetched);
        fetched.skipped = std::min(std::exchange(skip_, 0), fetched.items.size());
        drop_front(fetched, fetched.skipped);
        if (fetched.error_after) fetched.next.reset();
        if (stride_ > 1 && fetched.next) to_next_of_shard(fetched);
        const bool ends_at_max_items =
            options_->max_items() && state_->items + fetched.items.size() >= *options_->max_items();
        if (apply_max_items(fetched, options_->max_items(), state_->items)) state_->stop = stop_reason::max_items;
        failure_ = std::exchange(fetched.error_after, nullptr);
        if (ends_at_max_items) {
            // Not followed: the consumer has all it asked for (the page's next cursor tells a resume where to go).
            cursor_.reset();
            return;
        }
        // A page that points back is still handed out (its items are new); what happens next is the policy's.
        if (auto problem = history_.admit_next(fetched)) {
            const bool stalled = problem->failure() == pagination_failure::stalled_cursor;
            if (options_->repeats() == repeat_policy::stop && !stalled) {
                state_->stop = stop_reason::repeated_cursor;
            } else {
                failure_ = std::make_exception_ptr(std::move(*problem));
            }
        }
        cursor_ = fetched.next;
    }

    // A shard's next page is `stride` pages on, where the fetcher predicts it: only sound when this page was full
    // (its next is where the fetcher predicted), or the shards would overlap or leave gaps.
    void to_next_of_shard(page_type& fetched) const {
        if constexpr (predicts_cursors<F>) {
            const auto expected = fetcher_->predicted_next(fetched.cursor);
            if (!expected || !(*expected == *fetched.next)) {
                fetched.next.reset();
                fetched.error_after = std::make_exception_ptr(pagination_error(
                    pagination_failure::shard_page_short,
                    "paged: page " + std::to_string(fetched.index) + " of shard " +
                        std::to_string(options_->shard_index()) + " (cursor" + describe_cursor(fetched.cursor) +
                        ") was not full but the source has more: shards need every page but the last to be full "
                        "(keep page_size within the API's maximum)"));
                return;
            }
            fetched.next = predicted_after(fetched.cursor);
        }
    }

    void count_page(const page_type& fetched, clock::duration elapsed) {
        ++state_->pages;
        state_->items += fetched.items.size();
        state_->bytes += fetched.bytes;
        if (fetched.total) state_->total = fetched.total;
        if (options_->on_page()) {
            const page_event event{fetched.index, fetched.items.size(), fetched.bytes, elapsed, fetched.total};
            options_->on_page()(event);
        }
    }

    F* fetcher_;
    const walk_options<cursor_type>* options_;
    walk_state<cursor_type>* state_;
    cursor_history<cursor_type> history_;
    cancellation limits_;
    std::optional<cursor_type> cursor_;
    std::size_t skip_;
    std::size_t stride_;          // 1, or the number of shards: this walk takes every stride-th page
    std::exception_ptr failure_;  // thrown once the page before it is handed out: nothing fetched is lost
};

// Fills `ahead` with the walk's pages until the walk ends or fails, never more than its capacity ahead of the
// consumer.
template <page_fetcher F>
task<void> read_ahead(page_walker<F>& walker, read_ahead_buffer<page_of_t<F>>& ahead) {
    std::exception_ptr failure;
    try {
        for (;;) {
            co_await ahead.room();
            std::optional<page_of_t<F>> fetched = co_await walker.next();
            if (!fetched) break;
            ahead.push(std::move(*fetched));
        }
    } catch (...) {
        failure = std::current_exception();
    }
    ahead.close(std::move(failure));
}

// A fetch sent out at a predicted cursor before the pages before it have arrived.
template <page_fetcher F>
struct guessed_fetch {
    guessed_fetch(typename F::cursor_type at, task<timed_page<page_of_t<F>>> work)
        : cursor(std::move(at)), fetch(std::move(work)) {}
    typename F::cursor_type cursor;
    started_task<timed_page<page_of_t<F>>> fetch;
};

// As read_ahead, with up to `width` fetches in flight at once: the pages after the walk's next one are requested at
// the cursors the fetcher predicts (offsets, page numbers), then accepted in order. A page that ends the walk, or
// names another next cursor than predicted (a short page, a total reached, a server that caps the page size), drops
// the guesses after it, cancelling their transfers: nothing is handed out that the sequential walk would not.
template <page_fetcher F>
task<void> read_concurrently(page_walker<F>& walker, read_ahead_buffer<page_of_t<F>>& ahead, std::size_t width) {
    // At most `width` fetches in flight (those done but not yet accepted in order included) and the buffer's capacity
    // handed over: pages already in the buffer must not hold back new requests, or one slow page would let the flight
    // drain to a request or two for a whole round trip while the pages after it are pushed.
    std::exception_ptr failure;
    std::deque<guessed_fetch<F>> flight;
    try {
        for (;;) {
            co_await ahead.room();
            auto at = flight.empty() ? walker.upcoming() : walker.predicted_after(flight.back().cursor);
            while (at && flight.size() < width && (flight.empty() || walker.may_start(flight.size()))) {
                auto following = walker.predicted_after(*at);
                task<timed_page<page_of_t<F>>> work = walker.fetch(*at);
                flight.emplace_back(std::move(*at), std::move(work));  // starts it
                at = std::move(following);
            }
            if (flight.empty()) break;
            timed_page<page_of_t<F>> fetched = co_await flight.front().fetch;
            flight.pop_front();
            std::optional<page_of_t<F>> accepted = walker.accept(std::move(fetched));
            if (!accepted) break;
            ahead.push(std::move(*accepted));
            if (!flight.empty() && !(walker.cursor() && *walker.cursor() == flight.front().cursor)) flight.clear();
        }
    } catch (...) {
        failure = std::current_exception();
    }
    flight.clear();  // what is still in flight is not wanted: cancelled now, before the consumer hears of the end
    ahead.close(std::move(failure));
}

// The task that reads pages ahead of the consumer. Only a fetcher that predicts its cursors has the concurrent reader
// built: the others refuse concurrency, and its code is a walk's largest (compile time and size in every file that
// walks such a fetcher).
template <page_fetcher F>
task<void> page_reader(page_walker<F>& walker, read_ahead_buffer<page_of_t<F>>& ahead, std::size_t concurrency) {
    if constexpr (predicts_cursors<F>) {
        if (concurrency > 1) return read_concurrently(walker, ahead, concurrency);
    }
    return read_ahead(walker, ahead);
}

template <page_fetcher F>
async_generator<page_of_t<F>> walk_pages(F fetcher, walk_options<typename F::cursor_type> options,
                                         typename F::cursor_type first, std::size_t skip) {
    using cursor_type = typename F::cursor_type;
    walk_state<cursor_type> own_state;
    walk_state<cursor_type>& state = options.state() != nullptr ? *options.state() : own_state;
    if (options.shard_count() > 1 && !predicts_cursors<F>) {
        throw usage_error("paged: walk_options::shard needs page addresses the fetcher can compute "
                          "(predicted_next(cursor): offset and page-number walks)");
    }
    if constexpr (predicts_cursors<F>) {
        if (options.shard_count() > 1 && !fetcher.predicted_next(first)) {
            throw usage_error("paged: walk_options::shard: this fetcher cannot tell where its pages start (an offset "
                              "walk with item_id needs each page before the next)");
        }
    }
    if (options.concurrency() > 1 && !predicts_cursors<F>) {
        throw usage_error("paged: walk_options::concurrency needs page addresses the fetcher can compute "
                          "(predicted_next(cursor): offset and page-number walks); use prefetch for the others");
    }
    page_walker<F> walker(fetcher, options, std::move(first), skip, state);
    if (options.prefetch() == 0 && options.concurrency() <= 1) {
        for (;;) {
            std::optional<page_of_t<F>> fetched = co_await walker.next();
            if (!fetched) break;
            note_handed_out(state, *fetched, fetched->items.size());  // pages() hands the page out whole
            co_yield *fetched;
        }
    } else {
        if (event_loop::current() == nullptr) {
            throw usage_error("paged: walk_options::prefetch fetches pages while the consumer works, so the walk must "
                              "run on an event loop (paged::blocking, paged::sync_wait, or a coroutine they drive)");
        }
        read_ahead_buffer<page_of_t<F>> ahead(std::max(options.prefetch(), options.concurrency()));
        // Declared last: destroyed first, its fetches cancelled.
        task<void> producer = page_reader(walker, ahead, options.concurrency());
        task_access::handle(producer).resume();           // runs until it waits for a page or for room
        for (;;) {
            std::optional<page_of_t<F>> fetched = co_await ahead.next_page();
            if (!fetched) break;
            note_handed_out(state, *fetched, fetched->items.size());
            co_yield *fetched;
        }
    }
    walker.finish();
}

template <class T, class Cursor>
async_generator<T> walk_items(async_generator<page<T, Cursor>> source, walk_state<Cursor>* state, cancellation limits) {
    const bool limited = !limits.empty();
    if (limited) limits = walk_limits(limits);
    for (auto it = co_await source.begin(); it != source.end(); (void)co_await ++it) {
        page<T, Cursor>& current = *it;
        for (std::size_t i = 0; i < current.items.size(); ++i) {
            if (limited) limits.check(walk_now());
            if (state != nullptr) note_handed_out(*state, current, i + 1);
            co_yield current.items[i];
        }
    }
}

// What a checkpoint of this walk is checked against: the fetcher's configuration, and the shard it walks.
template <fingerprinted_fetcher F>
std::uint64_t walk_fingerprint(const F& fetcher, const walk_options<typename F::cursor_type>& options) {
    std::string text = fetcher.fingerprint();
    if (options.shard_count() > 1) {
        text += " shard " + std::to_string(options.shard_index()) + "/" + std::to_string(options.shard_count());
    }
    return fingerprint_of(text);
}

// The first page of shard k: the walk's first page advanced by k predicted pages.
template <page_fetcher F>
typename F::cursor_type first_of_shard(const F& fetcher, const walk_options<typename F::cursor_type>& options) {
    typename F::cursor_type at = fetcher.first_cursor();
    if constexpr (predicts_cursors<F>) {
        for (std::size_t i = 0; i < options.shard_index(); ++i) {
            auto following = fetcher.predicted_next(at);
            if (!following) throw usage_error("paged: walk_options::shard: the fetcher cannot tell where its pages start");
            at = std::move(*following);
        }
    }
    return at;
}

// The cursor to start from and the items of its page to skip, from options.start or options.resume.
template <page_fetcher F>
std::pair<typename F::cursor_type, std::size_t> starting_point(const F& fetcher,
                                                               const walk_options<typename F::cursor_type>& options) {
    using cursor_type = typename F::cursor_type;
    if (options.start() && options.resume()) {
        throw usage_error("paged: walk_options::start and walk_options::resume are exclusive: start is a page's cursor, "
                          "resume a checkpoint; give one");
    }
    if (options.start()) return {*options.start(), 0};
    if (!options.resume()) return {first_of_shard(fetcher, options), 0};
    if constexpr (fingerprinted_fetcher<F> && encodable_cursor<cursor_type>) {
        if (options.resume()->fingerprint != walk_fingerprint(fetcher, options)) {
            throw checkpoint_error("paged::checkpoint: taken from a walk of a different configuration (" +
                                   std::string(fetcher.fingerprint()) + ", shard " +
                                   std::to_string(options.shard_index()) + " of " +
                                   std::to_string(options.shard_count()) + " does not match); refusing to resume");
        }
        return {cursor_codec<cursor_type>::decode(options.resume()->cursor), options.resume()->offset};
    } else {
        throw checkpoint_error("paged::checkpoint: resuming needs a fetcher with fingerprint() and a cursor_codec");
    }
}

// The fetcher's types, or placeholders when it lacks them: paginate() and pages() then reach check_page_fetcher()
// and its messages instead of failing to match.
template <class F>
struct lenient_fetcher_types {
    using value_type = any_cursor;
    using cursor_type = any_cursor;
};
template <class F>
    requires requires {
        typename F::value_type;
        typename F::cursor_type;
    }
struct lenient_fetcher_types<F> {
    using value_type = typename F::value_type;
    using cursor_type = typename F::cursor_type;
};
template <class F>
using options_for_t = walk_options<typename lenient_fetcher_types<F>::cursor_type>;
}  // namespace detail

// Options are paged::walk_options().max_items(n)...; designated initialisers ({.max_items = n}) do not compile.
template <class F>
async_generator<page<typename detail::lenient_fetcher_types<F>::value_type,
                     typename detail::lenient_fetcher_types<F>::cursor_type>>
pages(F fetcher, detail::options_for_t<F> options = {}) {  // options: paged::walk_options().max_items(n)...
    detail::check_page_fetcher<F>();
    if constexpr (page_fetcher<F>) {
        auto [first, skip] = detail::starting_point(fetcher, options);
        if (options.state() != nullptr) {
            auto& state = *options.state();
            state = {};
            state.cursor = first;
            state.offset = skip;
            if constexpr (fingerprinted_fetcher<F>) state.fingerprint = detail::walk_fingerprint(fetcher, options);
        }
        return detail::walk_pages(std::move(fetcher), std::move(options), std::move(first), skip);
    } else {
        return {};  // not reached: check_page_fetcher() has stopped the build
    }
}

template <class F>
async_generator<typename detail::lenient_fetcher_types<F>::value_type>
paginate(F fetcher, detail::options_for_t<F> options = {}) {  // options: paged::walk_options().max_items(n)...
    detail::check_page_fetcher<F>();
    if constexpr (page_fetcher<F>) {
        auto* state = options.state();
        cancellation limits = options.cancellation();
        return detail::walk_items(pages(std::move(fetcher), std::move(options)), state, std::move(limits));
    } else {
        return {};  // not reached: check_page_fetcher() has stopped the build
    }
}

}  // namespace paged
