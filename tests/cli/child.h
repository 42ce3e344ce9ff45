// Runs the real `wangge` binary as a child process for the CLI tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace wangge::cli {

struct Child {
  pid_t pid = -1;
  int in = -1, err = -1;  // our ends of its stdin and stderr
};

// Starts `wangge args…` with extra environment; its stdin is a pipe from us, its stdout and
// stderr one pipe to us.
inline Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int in[2], err[2];
  EXPECT_EQ(pipe(in), 0);
  EXPECT_EQ(pipe(err), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(err[1], 2);
    dup2(err[1], 1);
    // Only 0, 1 and 2 go on: a child that kept the write end of its own stdin would never
    // read the end of it.
    for (int fd : {in[0], in[1], err[0], err[1]}) close(fd);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv{const_cast<char*>(WANGGE_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(WANGGE_BIN, argv.data());
    _exit(127);
  }
  close(in[0]);
  close(err[1]);
  return {pid, in[1], err[0]};
}

// Reads the child's stderr until `marker` appears (or the pipe closes); returns what was read.
inline std::string read_until(int fd, const std::string& marker) {
  std::string got;
  char buf[512];
  while (got.find(marker) == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

inline int finish(Child& c) {
  close(c.in);
  read_until(c.err, "\x01never");
  close(c.err);
  int status = 0;
  waitpid(c.pid, &status, 0);
  return status;
}

// Runs to the end with `input` written to the child's standard input first (then closed);
// returns the exit status (waitpid form) and what it printed.
inline std::pair<int, std::string> run_with_input(const std::vector<std::string>& args,
                                                  const std::vector<std::string>& env,
                                                  const std::string& input) {
  Child c = spawn(args, env);
  if (!input.empty()) {
    EXPECT_EQ(write(c.in, input.data(), input.size()), ssize_t(input.size()));
  }
  close(c.in);
  std::string out = read_until(c.err, "\x01never");
  close(c.err);
  int status = 0;
  waitpid(c.pid, &status, 0);
  return {status, out};
}

// run_with_input() with nothing on standard input.
inline std::pair<int, std::string> run(const std::vector<std::string>& args,
                                       const std::vector<std::string>& env) {
  return run_with_input(args, env, "");
}

}  // namespace wangge::cli
