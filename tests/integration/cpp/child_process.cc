#include "child_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace strata::test {

pid_t spawn_logged(std::vector<std::string> args, const std::string& log_file, open_file_limit limit) {
    // Built before fork(): the child of a threaded process may not allocate.
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
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
