#pragma once
// The one-pass page parse of detail/page_decoder.hpp: included by it (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/detail/page_decoder.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace paged::http::detail {

// Where the parse stands relative to a JSON Pointer, so that the value it names is known as that value starts.
// Tracks only the containers on the pointer's path (at most its length), whatever the body's shape.
class pointer_tracker {
public:
    explicit pointer_tracker(nlohmann::json::json_pointer at) {
        for (; !at.empty(); at.pop_back()) tokens_.insert(tokens_.begin(), at.back());
        for (const std::string& token : tokens_) indices_.push_back(array_index(token));
    }

    // Whether the value starting now, with `depth` containers open, is the one the pointer names.
    bool names_next(std::size_t depth) const { return next_on_path(depth) && depth == tokens_.size(); }

    void key(std::size_t depth, const std::string& name) {
        if (depth > 0 && path_.size() == depth) path_.back().key_matches = name == tokens_[depth - 1];
    }

    // A value starts with `depth` containers open around it.
    void start(std::size_t depth, bool container, bool array) {
        const bool on_path = next_on_path(depth);
        if (depth > 0 && path_.size() == depth && path_.back().array) ++path_.back().index;
        if (container && on_path && depth < tokens_.size()) path_.push_back({array, 0, false});
    }

    // The innermost of `depth` open containers closes.
    void close(std::size_t depth) {
        if (path_.size() == depth) path_.pop_back();
    }

private:
    struct level {
        bool array;
        std::size_t index;  // of the next element, in an array
        bool key_matches;   // whether the key just read is the pointer's, in an object
    };
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    bool next_on_path(std::size_t depth) const {
        if (depth == 0) return true;
        if (path_.size() != depth) return false;
        const level& inner = path_.back();
        return inner.array ? inner.index == indices_[depth - 1] : inner.key_matches;
    }

    // As a JSON Pointer names an array element: digits, without a leading zero.
    static std::size_t array_index(const std::string& token) {
        if (token.empty() || token.size() > 18 || (token[0] == '0' && token.size() > 1)) return no_index;
        if (token.find_first_not_of("0123456789") != std::string::npos) return no_index;
        return std::stoull(token);
    }

    std::vector<std::string> tokens_;
    std::vector<std::size_t> indices_;  // each token as an array index, or no_index
    std::vector<level> path_;           // the open containers on the path, outermost first
};

// The SAX handler: envelope events go to one bounded builder, each element of the items array to another, whose
// tree is handed on (digest, then the sink) as soon as it is complete. An event that returns false stops the parse.
class page_scanner {
public:
    using json = nlohmann::json;

    page_scanner(scanned_page& page, const json::json_pointer& at, digest_items digest, element_sink& sink)
        : page_(&page), at_(&at), tracker_(at), budget_(page.limits), envelope_(page.body, budget_),
          element_builder_(element_, budget_), sink_(&sink), digesting_(digest == digest_items::yes),
          digest_each_(digesting_ && !at.empty()) {}

    bool null() {
        return scalar([](bounded_json_builder& b) { return b.null(); });
    }
    bool boolean(bool value) {
        return scalar([value](bounded_json_builder& b) { return b.boolean(value); });
    }
    bool number_integer(json::number_integer_t value) {
        return scalar([value](bounded_json_builder& b) { return b.number_integer(value); });
    }
    bool number_unsigned(json::number_unsigned_t value) {
        return scalar([value](bounded_json_builder& b) { return b.number_unsigned(value); });
    }
    bool number_float(json::number_float_t value, const json::string_t& text) {
        return scalar([value, &text](bounded_json_builder& b) { return b.number_float(value, text); });
    }
    bool string(json::string_t& value) {
        return scalar([&value](bounded_json_builder& b) { return b.string(value); });
    }
    bool binary(json::binary_t& value) {
        return scalar([&value](bounded_json_builder& b) { return b.binary(value); });
    }

    bool start_object(std::size_t size) {
        return open(false, [size](bounded_json_builder& b) { return b.start_object(size); });
    }
    bool start_array(std::size_t size) {
        return open(true, [size](bounded_json_builder& b) { return b.start_array(size); });
    }
    bool key(json::string_t& name) {
        if (state_ == where::skipping) return true;
        if (state_ == where::element) return element_builder_.key(name);
        tracker_.key(envelope_.depth(), name);
        return envelope_.key(name);
    }
    bool end_object() {
        return close([](bounded_json_builder& b) { return b.end_object(); });
    }
    bool end_array() {
        return close([](bounded_json_builder& b) { return b.end_array(); });
    }

    bool parse_error(std::size_t position, const std::string& token, const json::exception& e) {
        return envelope_.parse_error(position, token, e);
    }

    const std::string& problem() const noexcept { return budget_.problem(); }

