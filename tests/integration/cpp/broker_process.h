#pragma once
// Starts the real build/strata binary for a test: a fresh data directory, a
// free 127.0.0.1 port, and helpers to stop it cleanly, kill -9 it and start
// it again on the same data. The process never outlives the test object.
//
// At the end (the destructor) a running broker is stopped with SIGTERM, so
// that a sanitizer build runs its exit-time checks (LeakSanitizer), and the
// current test fails when it then exits non-zero or when its log holds a
// sanitizer report from any of its runs, kill -9'd ones included. Owned by
// one test (or one test suite), on the test's thread.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "child_process.h"
#include "raw_client.h"

namespace strata::test {

// Where a broker runs: on the test's loopback, or as a host of an isolated_network.
struct broker_host {
    std::string address = "127.0.0.1";
    std::string network_namespace;  // a path for spawn_logged; empty: the test's own
};

class broker_process {
public:
    // `overrides` are extra --override key=value settings; "{port}" in one
    // stands for port(), e.g. to list a second listener beside it. Every
    // listener binds to `host`'s address.
    explicit broker_process(std::vector<std::string> overrides = {}, broker_host host = {});
    // Only spawned, not waited for (spawn()): for a test of what a broker
    // does before it serves.
    struct spawned_only {};
    broker_process(std::vector<std::string> overrides, spawned_only);
    ~broker_process();
    broker_process(const broker_process&) = delete;
    broker_process& operator=(const broker_process&) = delete;

    // Spawns the broker and waits until it serves (it logged that it started
    // and its Kafka port accepts connections); throws if it exits first.
    void start();
    // Spawns the broker without waiting.
    void spawn();
    // SIGTERM and wait for the exit, SIGKILL after `timeout_s`; returns the
    // exit status (128 + signal when killed by one).
    int stop(int timeout_s = 120);
    // SIGKILL: a crash, as far as the data directory can tell.
    void kill9();
    // Open-file limits for the next start() (zeros: the test's own).
    void set_open_file_limit(rlim_t soft, rlim_t hard) { open_files_ = {soft, hard}; }
    // SIGSTOP / SIGCONT: a broker that stops answering, as in a long GC
    // pause, and comes back.
    void pause();
    void resume();
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    // Resident memory of the running broker (VmRSS), in KiB; -1 if unknown.
    long rss_kib() const { return status_kib("VmRSS"); }
    // Its private writable address space (VmData), in KiB: unlike RSS it
    // counts memory allocated but never touched.
    long vm_data_kib() const { return status_kib("VmData"); }
    // Keeps the broker's log after the test (for a test that failed).
    void keep_log() { keep_log_ = true; }
    // Lines of the broker's log (all its runs) that contain `text`.
    size_t log_lines_containing(const std::string& text) const;

    std::string bootstrap() const { return host_.address + ":" + std::to_string(port_); }
    broker_address address() const { return {host_.address, port_}; }
    uint16_t port() const { return port_; }
    uint16_t metrics_port() const { return metrics_port_; }
    uint16_t registry_port() const { return registry_port_; }
    const std::string& data_dir() const { return data_dir_; }
    const std::string& log_file() const { return log_file_; }

private:
    long status_kib(const char* field) const;

    std::vector<std::string> overrides_;
    broker_host host_;
    std::string data_dir_;
    std::string log_file_;
    uint16_t port_ = 0;
    uint16_t metrics_port_ = 0;
    uint16_t registry_port_ = 0;
    pid_t pid_ = -1;
    open_file_limit open_files_;
    bool keep_log_ = false;
};

// A port nothing listens on right now.
uint16_t free_port();
// `n` distinct free ports on 127.0.0.1.
std::vector<uint16_t> free_ports(size_t n);

// The size of the log at `path` (0 if there is none yet): where a start's lines begin.
uintmax_t log_size(const std::string& path);
// Whether a process logged, after the first `from` bytes of its log, that a
// port it was to listen on was taken: free_ports() releases what it picks, so
// a test running beside can take a port first, and the caller picks again.
bool port_taken_since(const std::string& log_path, uintmax_t from);

// Polls `done` every `poll` until it holds (true) or `timeout` passed (false):
// for conditions the broker reaches in its own time, without timed assertions.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(200));

// The first sanitizer report in the log at `path` (AddressSanitizer,
// LeakSanitizer, UndefinedBehaviorSanitizer, ThreadSanitizer) with the lines
// after it; empty when there is none.
std::string sanitizer_report(const std::string& path);

} // namespace strata::test
