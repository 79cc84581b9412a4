#pragma once
// paged::async_generator<T>: a lazy stream of T produced by a coroutine that may co_await (timers, I/O, tasks)
// between its co_yields.
//
//     for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it) use(*it);
//     while (auto* item = co_await gen.next()) use(*item);
//
// (The `(void)` is a g++ 12 workaround: without it a `co_await ++it` in a for iteration-expression inside a template
// is rejected with "insufficient contextual information"; coroutine-hazards.md, row 5.)
//
// * Nothing runs until the first begin()/next() is awaited; each await runs the body to its next co_yield.
// * `*it` is T& for a value type T (the consumer owns the item: it may move from it) and T itself for a reference
//   type. `co_yield lvalue` and `co_yield rvalue` hand the consumer a reference to the yielded object, which lives
//   until the producer is resumed: no copy, no move. Other values that convert to T are converted once.
// * An exception escaping the body is rethrown from the await that resumed it; the generator is then at its end.
// * Destroying the generator destroys its frame wherever it is suspended, running every local's destructor once;
//   an awaiter it is suspended in (a timer, a transfer) deregisters itself in its destructor.
// * One frame allocation per generator, nothing per item. Stack-safe: see detail/inline_handoff.hpp.

#include <paged/detail/dependent_false.hpp>
#include <paged/detail/inline_handoff.hpp>
#include <paged/detail/item_sink.hpp>

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>

// The message for a generator used as a plain range (see begin_operation).
#define PAGED_NOT_A_PLAIN_RANGE                                                                                        \
    "paged::async_generator is read with co_await, one item at a time: inside a coroutine write "                    \
    "`for (auto it = co_await gen.begin(); it != gen.end(); (void)co_await ++it)` or "                                \
    "`while (auto* item = co_await gen.next())`; in ordinary code write "                                             \
    "`for (auto& item : paged::blocking(std::move(gen)))`. A range-for over the generator itself, or begin() "        \
    "without co_await, cannot work"

namespace paged {

template <class T>
class async_generator;

namespace detail {

// Suspends the producer at a co_yield and hands control to whoever runs it (see inline_handoff).
class yield_operation {
public:
    yield_operation() noexcept = default;  // user-declared: never an aggregate (coroutine-hazards.md, row 3)
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> producer) noexcept {
        return producer.promise().handoff.producer_suspended();
    }
    void await_resume() const noexcept {}
};

// The producer's end: fused adaptors learn it first, then the consumer is handed control.
class final_operation {
public:
    final_operation() noexcept = default;  // user-declared: never an aggregate (coroutine-hazards.md, row 3)
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> producer) noexcept {
        producer.promise().end_sinks();
        return producer.promise().handoff.producer_suspended();
    }
    void await_resume() const noexcept {}
};

// `co_yield x` where x is not already a T: the converted value lives in this awaiter, in the producer's frame.
template <class T, class Promise>
class yield_converted_operation {
public:
    template <class U>
    yield_converted_operation(Promise& producer, U&& value) : producer_(&producer), value_(std::forward<U>(value)) {}
    bool await_ready() noexcept {
        producer_->set_current(value_);
        return false;
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise>) noexcept {
        return producer_->handoff.producer_suspended();
    }
    void await_resume() const noexcept {}

private:
    Promise* producer_;
    T value_;
};

template <class T>
class async_generator_promise {
public:
    using reference = std::conditional_t<std::is_reference_v<T>, T, T&>;
    using object_type = std::remove_reference_t<reference>;

    async_generator<T> get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept { return {}; }
    final_operation final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept {
        error_ = std::current_exception();
        handoff.mark_failed();  // sends the consumer's await down its slow path, which rethrows
    }
    void return_void() const noexcept {}

    yield_operation yield_value(object_type& value) noexcept {
        value_ = std::addressof(value);
        return {};
    }
    yield_operation yield_value(object_type&& value) noexcept {
        value_ = std::addressof(value);
        return {};
    }
    template <class U>
        requires(!std::is_reference_v<T> &&
                 // Objects the two overloads above bind directly (no copy) never come here.
                 !std::is_convertible_v<std::remove_reference_t<U>*, object_type*> && std::constructible_from<T, U &&>)
    yield_converted_operation<T, async_generator_promise> yield_value(U&& value) noexcept(
        std::is_nothrow_constructible_v<T, U&&>) {
        return yield_converted_operation<T, async_generator_promise>(*this, std::forward<U>(value));
    }

    // Await_transform is deliberately absent: the body may await anything.

    void set_current(object_type& value) noexcept { value_ = std::addressof(value); }

