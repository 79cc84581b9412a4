#pragma once
// Starts tests/support/paged_server.py on a free port of 127.0.0.1 for the lifetime of this object (integration
// tests, demo), and reads its counters. POSIX only. The server also exits by itself if this process dies.

#include <nlohmann/json.hpp>

#include <curl/curl.h>

#include <csignal>
#include <cstdio>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace paged_test {

class local_server {
public:
    // `tls`: HTTPS with a self-signed certificate (see paged_server.py --tls).
    explicit local_server(const std::string& script, std::size_t records = 20'000, bool tls = false) : tls_(tls) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("local_server: pipe failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        const std::string count = std::to_string(records);
        if (tls) cert_file_ = "/tmp/paged-test-cert-" + std::to_string(getpid()) + "-" + std::to_string(++instances()) + ".pem";
        const char* argv[] = {"python3",    script.c_str(),     "--records", count.c_str(),
                              tls ? "--tls" : nullptr, "--cert-file", cert_file_.c_str(), nullptr};
        const int failed = posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        if (failed != 0) {
            close(out[0]);
            throw std::runtime_error("local_server: cannot start python3 " + script);
        }
        // Its first line, "listening on <port>", says it is ready.
        FILE* output = fdopen(out[0], "r");
        char line[128] = {};
        const bool ready = output != nullptr && std::fgets(line, sizeof line, output) != nullptr &&
                           std::sscanf(line, "listening on %d", &port_) == 1;
        if (output != nullptr) std::fclose(output);
        if (!ready) {
            stop();
            throw std::runtime_error("local_server: " + script + " did not start");
        }
    }
    local_server(const local_server&) = delete;
    local_server& operator=(const local_server&) = delete;
    ~local_server() { stop(); }

    int port() const noexcept { return port_; }
    // With tls: the server's self-signed certificate (PEM), for client_options::ca_file.
    const std::string& cert_file() const noexcept { return cert_file_; }
    std::string url(const std::string& path_and_query) const {
        return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + path_and_query;
    }

    // {"endpoints": {"/offset": {"requests": n, "connections": m}, ...}, "max_in_flight": k}, read with a plain
    // blocking libcurl call so that the client under test is not involved.
    nlohmann::json stats() const { return nlohmann::json::parse(get("/stats")); }
    void reset() const { (void)get("/reset"); }
    // Installs a fault plan for one endpoint (see /faults in paged_server.py).
    void faults(const nlohmann::json& plan) const {
        char* escaped = curl_easy_escape(nullptr, plan.dump().c_str(), 0);
        const std::string query(escaped);
        curl_free(escaped);
        const auto answer = nlohmann::json::parse(get("/faults?plan=" + query));
        if (!answer.value("installed", false)) throw std::runtime_error("local_server: plan refused: " + answer.dump());
    }

    // The body of a GET of `path` (a control endpoint such as /live/insert), by a plain blocking libcurl call.
    std::string get(const std::string& path) const {
        CURL* easy = curl_easy_init();
        std::string body;
        const std::string target = url(path);
        curl_easy_setopt(easy, CURLOPT_URL, target.c_str());
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t, std::size_t n, void* out) {
            static_cast<std::string*>(out)->append(data, n);
            return n;
        });
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
        const CURLcode result = curl_easy_perform(easy);
        curl_easy_cleanup(easy);
        if (result != CURLE_OK) throw std::runtime_error("local_server: GET " + target + ": " + curl_easy_strerror(result));
        return body;
    }

private:
    static int& instances() {
        static int count = 0;
        return count;
    }

    void stop() noexcept {
        if (!cert_file_.empty()) std::remove(cert_file_.c_str());
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
    }

    bool tls_;
    std::string cert_file_;
    pid_t pid_ = 0;
    int port_ = 0;
};

}  // namespace paged_test
