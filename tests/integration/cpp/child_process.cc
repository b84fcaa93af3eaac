#include "child_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace strata::test {

pid_t spawn_logged(std::vector<std::string> args, const std::string& log_file, open_file_limit limit,
                   const std::string& network_namespace) {
    // Built before fork(): the child of a threaded process may not allocate.
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int netns = network_namespace.empty() ? -1 : ::open(network_namespace.c_str(), O_RDONLY | O_CLOEXEC);
    if (!network_namespace.empty() && netns < 0)
        throw std::runtime_error("cannot open network namespace " + network_namespace);
    pid_t pid = ::fork();
    if (pid == 0) {
        if (netns >= 0 && ::setns(netns, CLONE_NEWNET) != 0) ::_exit(126);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // A process group of its own: the kernel sends SIGHUP to stopped
        // members of an orphaned group (as the test's may be under ctest),
        // which would end a paused server instead of leaving it stopped.
        ::setpgid(0, 0);
        if (limit.hard != 0) {
            rlimit l{limit.soft, limit.hard};
            ::setrlimit(RLIMIT_NOFILE, &l);
        }
        FILE* log = ::freopen(log_file.c_str(), "a", stderr);
        (void)log;
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (netns >= 0) ::close(netns);
    return pid;
}

void kill_and_reap(pid_t& pid) {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    int status;
    ::waitpid(pid, &status, 0);
    pid = -1;
}

void pause_process(pid_t pid) {
    if (pid > 0) ::kill(pid, SIGSTOP);
}

void resume_process(pid_t pid) {
    if (pid > 0) ::kill(pid, SIGCONT);
}

} // namespace strata::test
