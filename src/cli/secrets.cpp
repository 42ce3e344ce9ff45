#include "cli/secrets.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/error.h"

namespace wangge::cli {
namespace {

void strip_cr(std::string& s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
}

// One line from the terminal with echo off.
std::string prompt(const std::string& text) {
  fmt::print(stderr, "{}", text);
  std::fflush(stderr);
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fmt::print(stderr, "\n");
  strip_cr(line);
  return line;
}

}  // namespace

std::string read_secret(const SecretInput& in) {
  std::string opt = in.option;
  if (!in.file.empty()) {
    std::ifstream f(in.file);
    std::string line;
    if (!f || !std::getline(f, line)) {
      throw_bad_input("secret_file", fmt::format("无法读取 {}-file 指定的文件 {}", opt, in.file),
                      fmt::format("cannot read the {}-file {}", opt, in.file), opt + "-file");
    }
    strip_cr(line);
    return line;
  }
  if (in.from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line) || (strip_cr(line), line.empty())) {
      throw_bad_input("secret_stdin", fmt::format("标准输入中没有{}（{}-stdin）", in.what_zh, opt),
                      fmt::format("no line on standard input for {}-stdin", opt), opt + "-stdin");
    }
    return line;
  }
  if (in.value_given) {
    fmt::print(stderr,
               "警告：{0} 在命令行上，其他用户可用 ps 看到，也会留在 shell 历史里；请改用 "
               "{0}-stdin 或 {0}-file。\nwarning: {0} on the command line shows in ps and the "
               "shell history; use {0}-stdin or {0}-file.\n",
               opt);
    return in.value;
  }
  if (!in.prompt || ::isatty(STDIN_FILENO) == 0) return {};
  std::string first = prompt(fmt::format("请输入{} ({}): ", in.what_zh, opt.substr(2)));
  if (in.confirm && prompt(fmt::format("再输入一次{} (again): ", in.what_zh)) != first) {
    throw_bad_input("secret_mismatch", fmt::format("两次输入的{}不一致", in.what_zh),
                    "the two entries differ", opt);
  }
  return first;
}

}  // namespace wangge::cli
