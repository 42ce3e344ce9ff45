// Helpers of the tests that run `wangge serve` as a child and talk to it: a small prefecture
// with a grid worker who can log in, starting the server on a free port, one-shot HTTP.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "auth/accounts.h"
#include "cli/child.h"
#include "org/service.h"
#include "people/service.h"
#include "store/database.h"

namespace wangge::cli {

struct Reply {
  int status = 0;
  std::string head, body;
  std::string error_message() const {
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("message", "") : "";
  }
};

// One HTTP/1.1 request on its own connection to 127.0.0.1:port.
inline Reply http(uint16_t port, const std::string& method, const std::string& target,
                  const std::string& token = {}, const std::string& body = {},
                  const std::string& type = "application/json") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval patience{60, 0};  // a hung server fails the test instead of hanging it
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty()) req += "Content-Type: " + type + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  EXPECT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fd);
  Reply r;
  size_t end = got.find("\r\n\r\n");
  if (got.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(got.substr(9, 3));
  r.head = got.substr(0, end);
  r.body = got.substr(end + 4);
  return r;
}

// 昭通市 › 鲁甸县 › 文屏镇 › 龙井村 › 第1网格 and household H1 there.
inline void add_small_place(store::Tx& tx) {
  org::create_org(tx, {"530600000000", "", "", "昭通市"});
  org::create_org(tx, {"530621000000", "530600000000", "", "鲁甸县"});
  org::create_org(tx, {"530621101000", "530621000000", "town", "文屏镇"});
  org::create_org(tx, {"530621101201", "530621101000", "village", "龙井村"});
  org::create_org(tx, {"530621101201001", "530621101201", "", "第1网格"});
  people::create_household(tx, {"H1", "530621101201001", "", "龙井村1组1号"});
}

// add_small_place, and grid worker grid_a whose password is kGridPassword.
inline constexpr const char* kGridPassword = "Grid#Work2026";
inline void add_small_prefecture(store::Database& db) {
  auth::Accounts accounts(auth::AuthOptions{.password = auth::PasswordOptions::cheap()});
  db.transact([&](store::Tx& tx) {
    add_small_place(tx);
    auto t = wangge::now();
    int64_t id = accounts.create_user(
        tx, {"grid_a", "网格员", auth::Role::grid_worker, "530621101201001", {}, "Initial#2026"}, t,
        "test");
    accounts.change_password(tx, id, "Initial#2026", kGridPassword, t);
  });
}

// `wangge serve` as a child on a free port. What it prints (the access log) is read as it
// comes, so a full pipe never blocks the server. Killed (SIGKILL) if still running at the end.
class ServedChild {
 public:
  ServedChild() = default;
  ServedChild(const ServedChild&) = delete;
  ServedChild& operator=(const ServedChild&) = delete;
  ~ServedChild() {
    if (running()) stop(SIGKILL);
  }

  // Starts `wangge serve --db url`; returns the port (0 when it did not start).
  uint16_t start(const std::string& url, const std::vector<std::string>& env) {
    child_ = spawn({"serve", "--db", url, "--port", "0"}, env);
    std::string said = read_until(child_.err, "(database)");
    drain_ = std::thread([fd = child_.err] { read_until(fd, "\x01never"); });
    size_t at = said.find("http://127.0.0.1:");
    EXPECT_NE(at, std::string::npos) << said;
    if (at == std::string::npos) return 0;
    return static_cast<uint16_t>(std::stoi(said.substr(at + 17)));
  }
  bool running() const { return child_.pid > 0; }
  pid_t pid() const { return child_.pid; }
  // Sends sig and waits for the end; the exit status (waitpid form).
  int stop(int sig) {
    ::kill(child_.pid, sig);
    ::close(child_.in);
    if (drain_.joinable()) drain_.join();
    ::close(child_.err);
    int status = 0;
    ::waitpid(child_.pid, &status, 0);
    child_.pid = -1;
    return status;
  }

 private:
  Child child_;
  std::thread drain_;
};

// Logs grid_a in; the bearer token ("" when the login failed).
inline std::string login_grid_a(uint16_t port) {
  Reply r = http(port, "POST", "/api/v1/auth/login", "",
                 std::string(R"({"username":"grid_a","password":")") + kGridPassword + "\"}");
  EXPECT_EQ(r.status, 200) << r.body;
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() ? j.value("token", "") : "";
}

// grid_a reports a water event titled title.
inline Reply report_event(uint16_t port, const std::string& token, const std::string& title) {
  nlohmann::json body = {
      {"category", "infra.water"}, {"title", title}, {"grid", "530621101201001"}};
  return http(port, "POST", "/api/v1/events", token, body.dump());
}

}  // namespace wangge::cli
