// Faults at every write path (issue 16): each write route of the API (faults.table) is sent
// with a fault injected at its 1st, 2nd, … statement, then at its 1st, 2nd, … commit, until it
// succeeds. Every failed attempt must answer a clean error and leave nothing behind: every
// table of the database row for row, the analytics figures, the change listeners and the
// idempotency record as they were. Then the request succeeds. On both databases.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "events/events.h"
#include "fixture.h"
#include "intake/apikeys.h"
#include "open311_client.h"
#include "testing/fault_db.h"

namespace wangge::api {
namespace {

using nlohmann::json;
using wangge::testing::FaultDatabase;

// One line of faults.table.
struct WriteCall {
  std::string method, path, user;
  int status = 200;
  std::string kind, body;
  int line = 0;
};

std::vector<WriteCall> load_table() {
  std::ifstream in(wangge::testing::source_dir() / "tests/api/faults.table");
  EXPECT_TRUE(in) << "tests/api/faults.table not found (WANGGE_SOURCE_DIR?)";
  std::vector<WriteCall> calls;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    WriteCall c;
    c.line = n;
    words >> c.method >> c.path >> c.user >> c.status >> c.kind;
    std::getline(words >> std::ws, c.body);
    EXPECT_FALSE(c.kind.empty()) << "faults.table:" << n << ": " << line;
    calls.push_back(std::move(c));
  }
  return calls;
}

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

bool has_chinese(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0xE4 && c <= 0xE9) return true;  // lead bytes of the CJK ideographs in UTF-8
  }
  return false;
}

// Every table of the database: its row count and a hash of all its rows (in any order).
using Digest = std::map<std::string, std::string>;

Digest digest(store::Database& db) {
  auto tx = db.begin(store::TxMode::read);
  std::vector<std::string> tables;
  std::string list =
      db.dialect() == store::Dialect::sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE'";
  for (const auto& r : tx->query(list)) tables.push_back(r.text(0));
  Digest d;
  for (const auto& t : tables) {
    std::vector<std::string> rows;
    tx->each("SELECT * FROM " + t, {}, [&](const store::Row& r) {
      std::string s;
      for (size_t c = 0; c < r.size(); ++c) {
        const store::Value& v = r[c];
        s += v.is_null() ? "N" : v.is_blob() ? "B" : "V";
        s += v.as_text();
        s += '\x1f';
      }
      rows.push_back(std::move(s));
    });
    std::sort(rows.begin(), rows.end());
    std::string all;
    for (const auto& r : rows) all += r + '\x1e';
    d[t] = std::to_string(rows.size()) + ":" + std::to_string(std::hash<std::string>{}(all));
  }
  return d;
}

// The tables whose digests differ.
std::string differences(const Digest& a, const Digest& b) {
  std::string out;
  for (const auto& [t, v] : a) {
    auto it = b.find(t);
    if (it == b.end() || it->second != v) out += t + " ";
  }
  for (const auto& [t, v] : b) {
    if (!a.contains(t)) out += t + " ";
  }
  return out;
}

