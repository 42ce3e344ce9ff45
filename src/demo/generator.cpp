#include "demo/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/time.h"
#include "demo/boundaries.h"
#include "demo/events.h"
#include "demo/population.h"
#include "demo/prefecture.h"
#include "demo/staff.h"
#include "people/people.h"

namespace wangge::demo {
namespace {

constexpr const char* kColorReason = "入户走访研判（演示数据）";
constexpr const char* kColorBy = "system";

void write_orgs(store::Tx& tx, const std::vector<PlannedOrg>& plan, int64_t created_at) {
  auto bulk = tx.bulk("orgs", {"id", "code", "parent_id", "kind", "type", "name", "lat", "lng",
                               "created_at", "boundary"});
  for (const auto& o : plan) {
    bulk->add({o.id, o.code, o.parent_id ? store::Value(o.parent_id) : store::Value(), o.kind,
               o.type, o.name, o.lat, o.lng, created_at,
               o.boundary.empty() ? store::Value() : store::Value(o.boundary)});
  }
  bulk->finish();
}

// Townships are generated on worker threads, in any order, and written in plan order by the
// calling thread, so ids and rows are the same for a seed whatever the scheduling.
class Pipeline {
 public:
  Pipeline(const std::vector<PlannedOrg>& plan, std::vector<size_t> townships,
           std::vector<int> ordinals, std::vector<int> of, uint64_t seed, const Vault& vault,
           Date as_of)
      : plan_(plan),
        townships_(std::move(townships)),
        ordinals_(std::move(ordinals)),
        of_(std::move(of)),
        seed_(seed),
        vault_(vault),
        as_of_(as_of),
        slots_(townships_.size()) {
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pipeline() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  // The i-th township's batch, waiting for it. REQUIRES: called with i = 0, 1, 2, … in turn.
  TownshipBatch take(size_t i) {
    std::unique_lock lock(mu_);
    consumed_ = i;
    cv_.notify_all();
    cv_.wait(lock, [&] { return slots_[i].has_value() || error_; });
    if (error_) std::rethrow_exception(error_);
    TownshipBatch b = std::move(*slots_[i]);
    slots_[i].reset();
    return b;
  }

 private:
  static constexpr size_t kAhead = 4;  // bounds memory: at most this many batches wait

  void work() {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock,
                 [&] { return stop_ || next_ >= townships_.size() || next_ < consumed_ + kAhead; });
        if (stop_ || next_ >= townships_.size()) return;
        i = next_++;
      }
      try {
        auto batch =
            generate_township(plan_, townships_[i], ordinals_[i], of_[i], seed_, vault_, as_of_);
        std::lock_guard lock(mu_);
        slots_[i] = std::move(batch);
      } catch (...) {
        std::lock_guard lock(mu_);
        error_ = std::current_exception();
      }
      cv_.notify_all();
    }
  }

  const std::vector<PlannedOrg>& plan_;
  std::vector<size_t> townships_;
  std::vector<int> ordinals_, of_;  // a township's place in its county, the county's count
  uint64_t seed_;
  const Vault& vault_;
  Date as_of_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::optional<TownshipBatch>> slots_;
  std::vector<std::thread> workers_;
  size_t next_ = 0, consumed_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

struct PeopleWriter {
  int64_t next_household = 1, next_resident = 1, next_history = 1;
  int64_t tags = 0;