    // After a complete parse: whether the items are there (a repeated key may have replaced them), and their digest.
    // Items that are the whole body are digested as received, at no extra cost: nothing else is in the body.
    void finish() {
        const json* array = find(page_->body, *at_);
        page_->has_items = array != nullptr && array->is_array();
        if (!page_->has_items || !digesting_) return;
        if (digest_each_) {
            page_->digest = digest_.finish();
        } else if (page_->count > 0) {
            page_->digest = content_digest(page_->raw.body);
        }
    }

private:
    // envelope: building the envelope. items: between elements of the items array. element: inside one.
    // skipping: past max_items_per_page, counting the rest of the array for the message without building it.
    enum class where { envelope, items, element, skipping };

    template <class Build>
    bool scalar(Build build) {
        switch (state_) {
            case where::element: return build(element_builder_);
            case where::items: return begin_element() ? build(element_builder_) && end_element() : skip(0);
            case where::skipping: return skip(0);
            default: tracker_.start(envelope_.depth(), false, false); return build(envelope_);
        }
    }

    template <class Build>
    bool open(bool array, Build build) {
        switch (state_) {
            case where::element: return build(element_builder_);
            case where::items:
                if (!begin_element()) return skip(1);
                state_ = where::element;
                return build(element_builder_);
            case where::skipping: return skip(1);
            default: break;
        }
        const std::size_t depth = envelope_.depth();
        const bool items = array && tracker_.names_next(depth);
        tracker_.start(depth, true, array);
        return items ? enter_items(depth) : build(envelope_);
    }

    template <class Build>
    bool close(Build build) {
        switch (state_) {
            case where::element:
                if (!build(element_builder_)) return false;
                return element_builder_.depth() > 0 || end_element();
            case where::items: state_ = where::envelope; return true;  // the end of the items array
            case where::skipping: return skip(-1);
            default: tracker_.close(envelope_.depth()); return build(envelope_);
        }
    }

    // The items array starts with `depth` containers open around it. The envelope gets an empty array in its place,
    // so that a later key that replaces the items or a container around them (the last of repeated keys wins, as in
    // the DOM) leaves no array there; a later array there starts the items again.
    bool enter_items(std::size_t depth) {
        if (!envelope_.start_array(0) || !envelope_.end_array()) return false;
        forget_items();
        element_builder_.restart(element_, depth + 1);
        state_ = where::items;
        return true;
    }

    void forget_items() {
        budget_.refund(items_charge_);
        items_charge_ = 0;
        sink_->restart();
        page_->count = 0;
        page_->extract_error = nullptr;
        page_->decode_error = nullptr;
        digest_.clear();
    }

    // Whether to build the element starting now: max_items_per_page is checked before it is built, and past it the
    // rest of the array is only counted.
    bool begin_element() {
        if (page_->count == budget_.limits().max_items_per_page()) {
            state_ = where::skipping;
            return false;
        }
        ++page_->count;
        element_start_ = budget_.held();
        return true;
    }

    bool skip(int nesting) {
        if (skip_depth_ == 0 && nesting >= 0) ++page_->count;
        if (skip_depth_ == 0 && nesting < 0) return too_many();
        skip_depth_ = static_cast<std::size_t>(static_cast<long long>(skip_depth_) + nesting);
        return true;
    }

    bool too_many() {
        return budget_.fail("expected at most " + std::to_string(budget_.limits().max_items_per_page()) +
                            " items at pointer '" + at_->to_string() + "' (max_items_per_page), got " +
                            std::to_string(page_->count));
    }

    // An element's tree is complete: handed on, then dropped; what the sink keeps of it is charged instead.
    bool end_element() {
        state_ = where::items;
        if (digest_each_) digest_.add(element_);
        const std::size_t tree = budget_.held() - element_start_;
        const std::size_t kept = sink_->take(element_, tree);
        element_ = nullptr;
        budget_.refund(tree);
        items_charge_ += kept;
        return budget_.charge(kept);
    }

    scanned_page* page_;
    const json::json_pointer* at_;
    pointer_tracker tracker_;
    json_budget budget_;
    bounded_json_builder envelope_;
    json element_;
    bounded_json_builder element_builder_;
    element_sink* sink_;
    bool digesting_;
    bool digest_each_;  // items in an envelope: digested one by one, without it
    items_digest digest_;
    where state_ = where::envelope;
    std::size_t element_start_ = 0;  // what the budget held when the element began
    std::size_t items_charge_ = 0;   // what the budget holds for the items decoded
    std::size_t skip_depth_ = 0;
};

PAGED_HTTP_INLINE void scan_page(scanned_page& page, const nlohmann::json::json_pointer& at, digest_items digest,
                                 element_sink& sink) {
    page_scanner scanner(page, at, digest, sink);
    if (!sax_parse_json(page.raw.body, &scanner)) bad_body(page.raw, scanner.problem());
    scanner.finish();
}

}  // namespace paged::http::detail
