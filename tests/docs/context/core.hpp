#pragma once
// For fragments about the core: a stream of records and what is done with them. Declared only: fragments are compiled,
// never linked.

#include <paged/paged.hpp>

#include <cstdint>

namespace paged_docs::core {

struct record {
    std::uint64_t id = 0;
    bool active = false;
};

paged::async_generator<record> records();
extern paged::async_generator<record> gen;
bool is_active(const record& r);
bool below_limit(std::uint64_t id);
void use(const record& r);

}  // namespace paged_docs::core
