#pragma once
// The record every macro benchmark decodes, paged and the hand-written loop alike, so that both pay for the same
// conversion. Its fields mirror what bench/nginx/make_pages.py writes (about 150 bytes of JSON each): an email longer
// than the small-string buffer costs a heap block per record, as real API records do.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace paged_bench {

struct record {
    std::uint64_t id = 0;
    std::string name;
    std::string email;
    std::string created_at;
    bool active = false;
    double balance = 0;
};

// Found by ADL: nlohmann's get<record>() and paged's items decoding both come here.
inline void from_json(const nlohmann::json& in, record& out) {
    in.at("id").get_to(out.id);
    in.at("name").get_to(out.name);
    in.at("email").get_to(out.email);
    in.at("created_at").get_to(out.created_at);
    in.at("active").get_to(out.active);
    in.at("balance").get_to(out.balance);
}

}  // namespace paged_bench
