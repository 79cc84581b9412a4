#pragma once
// paged::request_budget: what a client spends before each request (client_options().limiter(...)).
//
// It is virtual, not a template parameter of the client, because one client type serves budgets kept anywhere: in
// this process (paged::rate_limiter, shared by threads) or on a server shared by processes and machines
// (paged::redis::rate_limiter). The cost, one coroutine frame and one indirect call per request, is nothing beside a
// request.

#include <paged/task.hpp>

namespace paged {

class request_budget {
public:
    virtual ~request_budget() = default;

    // Resumes the awaiting coroutine once one request may be sent. Destroying that coroutine while it waits cancels the
    // wait; whether the reserved token comes back is the budget's own business (a local one can give it back).
    virtual task<void> take() = 0;

protected:
    request_budget() = default;
    request_budget(const request_budget&) = default;
    request_budget& operator=(const request_budget&) = default;
};

}  // namespace paged
