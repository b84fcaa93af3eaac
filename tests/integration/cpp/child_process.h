#pragma once
// The process plumbing the test harnesses share: start a server with its
// stderr appended to a log file, tied to the test process's life, and end it.

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace strata::test {

// Open-file limits for a child (RLIMIT_NOFILE); zero leaves the test's own.
struct open_file_limit {
    rlim_t soft = 0;
    rlim_t hard = 0;
};

// Forks and execs `args` (args[0] looked up on PATH when it has no slash)
// with stderr appended to `log_file`; the child dies with the test process.
// With `network_namespace` (a path such as /run/netns/name) the child joins
// that network namespace before exec: a host of an isolated_network.
pid_t spawn_logged(std::vector<std::string> args, const std::string& log_file, open_file_limit limit = {},
                   const std::string& network_namespace = {});

// SIGKILL and reap; `pid` becomes -1. Nothing when it is not positive.
void kill_and_reap(pid_t& pid);

// SIGSTOP / SIGCONT, for a process that stalls and comes back.
void pause_process(pid_t pid);
void resume_process(pid_t pid);

} // namespace strata::test