class FaultTest : public ApiTest {
 protected:
  void SetUp() override {
    session_poll_ = std::chrono::hours(1);  // no background statements between attempts
    settings_.set("photos", "dir", wangge::testing::temp_dir("fault-photos").string());
    ApiTest::SetUp();
    db_->subscribe([this](std::span<const store::Change> changes) {
      changes_seen_ += static_cast<int64_t>(changes.size());
    });
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      for (auto [name, role] : {std::pair{"sysadmin", auth::Role::sysadmin},
                                std::pair{"secadmin", auth::Role::secadmin}}) {
        int64_t id = accounts_.create_user(tx, {name, "管理员", role, "530600000000", {}, kInitial},
                                           t, "secadmin");
        accounts_.change_password(tx, id, kInitial, kPassword, t);
      }
      worker_ = accounts_.create_user(
          tx, {"victim", "甲", auth::Role::grid_worker, "530621101201001", {}, kInitial}, t, "x");
      api_key_ = intake::issue_api_key(tx, "故障注入", t).key;
      // A representative point, so an Open311 request's lat/long finds its grid.
      tx.exec("UPDATE orgs SET lat = 27.19, lng = 103.55 WHERE code = '530621101201001'");
    });
    for (const char* u : {"op_ludian", "grid_a", "sysadmin", "secadmin"}) tokens_[u] = token(u);
  }

  // Wraps the database the server is installed on (customize runs just before install).
  void customize(ApiOptions& /*options*/) override {
    auto wrapped = std::make_unique<FaultDatabase>(std::move(db_));
    faults_ = wrapped.get();
    db_ = std::move(wrapped);
  }

  // What a failed write must leave as it was, besides the tables: the analytics figures.
  std::string figures() {
    std::string out;
    for (const char* target :
         {"/api/v1/kpis/events?org=530621000000", "/api/v1/dashboard?org=530621000000",
          "/api/v1/reports/population?org=530621000000"}) {
      auto r = call("GET", target, {{"Authorization", "Bearer " + tokens_["op_ludian"]}});
      EXPECT_EQ(r.status, 200) << target << " " << r.body;
      out += r.body;
    }
    return out;
  }

  // A county operator made for one run, logged in.
  std::string fresh_user(int n) {
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      int64_t id = accounts_.create_user(tx,
                                         {"fresh" + std::to_string(n),
                                          "临时",
                                          auth::Role::county_operator,
                                          "530621000000",
                                          {},
                                          kInitial},
                                         t, "secadmin");
      accounts_.change_password(tx, id, kInitial, kPassword, t);
    });
    return token("fresh" + std::to_string(n));
  }

  int64_t new_event(int n) {
    json body = {{"category", "infra.water"},
                 {"title", "龙井村水管" + std::to_string(n)},
                 {"grid", "530621101201001"}};
    auto r = call("POST", "/api/v1/events", {{"Authorization", "Bearer " + tokens_["grid_a"]}},
                  body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }

  // The request of one line for run n, ready to send.
  struct Prepared {
    std::string method, target, body;
    testing::HeaderList headers;
    bool raw = false;
  };
  Prepared prepare(const WriteCall& c, int n) {
    Prepared p;
    p.method = c.method;
    p.target = c.path;
    std::string id;
    if (c.path.starts_with("/api/v1/residents/")) id = std::to_string(zhang_san_);
    if (c.path.starts_with("/api/v1/users/")) id = std::to_string(worker_);
    if (c.path.starts_with("/api/v1/events/")) id = std::to_string(new_event(n));
    if (c.path.starts_with("/api/v1/forms/")) id = "fault_form_" + std::to_string(n);
    if (c.path.starts_with("/api/v1/orgs/")) id = "530621101201001";
    replace_all(p.target, "{id}", id);
    replace_all(p.target, "{code}", id);
    p.body = c.body;
    std::string n4 = std::to_string(10000 + n).substr(1);
    replace_all(p.body, "{n4}", n4);
    replace_all(p.body, "{n}", std::to_string(n));
    replace_all(p.body, "{password}", kPassword);
    replace_all(p.body, "{api_key}", api_key_);
    replace_all(p.body, "{id_number}", id_number("530621", "19900412", 100 + n));
    if (c.user == "fresh") {
      p.headers.emplace_back("Authorization", "Bearer " + fresh_user(n));
    } else if (c.user != "anonymous") {
      if (!tokens_.contains(c.user)) tokens_[c.user] = token(c.user);
      p.headers.emplace_back("Authorization", "Bearer " + tokens_[c.user]);
    }
    if (c.kind == "json") p.headers.emplace_back("Idempotency-Key", "fault-" + std::to_string(n));
    if (c.kind == "form") {
      p.raw = true;
      p.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    if (c.kind == "png") {
      p.raw = true;
      p.body = std::string("\x89PNG\r\n\x1A\n", 8) + p.body;
      p.headers.emplace_back("Content-Type", "image/png");
    }
    return p;
  }
  testing::Reply send(const Prepared& p) {
    return p.raw ? testing::send_raw(port_, p.method, p.target, p.headers, p.body)
                 : call(p.method, p.target, p.headers, p.body);
  }

  // Sends the line's request with a fault at the 1st, 2nd, … statement (or commit) until it
  // succeeds, checking each failure leaves nothing behind. Returns the attempts that failed.
  int run(const WriteCall& c, FaultDatabase::At at, int n) {
    Prepared p = prepare(c, n);
    std::string what = "faults.table:" + std::to_string(c.line) + " " + c.method + " " + p.target +
                       (at == FaultDatabase::At::commit ? " (commit " : " (statement ");
    const Digest before = digest(*db_);
    const std::string figures_before = figures();
    for (int nth = 1; nth < 200; ++nth) {
      // Odd attempts fail as a lost connection or a full disk would, even ones as a bug.
      ErrorKind kind = nth % 2 ? ErrorKind::unavailable : ErrorKind::internal;
      std::string attempt = what + std::to_string(nth) + ")";
      const int64_t seen = changes_seen_.load();
      faults_->arm(at, nth, kind);
      auto r = send(p);
      faults_->disarm();
      if (!faults_->fired()) {
        EXPECT_EQ(r.status, c.status) << attempt << " without a fault: " << r.body;
        EXPECT_NE(digest(*db_), before) << attempt << " succeeded but wrote nothing";
        if (c.kind == "json") {  // the key now replays the success, once written
          auto again = send(p);
          EXPECT_EQ(again.status, r.status) << attempt << " replayed: " << again.body;
          EXPECT_EQ(again.header("Idempotent-Replayed"), "true") << attempt;
        }
        return nth - 1;
      }
      if (r.status < 500) {
        // The fault hit after the request's own transaction committed (keeping the answer of
        // its Idempotency-Key): the write is on disk, and the answer must say so.
        EXPECT_EQ(r.status, c.status) << attempt << " after the commit: " << r.body;
        Digest after = digest(*db_);
        EXPECT_NE(after, before) << attempt << " answered success but wrote nothing";
        if (c.kind == "json") {  // the unkept answer is neither replayed as failure nor re-run
          auto again = send(p);
          EXPECT_EQ(again.status, 200) << attempt << " resubmitted: " << again.body;
          EXPECT_EQ(again.json().value("code", ""), "idempotency_answer_lost") << attempt;
          EXPECT_EQ(again.header("Idempotent-Replayed"), "true") << attempt;
          EXPECT_EQ(digest(*db_), after) << attempt << ": the resubmission wrote again";
        }
        return nth - 1;
      }
      if (kind == ErrorKind::unavailable) {
        EXPECT_EQ(r.status, 503) << attempt << ": " << r.body;
        EXPECT_FALSE(r.header("Retry-After").empty()) << attempt;
      } else {
        EXPECT_EQ(r.status, 500) << attempt << ": " << r.body;
      }
      EXPECT_TRUE(has_chinese(r.error_message())) << attempt << ": " << r.body;
      EXPECT_EQ(r.header("Idempotent-Replayed"), "") << attempt;
      Digest after = digest(*db_);
      EXPECT_EQ(after, before) << attempt << " left changes in: " << differences(before, after);
      EXPECT_EQ(changes_seen_.load(), seen) << attempt << ": a listener saw a rolled-back change";
      EXPECT_EQ(figures(), figures_before) << attempt << " moved the analytics figures";
      if (::testing::Test::HasFailure()) return nth;  // one broken path reported once
    }
    ADD_FAILURE() << what << "…) never succeeded";
    return 0;
  }

  FaultDatabase* faults_ = nullptr;
  std::atomic<int64_t> changes_seen_{0};
  std::map<std::string, std::string> tokens_;
  int64_t worker_ = 0;
  std::string api_key_;
};

TEST_P(FaultTest, EveryWriteRouteHasALine) {
  std::set<std::string> lines;
  for (const auto& c : load_table()) lines.insert(c.method + " " + c.path);
  for (const http::Route& route : server_->dispatcher().router().routes()) {
    std::string method(http::method_name(route.method));
    if (method == "GET" || method == "HEAD" || method == "OPTIONS") continue;
    std::string key = method + " " + route.path;
    EXPECT_TRUE(lines.contains(key)) << key << " has no line in tests/api/faults.table";
  }
}

TEST_P(FaultTest, AFailedStatementOrCommitLeavesNothingAndTheRetrySucceeds) {
  int n = 0, faults = 0;
  for (const WriteCall& c : load_table()) {
    for (auto at : {FaultDatabase::At::statement, FaultDatabase::At::commit}) {
      int failed = run(c, at, ++n);
      if (c.kind == "json") {  // without faults: answered once, then replayed
        Prepared p = prepare(c, ++n);
        auto first = send(p);
        EXPECT_EQ(first.status, c.status) << "faults.table:" << c.line << ": " << first.body;
        auto again = send(p);
        EXPECT_EQ(again.status, first.status) << "faults.table:" << c.line << ": " << again.body;
        EXPECT_EQ(again.body, first.body) << "faults.table:" << c.line;
        EXPECT_EQ(again.header("Idempotent-Replayed"), "true") << "faults.table:" << c.line;
      }
      // Every line writes: at least one statement and one commit could fail.
      EXPECT_GE(failed, 1) << "faults.table:" << c.line << " never reached the database";
      faults += failed;
      if (HasFailure()) return;
    }
  }
  std::cout << "[faults] " << faults << " injected faults over " << n << " runs\n";
}

// A database that is down before the request and stays down (every statement fails): each
// write route answers a clean 503 and leaves nothing; once it is back the request succeeds.
TEST_P(FaultTest, WhileTheDatabaseIsDownEveryWriteRouteAnswers503) {
  int n = 500;  // {id_number} takes 100 + n, below 1000
  for (const WriteCall& c : load_table()) {
    Prepared p = prepare(c, ++n);
    std::string what = "faults.table:" + std::to_string(c.line) + " " + c.method + " " + p.target;
    const Digest before = digest(*db_);
    const std::string figures_before = figures();
    faults_->arm(FaultDatabase::At::statement, 1, ErrorKind::unavailable, true);
    auto r = send(p);
    faults_->disarm();
    EXPECT_TRUE(faults_->fired()) << what;
    EXPECT_EQ(r.status, 503) << what << ": " << r.body;
    EXPECT_FALSE(r.header("Retry-After").empty()) << what;
    EXPECT_TRUE(has_chinese(r.error_message())) << what << ": " << r.body;
    Digest after = digest(*db_);
    EXPECT_EQ(after, before) << what << " left changes in: " << differences(before, after);
    EXPECT_EQ(figures(), figures_before) << what;
    auto ok = send(p);  // back up: the same request, the same Idempotency-Key
    EXPECT_EQ(ok.status, c.status) << what << " after the outage: " << ok.body;
    if (HasFailure()) return;
  }
}

// A COMMIT whose reply is lost (the write is on disk, the request answered 503): the client's
// resubmission with the same Idempotency-Key must not write a second time. Each commit of the
// request in turn (the key's claim, the write, the kept answer) loses its reply.
TEST_P(FaultTest, ALostCommitReplyIsNotWrittenTwiceOnResubmission) {
  WriteCall create;
  for (const WriteCall& c : load_table()) {
    if (c.method == "POST" && c.path == "/api/v1/events") create = c;
  }
  ASSERT_EQ(create.kind, "json");
  int written_answer_lost = 0;
  for (int nth = 1; nth < 10; ++nth) {
    Prepared p = prepare(create, 700 + nth);  // {id_number} takes 100 + n, below 1000
    std::string what = "commit " + std::to_string(nth) + " lost its reply";
    const Digest before = digest(*db_);
    faults_->arm(FaultDatabase::At::after_commit, nth, ErrorKind::unavailable);
    auto r = send(p);
    faults_->disarm();
    if (!faults_->fired()) break;  // the request made fewer commits
    const Digest after = digest(*db_);
    auto again = send(p);
    if (r.status == 503 && after.at("events") != before.at("events")) {
      // The write committed but its answer was lost: the resubmission says so, writes nothing.
      ++written_answer_lost;
      EXPECT_EQ(again.status, 200) << what << ": " << again.body;
      EXPECT_EQ(again.json().value("code", ""), "idempotency_answer_lost") << what;
      EXPECT_EQ(again.header("Idempotent-Replayed"), "true") << what;
      EXPECT_EQ(digest(*db_), after) << what << ": the resubmission wrote again";
    } else if (r.status == 503) {
      // A commit before the write (the key's claim: the key then waits for its lease; or the
      // session's) lost its reply: the request never ran, and runs once at most on resubmission.
      EXPECT_TRUE(again.status == 409 || again.status == 201) << what << ": " << again.body;
      if (again.status == 409) {
        EXPECT_EQ(digest(*db_).at("events"), before.at("events")) << what;
      } else {
        EXPECT_NE(digest(*db_).at("events"), before.at("events")) << what;
      }
    } else {
      // Only the kept answer's commit lost its reply: the 201 stands, and is replayed.
      EXPECT_EQ(r.status, 201) << what << ": " << r.body;
      EXPECT_EQ(again.status, 201) << what << ": " << again.body;
      EXPECT_EQ(digest(*db_).at("events"), after.at("events")) << what;
    }
  }
  EXPECT_EQ(written_answer_lost, 1) << "no commit of the write itself lost its reply";
}

// The digest sees a change anywhere (the negative control of the checks above).
TEST_P(FaultTest, TheDigestSeesOneChangedValue) {
  Digest before = digest(*db_);
  db_->transact(
      [](store::Tx& tx) { tx.exec("UPDATE orgs SET name = '改名' WHERE code = '530621000000'"); });
  EXPECT_NE(digest(*db_), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
