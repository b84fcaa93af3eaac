#include "member_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace strata::test {
namespace {

// Built next to the test binary (tests/integration/CMakeLists.txt).
std::string member_binary() {
    return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "rdkafka_group_member").string();
}

} // namespace

member_process::member_process(std::string name, const std::string& bootstrap, const std::string& group,
                               const std::string& topic, const std::string& assignor, int session_timeout_ms)
    : name_(std::move(name)) {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args{member_binary(), bootstrap, group, topic, assignor, std::to_string(session_timeout_ms)};
    // Built before fork(): the child of a threaded process may not allocate.
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test, whatever happens to it
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::close(in[0]);
        ::close(in[1]);
        ::close(out[0]);
        ::close(out[1]);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    reader_ = std::thread([this] { read_lines(); });
}

member_process::~member_process() {
    kill9();
    if (reader_.joinable()) reader_.join();
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

void member_process::send(const std::string& command) {
    std::string line = command + "\n";
    if (::write(stdin_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        throw std::runtime_error(name_ + ": could not send " + command);
    }
}

void member_process::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

int member_process::wait(int timeout_ms) {
    if (pid_ <= 0) return -1;
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
}

void member_process::read_lines() {
    std::string buffer;
    char chunk[65536];
    for (ssize_t n; (n = ::read(stdout_fd_, chunk, sizeof(chunk))) > 0;) {
        buffer.append(chunk, static_cast<size_t>(n));
        size_t start = 0;
        for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
            std::istringstream line(buffer.substr(start, nl - start));
            char kind = 0;
            line >> kind;
            std::lock_guard lock(mu_);
            if (kind == 'R') {
                consumed_record r;
                if (line >> r.partition >> r.offset >> r.number) records_.push_back(r);
            } else if (kind == 'A') {
                assignment_.clear();
                std::string list;
                line >> list;
                std::istringstream parts(list);
                for (std::string p; std::getline(parts, p, ',');) assignment_.insert(std::stoi(p));
            } else if (kind == 'K') {
                holding_ = true;
            } else if (kind == 'H') {
                ++held_;
            } else if (kind == 'U') {
                refused_range r;
                if (line >> r.partition >> r.from >> r.to) refused_.push_back(r);
            } else if (kind == 'E') {
                errors_.push_back(buffer.substr(start, nl - start));
            }
        }
        buffer.erase(0, start);  // a line cut short by a SIGKILL never completes: dropped
    }
}

std::vector<consumed_record> member_process::records() const {
    std::lock_guard lock(mu_);
    return records_;
}

bool member_process::commit_refused(const consumed_record& r) const {
    std::lock_guard lock(mu_);
    for (const auto& u : refused_)
        if (u.partition == r.partition && r.offset >= u.from && r.offset < u.to) return true;
    return false;
}

size_t member_process::consumed() const {
    std::lock_guard lock(mu_);
    return records_.size();
}

std::set<int32_t> member_process::assignment() const {
    std::lock_guard lock(mu_);
    return assignment_;
}

int member_process::held() const {
    std::lock_guard lock(mu_);
    return held_;
}

bool member_process::holding() const {
    std::lock_guard lock(mu_);
    return holding_;
}

std::vector<std::string> member_process::errors() const {
    std::lock_guard lock(mu_);
    return errors_;
}

std::string member_process::describe() const {
    std::lock_guard lock(mu_);
    std::string s = name_ + "{consumed=" + std::to_string(records_.size()) + ", assignment=[";
    for (int32_t p : assignment_) s += std::to_string(p) + " ";
    s += "], held=" + std::to_string(held_);
    for (const auto& e : errors_) s += ", " + e;
    return s + "}";
}

} // namespace strata::test
