#include "case_rows.h"

// g++ 12 sees "maybe uninitialized" in std::optional parameters built below (the known false
// positive of -O2 that fixture.cpp silences too).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "auth/auth.h"
#include "core/codes.h"
#include "core/time.h"
#include "events/events.h"
#include "org/service.h"
#include "people/service.h"
#include "store/migrations.h"

namespace wangge::analytics::testing {
namespace {

struct Line {
  std::vector<std::string> words;           // positional words after the kind
  std::map<std::string, std::string> keys;  // key=value words
  std::vector<std::string> flags;           // bare words after the positional ones
};

Line split(std::istringstream& in, size_t positional) {
  Line l;
  std::string w;
  while (in >> w) {
    auto eq = w.find('=');
    if (l.words.size() < positional) {
      l.words.push_back(w == "-" ? "" : w);
    } else if (eq != std::string::npos) {
      l.keys[w.substr(0, eq)] = w.substr(eq + 1);
    } else {
      l.flags.push_back(w);
    }
  }
  if (l.words.size() < positional) {
    throw std::runtime_error("expected " + std::to_string(positional) + " words");
  }
  return l;
}

std::string key(const Line& l, const std::string& k, const std::string& fallback = {}) {
  auto it = l.keys.find(k);
  return it == l.keys.end() ? fallback : it->second;
}

std::vector<std::string> comma_list(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// An enum by its English name or its Chinese label, over the values [0, last].
template <class E>
E by_name_or_label(const std::string& s, E last, std::string_view (*name)(E),
                   std::string_view (*zh)(E)) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    E e = static_cast<E>(i);
    if (name(e) == s || zh(e) == s) return e;
  }
  throw std::runtime_error("unknown value " + s);
}

std::string_view post_name(org::PostRole r) { return org::to_string(r); }
std::string_view post_label(org::PostRole r) { return org::label(r); }
std::string_view party_name(org::PartyKind k) { return org::to_string(k); }
std::string_view party_label(org::PartyKind k) { return org::label(k); }

int64_t ms(const std::string& local) { return to_unix_ms(parse_instant(local)); }

class Loader {
 public:
  Loader(store::Tx& tx, const Vault& vault) : tx_(tx), vault_(vault) {}

  void line(const std::string& text) {
    std::istringstream in(text);
    std::string kind;
    in >> kind;
    if (kind == "node") return add_org(split(in, 3));
    if (kind == "household") return add_household(split(in, 3));
    if (kind == "resident") return add_resident(split(in, 4));
    if (kind == "post") return add_post(split(in, 2));
    if (kind == "party") return add_party(split(in, 3));
    if (kind == "event") return add_event(split(in, 4));
    throw std::runtime_error("unknown row kind " + kind);
  }

 private:
  int64_t org_id(const std::string& code) { return org::get_org(tx_, code).id; }

  void add_org(const Line& l) {
    std::string type = l.flags.empty() ? "" : l.flags[0];
    org::create_org(tx_, {l.words[0], l.words[1], type, l.words[2]});
  }

  void add_household(const Line& l) {
    people::RiskColor color = people::RiskColor::green;
    if (!l.flags.empty()) color = people::parse_color(l.flags[0]);
    people::create_household(tx_, {l.words[0], l.words[1], key(l, "building"), l.words[2], color});
    region_[l.words[0]] = l.words[1].substr(0, 6);
  }

  void add_resident(const Line& l) {
    const std::string& hh = l.words[0];
    auto region = region_.find(hh);
    if (region == region_.end()) throw std::runtime_error("no household " + hh + " above");
    bool male = l.words[3] == "男";
    if (!male && l.words[3] != "女") throw std::runtime_error("sex is 男 or 女");
    // A sequence of the right parity (odd: male), new for every resident of the case.
    if ((seq_ % 2 == 1) != male) ++seq_;
    std::string birth = l.words[2];
    std::string compact = birth.substr(0, 4) + birth.substr(5, 2) + birth.substr(8, 2);
    char s[8];
    std::snprintf(s, sizeof s, "%03d", seq_++);
    std::string first17 = region->second + compact + s;
    people::NewResident n;
    n.household_no = hh;
    n.name = l.words[1];
    n.id_number = first17 + citizen_id::check_char(first17);
    n.relation = people::parse_relation(key(l, "relation", "其他"));
    n.status = people::parse_status(key(l, "status", "在册"));
    n.tags = comma_list(key(l, "tags"));
    if (auto c = key(l, "color"); !c.empty()) n.color = people::parse_color(c);
    people::create_resident(tx_, vault_, n);
  }

