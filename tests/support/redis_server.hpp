#pragma once
// Starts a throwaway redis-server (Debian's redis-server package) on a free port of 127.0.0.1 for the lifetime of this
// object: no persistence, nothing written to disk. POSIX only. Stopped by PID (SIGTERM, then waited for).

#include <hiredis/hiredis.h>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace paged_test {

// A port of 127.0.0.1 that nothing listens on right now (the kernel's pick for port 0). Another process may take it
// before it is used: redis_server retries with a new one.
inline int free_loopback_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("free_loopback_port: socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
    close(fd);
    if (!bound) throw std::runtime_error("free_loopback_port: bind failed");
    return ntohs(address.sin_port);
}

class redis_server {
public:
    redis_server() {
        for (int attempt = 0; attempt < 5; ++attempt) {
            port_ = free_loopback_port();
            if (start()) return;
        }
        throw std::runtime_error("redis_server: redis-server did not start (is Debian's redis-server installed?)");
    }
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;
    ~redis_server() { stop(); }

    int port() const noexcept { return port_; }

    // One command on a fresh connection, for tests that set up or inspect keys behind the limiter's back.
    std::string command(const std::string& text) const {
        redisContext* context = redisConnect("127.0.0.1", port_);
        if (context == nullptr || context->err != 0) {
            if (context != nullptr) redisFree(context);
            throw std::runtime_error("redis_server: cannot connect");
        }
        auto* answer = static_cast<redisReply*>(redisCommand(context, text.c_str()));
        std::string result = "(no reply)";
        if (answer != nullptr) {
            if (answer->str != nullptr) result.assign(answer->str, answer->len);
            else if (answer->type == REDIS_REPLY_INTEGER) result = std::to_string(answer->integer);
            else result = "";
            freeReplyObject(answer);
        }
        redisFree(context);
        return result;
    }

private:
    bool start() {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        const std::string port = std::to_string(port_);
        const char* argv[] = {"redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", nullptr};
        const int failed = posix_spawnp(&pid_, "redis-server", &actions, nullptr, const_cast<char**>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (failed != 0) {
            pid_ = 0;
            throw std::runtime_error("redis_server: cannot run redis-server (is Debian's redis-server installed?)");
        }
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < give_up) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: most likely the port was taken meanwhile
                pid_ = 0;
                return false;
            }
            if (answers_ping()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        stop();
        return false;
    }

    bool answers_ping() const {
        const timeval limit{0, 200'000};
        redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, limit);
        bool pong = false;
        if (context != nullptr && context->err == 0) {
            auto* answer = static_cast<redisReply*>(redisCommand(context, "PING"));
            pong = answer != nullptr && answer->type == REDIS_REPLY_STATUS && std::string(answer->str) == "PONG";
            if (answer != nullptr) freeReplyObject(answer);
        }
        if (context != nullptr) redisFree(context);
        return pong;
    }

    void stop() noexcept {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
    }

    pid_t pid_ = 0;
    int port_ = 0;
};

}  // namespace paged_test