    // For detail/fused_adaptor.hpp, which offers the item at this producer's co_yield to its adaptors once the producer
    // has suspended: what an adaptor's callable threw there is this stream's failure, reported to the consumer as this
    // producer's own (and never thrown into the producer's body, whose try/catch around co_yield would swallow it).
    void fail(std::exception_ptr error) noexcept { error_ = std::move(error); }

    // An adaptor's item, handed on to this adaptor's generator: it becomes the current one, and the adaptor after
    // this one, if any, has its say.
    offered offer(object_type& value) {
        value_ = std::addressof(value);
        if (sink_offer_ == nullptr) return offered::accepted;
        return sink_offer_(sink_, value);
    }
    reference value() const noexcept { return static_cast<reference>(*value_); }
    object_type& current() const noexcept { return *value_; }

    void rethrow_if_failed() {
        if (error_) [[unlikely]] std::rethrow_exception(std::exchange(error_, nullptr));
    }

    // Runs this generator up to its next item from a consumer's await_suspend: true when the consumer stays suspended
    // (see inline_handoff). A fused adaptor's frame is not resumed per item: its chain's producer is.
    bool resume(std::coroutine_handle<> consumer, std::coroutine_handle<> self, inline_handoff::parked_consumer& link) {
        if (chain_ == nullptr) return handoff.resume_producer(consumer, self, link);
        return chain_->advance(consumer, link);
    }
    // True while a consumer waits for the producer to wake up (for drivers that are not coroutines).
    bool consumer_waiting() const noexcept {
        if (chain_ == nullptr) return handoff.consumer_waiting();
        return chain_->consumer_waiting();
    }

    // For detail/fused_adaptor.hpp: the adaptor offered this generator's items, and the chain this frame is part of.
    // The offer is a plain function pointer kept here beside its object, not a virtual call: one dependent load
    // fewer per adaptor per item.
    template <class Sink>
    void set_sink(Sink& sink) noexcept {
        sink_ = &sink;
        sink_offer_ = [](end_listener* self, object_type& value) { return static_cast<Sink*>(self)->Sink::offer(value); };
    }
    void set_chain(fused_chain& chain) noexcept { chain_ = &chain; }
    // The adaptor state this frame runs for, tagged with its type (fused_generator finds it again through these).
    void set_adaptor(void* adaptor, const void* type) noexcept {
        adaptor_ = adaptor;
        adaptor_type_ = type;
    }
    void* adaptor(const void* type) const noexcept { return adaptor_type_ == type ? adaptor_ : nullptr; }
    fused_chain* chain() const noexcept { return chain_; }
    void clear_sink() noexcept {
        sink_offer_ = nullptr;
        sink_ = nullptr;
    }
    void end_sinks() noexcept {
        sink_offer_ = nullptr;
        if (sink_ != nullptr) std::exchange(sink_, nullptr)->source_ended();
    }

    inline_handoff handoff;

private:
    object_type* value_ = nullptr;
    offered (*sink_offer_)(end_listener*, object_type&) = nullptr;
    end_listener* sink_ = nullptr;
    fused_chain* chain_ = nullptr;
    void* adaptor_ = nullptr;
    const void* adaptor_type_ = nullptr;
    std::exception_ptr error_;
};

// Resumes the producer up to its next co_yield (or its end); the await_resume of each operation differs.
template <class T>
class generator_advance {
public:
    using handle_type = std::coroutine_handle<async_generator_promise<T>>;

    explicit generator_advance(handle_type producer) noexcept : producer_(producer) {}
    bool await_ready() noexcept {
        if (!producer_) return true;
        if (!producer_.done()) [[likely]] return false;
        inline_handoff::look_for_error(parked_);  // it may have failed while nobody waited
        return true;
    }
    bool await_suspend(std::coroutine_handle<> consumer) {
        return producer_.promise().resume(consumer, producer_, parked_);
    }

protected:
    // Only after the consumer was parked or the producer failed; known false after an inline item.
    void rethrow_if_failed() const {
        if (parked_.must_check_error()) [[unlikely]] producer_.promise().rethrow_if_failed();
    }
    handle_type producer_;
    inline_handoff::parked_consumer parked_;
};

// For drivers that are not coroutines (blocking()).
struct generator_access {
    template <class T>
    static std::coroutine_handle<async_generator_promise<T>> handle(const async_generator<T>& gen) noexcept {
        return gen.handle_;
    }
    // The frame, no longer owned by `gen`.
    template <class T>
    static std::coroutine_handle<async_generator_promise<T>> release(async_generator<T>& gen) noexcept {
        return std::exchange(gen.handle_, nullptr);
    }
};

}  // namespace detail

