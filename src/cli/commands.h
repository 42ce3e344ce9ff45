// The subcommands of `wangge`, each a function of its parsed arguments returning an exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace wangge::cli {

struct ServeArgs {
  std::string db = "wangge.db";
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string web_root;  // the built web app; empty → next to the binary or web/dist
  std::string config;    // TOML file
  // Options given on the command line: they win over the config file.
  std::set<std::string> explicit_options;
};
int run_serve(const ServeArgs& args);

struct DemoArgs {
  double scale = 0.01;
  uint64_t seed = 530600;
  std::string db = "demo.db";
  std::string bind = "127.0.0.1";
  int port = 8080;
  bool serve = true;
  bool fresh = false;
  std::string web_root;
};
int run_demo(const DemoArgs& args);

struct ImportArgs {
  std::string what;  // residents | households
  std::string db;
  std::string file;
};
int run_import(const ImportArgs& args);

struct ExportArgs {
  std::string what;  // residents | households
  std::string db;
  std::string org;     // org code; empty → everything
  std::string format;  // csv | xlsx
  std::string out;     // file; empty or "-" → standard output (csv only)
};
int run_export(const ExportArgs& args);

struct UserArgs {
  std::string action;  // add | passwd | lock | list
  std::string db;
  std::string username, name, role, org, password;
  std::optional<int64_t> household;
  bool unlock = false;
  int minutes = 0;  // lock: 0 = until unlocked
};
int run_user(const UserArgs& args);

// Checks the audit log's hash chain; exit code 1 and the first broken link when tampered.
int run_audit_verify(const std::string& db);

}  // namespace wangge::cli
