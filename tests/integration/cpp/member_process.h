#pragma once
// A consumer-group member running as a process of its own (rdkafka_group_member),
// driven by a test: commands go to its stdin, and a reader thread turns the
// lines it prints into a ledger of what it consumed and owns. Owned by one
// test; the ledger is read from the test thread, under the member's mutex.

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace strata::test {

struct consumed_record {
    int32_t partition = 0;
    int64_t offset = 0;
    int64_t number = 0;
};

class member_process {
public:
    member_process(std::string name, const std::string& bootstrap, const std::string& group, const std::string& topic,
                   const std::string& assignor, int session_timeout_ms);
    ~member_process();
    member_process(const member_process&) = delete;
    member_process& operator=(const member_process&) = delete;

    void send(const std::string& command);
    // SIGKILL: a crash, not a close.
    void kill9();
    // Waits for the process to exit; returns its exit status (-1 when it did not within the time).
    int wait(int timeout_ms);

    const std::string& name() const { return name_; }
    std::vector<consumed_record> records() const;
    // Whether the broker refused the commit that would have covered `r`
    // (REBALANCE_IN_PROGRESS / ILLEGAL_GENERATION during a rebalance).
    bool commit_refused(const consumed_record& r) const;
    size_t consumed() const;
    std::set<int32_t> assignment() const;
    int held() const;
    bool holding() const;
    std::vector<std::string> errors() const;
    std::string describe() const;

private:
    void read_lines();

    std::string name_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    std::thread reader_;
    mutable std::mutex mu_;
    std::vector<consumed_record> records_;
    struct refused_range {
        int32_t partition = 0;
        int64_t from = 0;
        int64_t to = 0;
    };
    std::vector<refused_range> refused_;
    std::set<int32_t> assignment_;
    int held_ = 0;
    bool holding_ = false;
    std::vector<std::string> errors_;
};

} // namespace strata::test
