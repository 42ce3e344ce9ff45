// The TOML config file of `wangge serve` (see README, 配置文件). Command-line options given
// explicitly win over the file.
#pragma once

#include <string>

#include "app/module.h"
#include "auth/accounts.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "http/server.h"

namespace wangge::cli {

struct ServeConfig {
  ServeArgs args;
  http::ServerOptions server;
  auth::AuthOptions auth;  // [auth]: session lifetimes, login throttle
  // [database] power_cut_may_lose_writes: commits return before they are on disk
  // (store::OpenOptions); off unless the file says so.
  bool power_cut_may_lose_writes = false;
  // The sections the modules declare (app::ConfigSection): the file's values over defaults.
  app::Settings settings = registry().default_settings();
};

// Reads the file into a copy of `defaults`. Throws Error(bad_input) naming the key and line
// for a malformed file or a value of the wrong type or range; unknown keys are refused too.
ServeConfig load_serve_config(const std::string& path, const ServeArgs& defaults);

}  // namespace wangge::cli
