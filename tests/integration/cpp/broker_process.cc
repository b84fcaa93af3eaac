#include "broker_process.h"

#include "child_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace strata::test {

std::vector<uint16_t> free_ports(size_t n) {
    // Every socket stays bound until all are chosen: a port closed at once
    // can be handed out again, and two listeners on one port stop a broker.
    std::vector<int> held;
    std::vector<uint16_t> ports;
    for (size_t i = 0; i < n; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        held.push_back(fd);
        ports.push_back(ntohs(addr.sin_port));
    }
    for (int fd : held) ::close(fd);
    return ports;
}

uint16_t free_port() { return free_ports(1).front(); }

namespace {

bool accepts_connections(const broker_address& at) {
    int fd = connect_to(at);
    if (fd >= 0) ::close(fd);
    return fd >= 0;
}

std::string binary_path() {
    if (const char* p = std::getenv("STRATA_BINARY")) return p;
    return "build/strata";
}

// The last `lines` lines of the file at `path`.
std::string log_tail(const std::string& path, size_t lines = 40) {
    std::ifstream in(path);
    std::deque<std::string> last;
    for (std::string line; std::getline(in, line);) {
        last.push_back(std::move(line));
        if (last.size() > lines) last.pop_front();
    }
    std::string out;
    for (const auto& l : last) out += l + "\n";
    return out;
}

// Whether the file at `path` holds `needle` after its first `from` bytes.
bool logged_since(const std::string& path, uintmax_t from, const std::string& needle) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(std::streamoff(from));
    std::string rest((std::istreambuf_iterator<char>(in)), {});
    return rest.find(needle) != std::string::npos;
}

} // namespace

uintmax_t log_size(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

bool port_taken_since(const std::string& log_path, uintmax_t from) {
    // The broker logs the system's message; etcd (Go) spells it in lower case.
    return logged_since(log_path, from, "Address already in use") ||
           logged_since(log_path, from, "address already in use");
}

std::string sanitizer_report(const std::string& path) {
    // What each sanitizer prints first; UBSan's line is "file:line:col: runtime error: ...".
    static const char* const markers[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                                          "WARNING: ThreadSanitizer"};
    constexpr size_t excerpt_lines = 80;
    std::ifstream in(path);
    std::string report;
    size_t taken = 0;
    for (std::string line; std::getline(in, line);) {
        if (taken == 0) {
            bool hit = false;
            for (const char* m : markers) hit = hit || line.find(m) != std::string::npos;
            if (!hit) continue;
        }
        report += line + "\n";
        if (++taken == excerpt_lines) break;
    }
    return report;
}

namespace {

// A fresh directory holding the broker's data directory and log.
std::string make_broker_dir() {
    char tmpl[] = "/tmp/strata-it-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

} // namespace

broker_process::broker_process(std::vector<std::string> overrides, spawned_only)
    : overrides_(std::move(overrides)) {
    const std::string dir = make_broker_dir();
    data_dir_ = dir + "/data";
    log_file_ = dir + "/broker.log";
    const auto ports = free_ports(3);
    port_ = ports[0];
    metrics_port_ = ports[1];
    registry_port_ = ports[2];
    spawn();
}

broker_process::broker_process(std::vector<std::string> overrides, broker_host host)
    : overrides_(std::move(overrides)), host_(std::move(host)) {
    const std::string dir = make_broker_dir();
    data_dir_ = dir + "/data";
    log_file_ = dir + "/broker.log";
    // free_ports() has released its picks by the time the broker binds them,
    // so a test running beside this one can take one first; the broker then
    // exits at start-up, and a fresh set of ports is tried.
    constexpr int attempts = 5;
    for (int attempt = 1;; ++attempt) {
        const auto ports = free_ports(3);
        port_ = ports[0];
        metrics_port_ = ports[1];
        registry_port_ = ports[2];
        const auto log_start = log_size(log_file_);
        try {
            start();
            return;
        } catch (...) {
            if (attempt < attempts && pid_ <= 0 && port_taken_since(log_file_, log_start)) continue;
            // No destructor runs for a constructor that throws.
            std::error_code ec;
            std::filesystem::remove_all(std::filesystem::path(data_dir_).parent_path(), ec);
            throw;
        }
    }
}

broker_process::~broker_process() {
    bool failed = false;
    if (pid_ > 0) {
        // A clean stop, not SIGKILL: LeakSanitizer only runs at exit, and a
        // broker that cannot shut down cleanly is a failure too.
        int status = stop();
        if (status != 0) {
            ADD_FAILURE() << "strata exited with status " << status << " when stopped at the end of the test; "
                          << log_file_ << " ends:\n" << log_tail(log_file_);
            failed = true;
        }
    }
    if (auto report = sanitizer_report(log_file_); !report.empty()) {
        ADD_FAILURE() << "sanitizer report in " << log_file_ << ":\n" << report;
        failed = true;
    }
    // The log stays for diagnosis when something was wrong.
    std::error_code ec;
    if (failed || keep_log_)
        std::filesystem::remove_all(data_dir_, ec);
    else
        std::filesystem::remove_all(std::filesystem::path(data_dir_).parent_path(), ec);
}

void broker_process::spawn() {
    const std::string& at = host_.address;
    std::vector<std::string> args{binary_path(),
                                  "--override", "log.dirs=" + data_dir_,
                                  "--override", "listeners=PLAINTEXT://" + at + ":" + std::to_string(port_),
                                  "--override", "advertised.listeners=PLAINTEXT://" + at + ":" + std::to_string(port_),
                                  "--override", "admin.listeners=http://" + at + ":" + std::to_string(metrics_port_),
                                  "--override",
                                  "schema.registry.listeners=http://" + at + ":" + std::to_string(registry_port_)};
    for (auto o : overrides_) {
        // "{port}" is the Kafka port chosen here, for overrides that add listeners beside it.
        for (auto at = o.find("{port}"); at != std::string::npos; at = o.find("{port}"))
            o.replace(at, 6, std::to_string(port_));
        args.push_back("--override");
        args.push_back(o);
    }
    pid_ = spawn_logged(std::move(args), log_file_, open_files_, host_.network_namespace);
}

void broker_process::start() {
    const auto log_start = log_size(log_file_);
    spawn();
    // Generous: recovery after kill -9 of a sanitizer build on a loaded CI
    // machine takes a while. The Kafka port listens first; the broker logs
    // that it started once the metrics and registry ports listen too.
    for (int i = 0; i < 1200; ++i) {
        if (logged_since(log_file_, log_start, " started (cluster ") && accepts_connections(address())) return;
        int status;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("strata exited at start-up; " + log_file_ + " ends:\n" + log_tail(log_file_));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill9();
    throw std::runtime_error("strata did not start within 60 s; " + log_file_ + " ends:\n" +
                             log_tail(log_file_));
}

int broker_process::stop(int timeout_s) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGCONT);  // a paused broker must run to see it
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    for (;;) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) break;
        if (r < 0) {
            pid_ = -1;
            return -1;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void broker_process::kill9() { kill_and_reap(pid_); }

void broker_process::pause() { pause_process(pid_); }

void broker_process::resume() { resume_process(pid_); }

long broker_process::status_kib(const char* field) const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    const std::string prefix = std::string(field) + ":";
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
    return -1;
}

size_t broker_process::log_lines_containing(const std::string& text) const {
    std::ifstream in(log_file_);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line))
        if (line.find(text) != std::string::npos) ++n;
    return n;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(poll);
    }
}

} // namespace strata::test
