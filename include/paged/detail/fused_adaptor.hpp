#pragma once
// fuse<Out>(source, stage): an async_generator<Out> that runs `stage` on the source's items while the source is
// suspended at its co_yield (detail/item_sink.hpp) instead of in a coroutine layer of its own.
//
// A stage is a small object with
//     template <class Output> void start(Output& out);                 // before the first item (take(0) ends here)
//     template <class Item, class Output> offered offer(Item& item, Output& out);
// offer returns offered::skipped for an item it drops, out.offer(x) to hand x on (x must live until the next offer),
// or offered::ended to end the stream before this item; out.end_after_this() ends it after the item handed on.
// Its callables are synchronous: an adaptor whose callable returns a paged::task keeps a coroutine layer.
//
// The result is a fused_generator: an async_generator<Out> (it converts to one, and deduces as one), whose static type
// still names the stages. Adapting it again therefore merges the new stage into the same layer (stage_pair), so that
// `gen | filter(p) | map(f) | take(n)` makes one layer whose stages the compiler inlines into one another: one
// indirect call per item for the whole pipeline. An adaptor applied to a plain async_generator that is itself a fused
// adaptor (its static type lost, say returned from a function) chains at run time through fused_chain instead.

#include <paged/async_generator.hpp>
#include <paged/detail/item_sink.hpp>
#include <paged/error.hpp>
#include <paged/task.hpp>

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace paged::detail {

// What a stage hands its items to: the adaptor's own generator, and the chain it may ask to end after this item.
template <class Out>
class fused_output {
public:
    using object_type = typename async_generator_promise<Out>::object_type;

    fused_output(async_generator_promise<Out>& promise, fused_chain& chain) noexcept
        : promise_(&promise), chain_(&chain) {}

    offered offer(object_type& item) { return promise_->offer(item); }
    void end_after_this() noexcept { chain_->end_after_this(); }

private:
    async_generator_promise<Out>* promise_;
    fused_chain* chain_;
};

template <class In, class Out, class Stage>
class fused_layer final : public end_listener {
public:
    using in_object = typename async_generator_promise<In>::object_type;

    // `retired`: the frame of the adaptor this one replaced (a stage added to a pipeline), kept until this one goes,
    // so that the item the consumer got from it last stays valid as it would have with the old frame alive.
    fused_layer(async_generator<In> source, Stage stage, std::coroutine_handle<> retired)
        : source_(std::move(source)), stage_(std::move(stage)), retired_(retired) {}
    ~fused_layer() {
        if (retired_) retired_.destroy();
    }

    // Called once the adaptor's frame exists: from now on the source offers its items here.
    void attach(std::coroutine_handle<async_generator_promise<Out>> self) {
        self_ = self;
        auto& source = generator_access::handle(source_).promise();
        fused_chain* chain = source.chain();
        if (chain == nullptr) {
            own_chain_.emplace(generator_access::handle(source_), *this);
            chain = &*own_chain_;
        }
        self.promise().set_chain(*chain);
        output_.emplace(self.promise(), *chain);
        stage_.start(*output_);
        source.set_sink(*this);
    }

    offered offer(in_object& item) { return stage_.offer(item, *output_); }

    // For the chain, when this is its first adaptor: the item at the source's co_yield. What a callable throws becomes
    // the source's failure, and the stream ends.
    offered offer_current() noexcept {
        auto& source = generator_access::handle(source_).promise();
        offered verdict = offered::ended;
        try {
            verdict = stage_.offer(source.current(), *output_);
        } catch (...) {
            source.fail(std::current_exception());
        }
        if (verdict == offered::ended) source.end_sinks();
        return verdict;
    }

    // The source ended (or a stage ended the stream): the adaptor's frame runs once, to its end.
    void source_ended() noexcept override {
        if (self_ && !self_.done()) self_.resume();
    }

    // The adaptor's body: what the source threw is thrown again, so that the consumer's await rethrows it.
    void rethrow_source_error() {
        if (const auto source = generator_access::handle(source_)) source.promise().rethrow_if_failed();
    }

    // For a stage added after this one: the source, no longer offering its items here, and the stage.
    // False when this adaptor was made over a stream that had already ended: it never offered an item.
    bool attached() const noexcept { return self_ != nullptr; }

    std::pair<async_generator<In>, Stage> release() && {
        if (const auto source = generator_access::handle(source_); source && self_) source.promise().clear_sink();
        self_ = nullptr;
        return {std::move(source_), std::move(stage_)};
    }

private:
    async_generator<In> source_;
    Stage stage_;
    std::coroutine_handle<> retired_;
    std::coroutine_handle<async_generator_promise<Out>> self_;
    std::optional<fused_chain> own_chain_;  // when the source is a coroutine, not itself a fused adaptor
    std::optional<fused_output<Out>> output_;
};

// The adaptor's frame: suspended from creation until the stream ends, then it runs this body once.
template <class Out, class Layer>
async_generator<Out> fused_frame(std::unique_ptr<Layer> layer) {
    layer->rethrow_source_error();
    co_return;
}

template <class Layer>
inline constexpr char layer_type_tag = 0;  // its address names the type Layer

template <class Out, class In, class Stage>
class fused_generator : public async_generator<Out> {
public:
    using layer_type = fused_layer<In, Out, Stage>;

    explicit fused_generator(async_generator<Out> frame) noexcept : async_generator<Out>(std::move(frame)) {}

    // Taken apart for a stage added after this one: the source, the stages, whether this adaptor already ended (the
    // consumer's await took its exception, if any; a source that did not end must not be resumed again), and the
    // frame, which the new adaptor keeps (fused_layer's `retired`).
    struct parts {
        async_generator<In> source;
        Stage stage;
        bool ended;
        std::coroutine_handle<> retired;
    };
    parts release() && {
        const auto frame = generator_access::handle(*this);
        // The layer is found through the frame, so a pipeline assigned through a reference to its base class is
        // either still this type or refused, never read as another type.
        auto* layer = frame ? static_cast<layer_type*>(frame.promise().adaptor(&layer_type_tag<layer_type>)) : nullptr;
        if (layer == nullptr) {
            throw usage_error("paged: an adaptor was applied to a moved-from pipeline, or to one replaced through a "
                              "reference to async_generator<T> (adapt that as an async_generator instead)");
        }
        // An adaptor made over an ended stream is not done until it is read, yet its source must stay where it ended.
        const bool ended = frame.done() || !layer->attached();
        auto [source, stage] = std::move(*layer).release();
        return {std::move(source), std::move(stage), ended, generator_access::release(*this)};
    }
};

// Two stages run as one: the first hands its items to the second.
template <class First, class Second>
class stage_pair {
public:
    stage_pair(First first, Second second) : first_(std::move(first)), second_(std::move(second)) {}

    template <class Output>
    void start(Output& out) {
        second_.start(out);
        into_second<Output> into{second_, out};
        first_.start(into);
    }
    template <class Item, class Output>
    offered offer(Item& item, Output& out) {
        into_second<Output> into{second_, out};
        return first_.offer(item, into);
    }

private:
    template <class Output>
    struct into_second {
        Second& second;
        Output& out;
        template <class Item>
        offered offer(Item& item) {
            return second.offer(item, out);
        }
        void end_after_this() noexcept { out.end_after_this(); }
    };

    First first_;
    Second second_;
};

template <class Out, class In, class Stage>
fused_generator<Out, In, Stage> make_fused(async_generator<In> source, Stage stage, bool ended,
                                           std::coroutine_handle<> retired) {
    using layer_type = fused_layer<In, Out, Stage>;
    const auto handle = generator_access::handle(source);
    const bool running = !ended && handle && !handle.done();
    auto layer = std::make_unique<layer_type>(std::move(source), std::move(stage), retired);
    auto& kept = *layer;
    auto frame = fused_frame<Out>(std::move(layer));
    generator_access::handle(frame).promise().set_adaptor(&kept, &layer_type_tag<layer_type>);
    // Not running: the frame runs at the first await, to its end, rethrowing what the source threw.
    if (running) kept.attach(generator_access::handle(frame));
    return fused_generator<Out, In, Stage>(std::move(frame));
}

template <class G>
inline constexpr bool is_fused_generator = false;
template <class Out, class In, class Stage>
inline constexpr bool is_fused_generator<fused_generator<Out, In, Stage>> = true;

// The adaptor `stage` over `source`, producing Out: merged into source's layer when source is a fused_generator.
template <class Out, class Source, class Stage>
auto fuse(Source source, Stage stage) {
    if constexpr (is_fused_generator<Source>) {
        auto parts = std::move(source).release();
        return make_fused<Out>(std::move(parts.source), stage_pair(std::move(parts.stage), std::move(stage)),
                               parts.ended, parts.retired);
    } else {
        return make_fused<Out>(std::move(source), std::move(stage), false, nullptr);
    }
}

// An adaptor fuses unless its callable returns a paged::task, which only a coroutine layer can await.
template <class F, class... Args>
inline constexpr bool returns_task = is_task_v<std::invoke_result_t<F&, Args&&...>>;

// Stages that start with nothing to do.
struct stage_base {
    template <class Output>
    void start(Output&) noexcept {}
};

}  // namespace paged::detail