template <class T>
class [[nodiscard("an async_generator is lazy: nothing runs until it is read with co_await or paged::blocking")]]
    async_generator {
public:
    using promise_type = detail::async_generator_promise<T>;
    using value_type = std::remove_cvref_t<T>;
    using reference = typename promise_type::reference;
    using pointer = std::add_pointer_t<reference>;

    class iterator {
    public:
        using iterator_concept = std::input_iterator_tag;
        using value_type = async_generator::value_type;
        using reference = async_generator::reference;
        using difference_type = std::ptrdiff_t;

        iterator() noexcept = default;
        explicit iterator(std::coroutine_handle<promise_type> producer) noexcept : producer_(producer) {}

        reference operator*() const noexcept { return producer_.promise().value(); }
        pointer operator->() const noexcept
            requires std::is_lvalue_reference_v<reference>
        {
            return std::addressof(producer_.promise().value());
        }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return !it.producer_ || it.producer_.done();
        }

        // Awaitable: resumes the producer to its next item. Precondition, as for any iterator: *this != end().
        class increment_operation {
        public:
            explicit increment_operation(iterator& it) noexcept : iterator_(&it) {}
            bool await_ready() const noexcept { return false; }
            bool await_suspend(std::coroutine_handle<> consumer) {
                const auto producer = iterator_->producer_;
                return producer.promise().resume(consumer, producer, parked_);
            }
            iterator& await_resume() const {
                // Only after the consumer was parked or the producer failed; known false after an inline item.
                if (parked_.must_check_error()) [[unlikely]] iterator_->producer_.promise().rethrow_if_failed();
                return *iterator_;
            }

        private:
            iterator* iterator_;
            detail::inline_handoff::parked_consumer parked_;
        };
        [[nodiscard("write `(void)co_await ++it`: without co_await the generator does not move")]]
        increment_operation operator++() noexcept { return increment_operation(*this); }

    private:
        std::coroutine_handle<promise_type> producer_;
    };

    class begin_operation : public detail::generator_advance<T> {
    public:
        using detail::generator_advance<T>::generator_advance;
        iterator await_resume() const {
            this->rethrow_if_failed();
            return iterator(this->producer_);
        }

        // Reached by `for (auto& x : gen)` and by `gen.begin()` without co_await: say what to write instead.
        friend bool operator==(const begin_operation&, std::default_sentinel_t) {
            static_assert(detail::dependent_false<T>, PAGED_NOT_A_PLAIN_RANGE);
            return false;
        }
        void operator++() = delete;  // an async_generator is read with co_await (see operator== above)
        void operator*() = delete;   // an async_generator is read with co_await (see operator== above)
    };

    class next_operation : public detail::generator_advance<T> {
    public:
        using detail::generator_advance<T>::generator_advance;
        pointer await_resume() const {
            this->rethrow_if_failed();
            if (!this->producer_ || this->producer_.done()) return nullptr;
            return std::addressof(this->producer_.promise().value());
        }
    };

    async_generator() noexcept = default;
    async_generator(async_generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    async_generator& operator=(async_generator&& other) noexcept {
        if (this != &other) {
            destroy();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    async_generator(const async_generator&) = delete;
    async_generator& operator=(const async_generator&) = delete;
    ~async_generator() { destroy(); }

    // Awaitable: starts the body and runs it to its first item. Await it once, then advance the iterator.
    [[nodiscard("write `co_await gen.begin()`")]] begin_operation begin() noexcept { return begin_operation(handle_); }
    std::default_sentinel_t end() const noexcept { return {}; }

    // Awaitable: the next item, or nullptr at the end. The pointee lives until the next await on this generator.
    [[nodiscard("write `co_await gen.next()`")]] next_operation next() noexcept { return next_operation(handle_); }

private:
    friend promise_type;
    friend struct detail::generator_access;
    explicit async_generator(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}

    void destroy() noexcept {
        if (handle_) std::exchange(handle_, nullptr).destroy();
    }

    std::coroutine_handle<promise_type> handle_;
};

namespace detail {

template <class T>
async_generator<T> async_generator_promise<T>::get_return_object() noexcept {
    return async_generator<T>(std::coroutine_handle<async_generator_promise>::from_promise(*this));
}

// Any async_generator, or a type derived from one (the adaptors' fused_generator): what the adaptors accept.
template <class T>
std::type_identity<T> generator_item(const async_generator<T>&);
template <class G>
concept generator = requires(const G& gen) { detail::generator_item(gen); };
template <generator G>
using generator_item_t = typename decltype(detail::generator_item(std::declval<const G&>()))::type;

// An item handed on by an adaptor that stores it: moved when the generator yields values it owns, copied when it
// yields references into somebody else's data.
template <class T>
decltype(auto) claim(typename async_generator<T>::reference item) noexcept {
    if constexpr (std::is_reference_v<T>) {
        return static_cast<typename async_generator<T>::reference>(item);
    } else {
        return std::move(item);
    }
}

}  // namespace detail

}  // namespace paged
