#include "http/access_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>

namespace wangge::http {
namespace {

constexpr size_t kBlock = 64 * 1024;

class BlockSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BlockSink() override {
    std::lock_guard lock(mutex_);
    write_out();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    pending_.append(line.data(), line.size());
    if (pending_.size() >= kBlock) write_out();
  }
  void flush_() override { write_out(); }

 private:
  // Writes what has gathered to stdout; what cannot be written (stdout closed) is dropped.
  void write_out() {
    size_t done = 0;
    while (done < pending_.size()) {
      ssize_t n = ::write(STDOUT_FILENO, pending_.data() + done, pending_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    pending_.clear();
  }

  std::string pending_;
};

}  // namespace

std::shared_ptr<spdlog::logger> access_logger() {
  static std::mutex mu;
  std::lock_guard lock(mu);
  if (auto existing = spdlog::get("access")) return existing;
  auto logger = std::make_shared<spdlog::logger>("access", std::make_shared<BlockSink>());
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [access] %v");
  logger->flush_on(spdlog::level::off);
  spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  return logger;
}

}  // namespace wangge::http
