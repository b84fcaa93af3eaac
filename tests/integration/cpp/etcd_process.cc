#include "etcd_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "broker_process.h"
#include "child_process.h"
#include "http_client.h"

namespace strata::test {

etcd_process::etcd_process(std::string also_on) : also_on_(std::move(also_on)) {
    char tmpl[] = "/tmp/strata-etcd-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    log_file_ = dir_ + "/etcd.log";
    constexpr int attempts = 5;
    for (int attempt = 1;; ++attempt) {
        const auto ports = free_ports(2);
        client_port_ = ports[0];
        peer_port_ = ports[1];
        const auto log_start = log_size(log_file_);
        try {
            start();
            return;
        } catch (...) {
            // A port taken by a test running beside (see port_taken_since).
            std::error_code ec;
            if (attempt < attempts && pid_ <= 0 && port_taken_since(log_file_, log_start)) {
                // A member's data records its peer address, which changes now.
                std::filesystem::remove_all(dir_ + "/data", ec);
                continue;
            }
            kill_and_reap(pid_);
            std::filesystem::remove_all(dir_, ec);
            throw;
        }
    }
}

etcd_process::~etcd_process() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void etcd_process::start() {
    std::string client = "http://127.0.0.1:" + std::to_string(client_port_);
    if (!also_on_.empty()) client = endpoint() + "," + client;
    const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
    std::vector<std::string> args{"etcd",
                                  "--name", "strata-test",
                                  "--data-dir", dir_ + "/data",
                                  "--listen-client-urls", client,
                                  "--advertise-client-urls", client,
                                  "--listen-peer-urls", peer,
                                  "--initial-advertise-peer-urls", peer,
                                  "--initial-cluster", "strata-test=" + peer,
                                  // No fsync per write: tests restart etcd, they never power it off.
                                  "--unsafe-no-fsync"};
    pid_ = spawn_logged(std::move(args), log_file_);
    // Ready when the gateway answers a read (a leader is elected).
    bool ready = wait_until(
        [&] {
            int status;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("etcd exited at start-up (is etcd-server installed?); see " + log_file_);
            }
            auto r = http_request(client_port_, "POST", "/v3/kv/range", R"({"key":"AA=="})", "application/json");
            return r.starts_with("HTTP/1.1 200") || r.starts_with("HTTP/1.0 200");
        },
        std::chrono::seconds(30), std::chrono::milliseconds(50));
    if (!ready) throw std::runtime_error("etcd did not start within 30 s; see " + log_file_);
}

void etcd_process::stop() { kill_and_reap(pid_); }

void etcd_process::pause() { pause_process(pid_); }

void etcd_process::resume() { resume_process(pid_); }

} // namespace strata::test