  void add_post(const Line& l) {
    auto role = by_name_or_label(l.words[1], org::PostRole::cadre_contact, post_name, post_label);
    int64_t staff = org::create_staff(tx_, vault_, {"工作人员" + std::to_string(++staff_), ""});
    int64_t post = org::assign_post(tx_, staff, org_id(l.words[0]), role);
    for (const auto& f : l.flags) {
      if (f != "ended") throw std::runtime_error("unknown word " + f);
      tx_.exec("UPDATE posts SET ended_at = 1 WHERE id = ?", {post});
    }
  }

  void add_party(const Line& l) {
    auto kind = by_name_or_label(l.words[1], org::PartyKind::group, party_name, party_label);
    std::optional<int64_t> parent;
    if (auto p = key(l, "parent"); !p.empty()) {
      auto it = party_.find(p);
      if (it == party_.end()) throw std::runtime_error("no party org " + p + " above");
      parent = it->second;
    }
    party_[l.words[0]] = org::create_party_org(tx_, {l.words[0], kind, parent, org_id(l.words[2])});
  }

  // As fixture.cpp writes its events: the row itself, the closed loop's columns as given.
  void add_event(const Line& l) {
    using Opt = std::optional<int64_t>;
    int64_t grid = org_id(l.words[0]);
    int level = std::stoi(l.words[3]);
    std::string reported = key(l, "reported"), due = key(l, "due");
    if (reported.empty() || due.empty()) throw std::runtime_error("reported= and due= needed");
    std::string resolved = key(l, "resolved"), closed = key(l, "closed");
    std::string sat = key(l, "satisfaction");
    Opt resolved_ms = resolved.empty() ? Opt() : Opt(ms(resolved));
    Opt closed_ms = closed.empty() ? Opt() : Opt(ms(closed));
    Opt resolved_level = resolved.empty() ? Opt() : Opt(level);
    Opt satisfaction = sat.empty() ? Opt() : Opt(std::stoi(sat));
    tx_.exec(
        "INSERT INTO events (category, title, grid_id, owner_id, level, state, sla_class, source, "
        "reported_at, clock_started_at, due_at, first_due_at, accepted_at, resolved_at, "
        "resolved_level, closed_at, overdue, escalations, extensions, reopens, satisfaction, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'three_day', 'grid_patrol', ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)",
        {l.words[1],
         "事件",
         grid,
         grid,
         level,
         std::string(events::to_string(events::parse_state(l.words[2]))),
         ms(reported),
         ms(reported),
         ms(due),
         ms(due),
         ms(reported),
         resolved_ms,
         resolved_level,
         closed_ms,
         std::stoi(key(l, "overdue", "0")),
         std::stoi(key(l, "escalations", "0")),
         std::stoi(key(l, "extensions", "0")),
         std::stoi(key(l, "reopens", "0")),
         satisfaction,
         ms(reported)});
  }

  store::Tx& tx_;
  const Vault& vault_;
  std::map<std::string, std::string> region_;  // household → the 6-digit region of its org
  std::map<std::string, int64_t> party_;       // party org name → id
  int seq_ = 11;
  int staff_ = 0;
};

}  // namespace

bool is_row_line(const std::string& w) {
  return w == "node" || w == "household" || w == "resident" || w == "post" || w == "party" ||
         w == "event";
}

void load_case_rows(store::Database& db, const std::vector<std::string>& lines,
                    const std::string& where) {
  std::vector<store::Migration> all = org::migrations();
  for (const auto* m : {&people::migrations(), &auth::migrations(), &events::migrations()}) {
    all.insert(all.end(), m->begin(), m->end());
  }
  store::migrate(db, all);
  Vault vault{Vault::Key{7}};
  db.transact([&](store::Tx& tx) {
    Loader loader(tx, vault);
    for (const auto& text : lines) {
      try {
        loader.line(text);
      } catch (const std::exception& e) {
        throw std::runtime_error(where + ": " + text + ": " + e.what());
      }
    }
  });
}

}  // namespace wangge::analytics::testing
