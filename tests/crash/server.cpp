#include "crash/server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace wangge::crash {
namespace {

constexpr size_t kTail = 64 * 1024;
constexpr std::string_view kServing = "已启动 (serving) http://";

}  // namespace

Process::Process(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return;
  std::vector<std::string> argv_text{WANGGE_BIN};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = env;  // copied before fork: no allocation in the child
  pid_ = fork();
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    for (auto& e : env_text) putenv(e.data());
    execv(WANGGE_BIN, argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  out_ = pipefd[0];
  reader_ = std::thread([this] { read_loop(); });
}

Process::~Process() {
  if (!ended()) kill_now();
  wait();
  if (reader_.joinable()) reader_.join();
  if (out_ >= 0) close(out_);
}

void Process::read_loop() {
  char buf[4096];
  for (;;) {
    ssize_t n = read(out_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mu_);
    if (n <= 0) {
      eof_ = true;
      cv_.notify_all();
      return;
    }
    tail_.append(buf, static_cast<size_t>(n));
    if (port_ == 0) {
      auto at = tail_.find(kServing);
      auto colon = at == std::string::npos ? at : tail_.find(':', at + kServing.size());
      auto slash = colon == std::string::npos ? colon : tail_.find('/', colon);
      if (slash != std::string::npos) {
        port_ =
            static_cast<uint16_t>(std::atoi(tail_.substr(colon + 1, slash - colon - 1).c_str()));
        cv_.notify_all();
      }
    }
    if (!swept_ && tail_.find("(first since start)") != std::string::npos) {
      swept_ = true;
      cv_.notify_all();
    }
    if (tail_.size() > 2 * kTail) tail_.erase(0, tail_.size() - kTail);
  }
}

bool Process::wait_first_sweep(std::chrono::seconds limit) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, limit, [&] { return swept_ || eof_; });
  return swept_;
}

uint16_t Process::wait_serving(std::chrono::seconds limit) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, limit, [this] { return port_ != 0 || eof_; });
  return port_;
}

int Process::wait() {
  if (pid_ > 0 && !reaped_) {
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  return status_;
}

int Process::kill_now() {
  if (pid_ > 0 && !reaped_) kill(pid_, SIGKILL);
  return wait();
}

int Process::terminate() {
  if (pid_ > 0 && !reaped_) kill(pid_, SIGTERM);
  return wait();
}

bool Process::ended() {
  if (pid_ <= 0 || reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = status;
    reaped_ = true;
  }
  return reaped_;
}

std::string Process::output() {
  std::lock_guard lock(mu_);
  return tail_;
}

std::string Process::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return eof_; });
  return tail_;
}

std::pair<int, std::string> run_command(const std::vector<std::string>& args,
                                        const std::vector<std::string>& env) {
  Process p(args, env);
  int status = p.wait();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return {code, p.drain()};
}

}  // namespace wangge::crash
