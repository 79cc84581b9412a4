#pragma once
// host_slots.hpp's definitions: included by host_slots.hpp (header-only, the default), or compiled once by
// paged/http/impl/src.hpp under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp).

#include <paged/http/detail/host_slots.hpp>

#include <algorithm>
#include <coroutine>
#include <string>

namespace paged::http::detail {

PAGED_HTTP_INLINE host_slots::acquire_operation::~acquire_operation() {
    if (owner_->limit_ == 0 || taken_) return;
    auto& state = owner_->origins_[origin_];
    if (granted_) {
        owner_->loop_->disarm(*this);
        owner_->release(origin_);
    } else {
        std::erase(state.waiting, this);
    }
}

PAGED_HTTP_INLINE bool host_slots::acquire_operation::await_ready() {
    if (owner_->limit_ == 0) return true;
    auto& state = owner_->origins_[origin_];
    if (state.in_use < owner_->limit_ && state.waiting.empty()) {
        ++state.in_use;
        granted_ = true;
        return true;
    }
    return false;
}

PAGED_HTTP_INLINE void host_slots::acquire_operation::await_suspend(std::coroutine_handle<> waiting) {
    timer_node::waiter = waiting;
    owner_->origins_[origin_].waiting.push_back(this);
}

PAGED_HTTP_INLINE host_slots::permit host_slots::acquire_operation::await_resume() {
    if (owner_->limit_ == 0) return permit();
    taken_ = true;
    return permit(owner_, origin_);
}

PAGED_HTTP_INLINE void host_slots::acquire_operation::grant() {
    granted_ = true;
    owner_->loop_->arm(*this, owner_->loop_->clock().now());
}

PAGED_HTTP_INLINE void host_slots::release(const std::string& origin) noexcept {
    auto& state = origins_[origin];
    if (state.waiting.empty()) {
        --state.in_use;
        return;
    }
    acquire_operation* next = state.waiting.front();
    state.waiting.pop_front();
    next->grant();
}

}  // namespace paged::http::detail
