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
  // Seconds between ticks of the demo's live stream (demo/live.h); 0: none (`wangge demo` only).
  double live_interval = 0;
  uint64_t live_seed = 0;
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
  std::string config;         // TOML file for serving
  std::string as_of;          // YYYY-MM-DD[THH:MM] (local time); empty: now
  bool quiet = false;         // no live stream while serving
  double live_interval = 20;  // seconds between the live stream's ticks
};
int run_demo(const DemoArgs& args);

struct ImportArgs {
  std::string what;  // residents | households
  std::string db;
  std::string file;
  std::string as;  // who the audit log names; empty → the operating-system user
};
int run_import(const ImportArgs& args);

struct ExportArgs {
  std::string what;  // residents | households
  std::string db;
  std::string org;     // org code; empty → everything
  std::string format;  // csv | xlsx
  std::string out;     // file; empty or "-" → standard output (csv only)
  std::string as;      // who the audit log names; empty → the operating-system user
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

// The escalation sweep of the closed loop as of `now` (ISO 8601; empty: the current time).
struct SweepArgs {
  std::string db;
  std::string now;
};
int run_sweep(const SweepArgs& args);

// `wangge tables analyze DIR`: the legacy-form analyser (src/legacy/analyzer.h).
struct TablesAnalyzeArgs {
  std::string dir;
  std::string dictionary;  // data/dictionary folder; empty → the shipped one, if any
  bool apply = false;      // add the new fields to the dictionary (legacy.toml)
  bool json = false;
  std::string confirm;  // file of confirmed low-confidence merges ("名称A = 名称B" a line)
};
int run_tables_analyze(const TablesAnalyzeArgs& args);
// `wangge tables sample DIR`: writes the generated legacy forms with known answers.
int run_tables_sample(const std::string& dir);

// `wangge report FORM`: a form (data/forms/FORM.toml) computed for the org nodes of one level.
struct ReportArgs {
  std::string form, db;
  std::string org;              // empty → the root of the tree
  std::string level;            // county … building, child, all; empty → the form's default
  std::string format = "json";  // json | csv | xlsx
  std::string out;              // file; empty or "-" → standard output (json, csv)
  std::string as_of;            // YYYY-MM-DD; empty → today
  std::string from, to;         // report period, YYYY-MM-DD
  std::string as;               // the operator named in the audit row of a roster export
};
int run_report(const ReportArgs& args);

// `wangge apikey add|list|revoke`: keys of Open311 clients (add prints the key once).
struct ApiKeyArgs {
  std::string action;  // add | list | revoke
  std::string db, name;
};
int run_apikey(const ApiKeyArgs& args);

// `wangge tags add|list`: the tag catalogue; add appends a county's own tag (audited).
struct TagsArgs {
  std::string action;  // add | list
  std::string db, code, name, category, color, as;
  bool key_person = true, sensitive = true;
};
int run_tags(const TagsArgs& args);

// `wangge webhook add|list|remove`: where notifications of an org subtree go.
struct WebhookArgs {
  std::string action;  // add | list | remove
  std::string db, org, kind = "json", url, secret;
  int64_t id = 0;  // remove
  // add: let the URL name a loopback, private, link-local address (intranet deployments; the
  // server needs `[webhooks] may_reach_intranet = true` in its config file to send there).
  bool may_reach_intranet = false;
};
int run_webhook(const WebhookArgs& args);

// `wangge key new|check|rotate`: create and bind a data key, check the key file against the
// database, or re-encrypt everything under a new key (cli/keys.h).
struct KeyArgs {
  std::string action;  // new | check | rotate
  std::string db;
  std::string new_key_file;  // rotate
  int batch = 1000;          // rotate: rows per transaction
  std::string as;            // who the audit row names
};
int run_key(const KeyArgs& args);

// `wangge backup --db URL --to DIR`, `wangge backup verify DIR`, `wangge restore --from DIR
// --db URL` (cli/backup.h).
struct BackupArgs {
  std::string db, to, photos;
};
int run_backup(const BackupArgs& args);
struct BackupVerifyArgs {
  std::string dir, key;  // key: a key file whose MACs are checked too; empty: none
};
int run_backup_verify(const BackupVerifyArgs& args);
struct RestoreArgs {
  std::string from, db, photos, key;  // key: empty → the database's usual key file
};
int run_restore(const RestoreArgs& args);

// `wangge org boundaries import FILE`: org outlines from a GeoJSON FeatureCollection, matched
// by code or name (org/boundaries.h); exit code 2 and the list of unusable features when any.
struct OrgBoundariesArgs {
  std::string db, file;
  std::string match_by = "code";  // code | name
  std::string key;                // the property holding it; empty → the usual names
  std::string within;             // only orgs in this subtree
};
int run_org_boundaries_import(const OrgBoundariesArgs& args);

}  // namespace wangge::cli