  // Tables are loaded one after the other: PostgreSQL runs one COPY at a time per connection.
  void write(store::Tx& tx, const TownshipBatch& b, int64_t t) {
    const int64_t first_household = next_household, first_resident = next_resident;
    auto hh = tx.bulk("households", {"id", "household_no", "org_id", "building_id", "address",
                                     "color", "created_at", "updated_at"});
    for (const auto& h : b.households) {
      hh->add(
          {next_household++, h.household_no, h.org_id, h.building_id, h.address, h.color, t, t});
    }
    hh->finish();
    auto res = tx.bulk(
        "residents", {"id", "household_id", "org_id", "name", "name_pinyin", "name_initials", "sex",
                      "birth_date", "id_hash", "id_enc", "id_mask", "phone_enc", "phone_mask",
                      "relation", "status", "color", "created_at", "updated_at"});
    for (const auto& r : b.residents) {
      const auto& w = r.row;
      res->add({next_resident++, first_household + static_cast<int64_t>(r.household), r.org_id,
                w.name, w.name_pinyin, w.name_initials, w.sex, w.birth_date, w.id_hash, w.id_enc,
                w.id_mask, w.phone_enc, w.phone_mask, w.relation, w.status, w.color, t, t});
    }
    res->finish();
    auto tag = tx.bulk("resident_tags", {"resident_id", "tag"});
    for (size_t i = 0; i < b.residents.size(); ++i) {
      for (const auto& code : b.residents[i].row.tags) {
        tag->add({first_resident + static_cast<int64_t>(i), code});
        ++tags;
      }
    }
    tag->finish();
    auto hist = tx.bulk("color_history", {"id", "subject", "subject_id", "from_color", "to_color",
                                          "reason", "changed_by", "changed_at"});
    for (size_t i = 0; i < b.households.size(); ++i) {
      const auto& color = b.households[i].color;
      if (color == "green") continue;
      hist->add({next_history++, "household", first_household + static_cast<int64_t>(i), "green",
                 color, kColorReason, kColorBy, t});
    }
    for (size_t i = 0; i < b.residents.size(); ++i) {
      const auto& color = b.residents[i].row.color;
      if (!color) continue;
      hist->add({next_history++, "resident", first_resident + static_cast<int64_t>(i),
                 store::Value(), *color, kColorReason, kColorBy, t});
    }
    hist->finish();
  }
};

// Secondary indexes are dropped for the bulk load and built once at the end (the people
// migrations that made them, run again): far cheaper than keeping them up to date row by row,
// above all the name indexes, whose keys arrive in random order.
constexpr const char* kPeopleIndexes[] = {
    "households_org",        "residents_household", "residents_org",     "resident_tags_tag",
    "color_history_subject", "residents_pinyin",    "residents_initials"};
constexpr int kIndexMigrations[] = {2, 3};

}  // namespace

Summary generate(store::Database& db, const Vault& vault, const Options& options) {
  auto report = [&](int64_t done, int64_t total, const std::string& what) {
    if (options.progress) options.progress(done, total, what);
  };
  const Instant as_of = options.as_of.value_or(now());
  const int64_t t = to_unix_ms(as_of);
  Summary s;
  report(0, 1, "规划组织架构");
  auto plan = plan_prefecture(options.scale, options.seed);
  plan_boundaries(plan, options.seed);  // outlines, and every point inside its outline
  report(0, 1, "写入组织、党组织和工作人员");

  db.transact([&](store::Tx& tx) {
    if (tx.query_int("SELECT COUNT(*) FROM orgs") != 0) {
      throw_conflict("not_empty", "数据库中已有组织数据，演示数据只能写入空库",
                     "the database already holds orgs; the demo needs an empty one");
    }
    write_orgs(tx, plan, t);
    auto staff = write_party_and_staff(tx, plan, vault, options.seed, t);
    s.party_orgs = staff.party_orgs;
    s.staff = staff.staff;
    s.posts = staff.posts;
    for (const char* index : kPeopleIndexes) tx.exec(std::string("DROP INDEX ") + index);
  });

  std::vector<size_t> townships;
  std::vector<int> ordinals, of;
  std::map<int64_t, int> per_county;
  int64_t total_households = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& o = plan[i];
    if (o.kind == "township") {
      townships.push_back(i);
      ordinals.push_back(per_county[o.parent_id]++);
    }
    total_households += o.households;
    s.townships += o.kind == "township";
    s.villages += o.kind == "village";
    s.grids += o.kind == "grid";
    s.micro_grids += o.kind == "micro_grid";
    s.buildings += o.kind == "building";
  }
  s.orgs = static_cast<int64_t>(plan.size());
  for (size_t i : townships) of.push_back(per_county[plan[i].parent_id]);

  PeopleWriter writer;
  {
    Pipeline pipeline(plan, townships, ordinals, of, options.seed, vault, local_date(as_of));
    // One transaction for every township: a commit writes each page it changed, and the
    // residents' unique ID-number index takes its keys in random order, so a commit per
    // township wrote nearly the whole index again each time (142 times at scale 1). The
    // load is all or nothing anyway (cmd_demo.cpp).
    db.transact([&](store::Tx& tx) {
      for (size_t i = 0; i < townships.size(); ++i) {
        TownshipBatch batch = pipeline.take(i);
        writer.write(tx, batch, t);
        report(writer.next_household - 1, total_households, "生成住户和居民");
      }
    });
  }
  report(total_households, total_households, "建立索引");
  db.transact([&](store::Tx& tx) {
    for (const auto& m : people::migrations()) {
      if (std::ranges::find(kIndexMigrations, m.version) != std::end(kIndexMigrations)) {
        tx.exec_script(store::ddl(tx.dialect(), m.sql));
      }
    }
  });
  generate_events(db, plan, options.seed, as_of, options.progress);
  place_events_inside(db, plan);
  s.households = writer.next_household - 1;
  s.residents = writer.next_resident - 1;
  s.resident_tags = writer.tags;
  return s;
}

}  // namespace wangge::demo
