// paged::redis as an installed component: its header and hiredis come with the target. No server listens on port 1,
// so making a budget fails through hiredis with paged::redis::error naming the address: proof that both are linked.
#include <paged/redis/rate_limiter.hpp>

#include <cstdio>
#include <string>

int main() {
    try {
        paged::redis::rate_limiter budget("127.0.0.1", 1, "paged:consumer", 10.0, 1);
    } catch (const paged::redis::error& e) {
        const bool named = std::string(e.what()).find("127.0.0.1:1") != std::string::npos;
        std::printf("redis component: %s\n", e.what());
        return named ? 0 : 1;
    }
    std::printf("redis component: connected to a port where nothing should listen\n");
    return 1;
}
