// The real `wangge` binary as a child of the crash tests: `wangge serve` started on a free port
// and killed with SIGKILL, and the one-shot commands (audit verify, report) run to the end.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wangge::crash {

// `wangge args…` with extra environment ("NAME=value"), its stdout and stderr read by a thread
// of ours (so the child never blocks on a full pipe).
class Process {
 public:
  Process(const std::vector<std::string>& args, const std::vector<std::string>& env);
  ~Process();  // SIGKILL when still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Waits until `wangge serve` prints the line that says it is serving and returns its port;
  // 0 when the process ended first or nothing came within `limit` (a hung start).
  uint16_t wait_serving(std::chrono::seconds limit = std::chrono::seconds(60));
  // Waits until `wangge serve` logs its first sweep since the start (committed by then);
  // false when the process ended first or nothing came within `limit`.
  bool wait_first_sweep(std::chrono::seconds limit = std::chrono::seconds(60));
  // Waits until the process has ended; returns its waitpid status.
  int wait();
  // SIGKILL, then reaps it.
  int kill_now();
  // SIGTERM (a clean stop), then reaps it.
  int terminate();
  bool ended();
  // The last 64 KiB it printed.
  std::string output();
  // output() once the process has closed its end of the pipe (after it ended).
  std::string drain();

 private:
  void read_loop();

  pid_t pid_ = -1;
  int out_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string tail_;
  uint16_t port_ = 0;
  bool eof_ = false, reaped_ = false, swept_ = false;
  int status_ = 0;
  std::thread reader_;
};

// Runs `wangge args…` to its end; returns the exit code (-signal when killed) and its output.
std::pair<int, std::string> run_command(const std::vector<std::string>& args,
                                        const std::vector<std::string>& env);

}  // namespace wangge::crash
