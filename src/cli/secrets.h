// Secrets a command needs (initial passwords, webhook signing secrets and token-bearing URLs)
// without putting them on the command line, where ps and the shell history show them.
#pragma once

#include <string>

namespace wangge::cli {

// Where one secret comes from; the first that applies wins:
//   file     --x-file PATH: the file's first line
//   stdin    --x-stdin: the next line of standard input
//   value    --x VALUE (deprecated: a warning on stderr says why)
//   prompt   standard input is a terminal: asked for without echo (twice when confirm)
struct SecretInput {
  const char* option;   // "--password", for messages
  const char* what_zh;  // "密码"
  std::string value;
  bool value_given = false;
  bool from_stdin = false;
  std::string file;
  bool confirm = false;
  bool prompt = true;  // ask on a terminal when nothing else was given
};

// The secret, or "" when none was given and standard input is not a terminal (the caller
// decides whether that is allowed). Error(bad_input) for an unreadable file, an empty or
// missing stdin line, or two prompts that differ.
std::string read_secret(const SecretInput& in);

}  // namespace wangge::cli
