#pragma once
// Instrumented objects for tests: what was built, copied, moved and destroyed, and in which order.

#include <string>
#include <utility>
#include <vector>

namespace paged_test {

// Records "+name" on construction and "-name" on destruction.
class lifetime_log {
public:
    void add(std::string event) { events_.push_back(std::move(event)); }
    const std::vector<std::string>& events() const noexcept { return events_; }
    long count(const std::string& event) const {
        long n = 0;
        for (const auto& e : events_) n += (e == event);
        return n;
    }

private:
    std::vector<std::string> events_;
};

class scoped_probe {
public:
    scoped_probe(lifetime_log& log, std::string name) : log_(&log), name_(std::move(name)) { log_->add("+" + name_); }
    scoped_probe(const scoped_probe&) = delete;
    scoped_probe& operator=(const scoped_probe&) = delete;
    ~scoped_probe() { log_->add("-" + name_); }

private:
    lifetime_log* log_;
    std::string name_;
};

// Counts copies and moves of a value.
struct copy_counter {
    int copies = 0;
    int moves = 0;
};

class counted {
public:
    counted(copy_counter& counter, int value) noexcept : counter_(&counter), value_(value) {}
    counted(const counted& other) noexcept : counter_(other.counter_), value_(other.value_) { ++counter_->copies; }
    counted(counted&& other) noexcept : counter_(other.counter_), value_(other.value_) { ++counter_->moves; }
    counted& operator=(const counted& other) noexcept {
        counter_ = other.counter_;
        value_ = other.value_;
        ++counter_->copies;
        return *this;
    }
    counted& operator=(counted&& other) noexcept {
        counter_ = other.counter_;
        value_ = other.value_;
        ++counter_->moves;
        return *this;
    }
    ~counted() = default;
    int value() const noexcept { return value_; }

private:
    copy_counter* counter_;
    int value_;
};

}  // namespace paged_test
