#pragma once
// Starts a real etcd (Debian's etcd-server) for a test: a fresh data
// directory, free 127.0.0.1 client and peer ports, a single-member cluster.
// It can be paused (SIGSTOP, as a stalled disk would), killed and started
// again on the same data. The process never outlives the test object.
// Owned by one test, on the test's thread.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>

namespace strata::test {

class etcd_process {
public:
    // `also_on`: a second address its client port listens on (an
    // isolated_network's gateway), which endpoint() then names.
    explicit etcd_process(std::string also_on = {});
    ~etcd_process();
    etcd_process(const etcd_process&) = delete;
    etcd_process& operator=(const etcd_process&) = delete;

    void start();
    void stop();
    void pause();
    void resume();

    // "http://127.0.0.1:port" (or the `also_on` address), for metadata.etcd.endpoints.
    std::string endpoint() const {
        return "http://" + (also_on_.empty() ? std::string("127.0.0.1") : also_on_) + ":" + std::to_string(client_port_);
    }
    uint16_t client_port() const { return client_port_; }
    const std::string& log_file() const { return log_file_; }

private:
    std::string also_on_;
    std::string dir_;
    std::string log_file_;
    uint16_t client_port_ = 0;
    uint16_t peer_port_ = 0;
    pid_t pid_ = -1;
};

} // namespace strata::test
