#include "legacy/cluster.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "legacy/normalize.h"
#include "legacy/owner.h"

namespace wangge::legacy {
namespace {

// The dictionary's names and synonyms by what they mean (legacy/owner.h's key): whose fact,
// canonical name ("家庭人口（人）" → "家庭人口", "监护人手机" → "监护人的联系电话").
class DictIndex {
 public:
  explicit DictIndex(const forms::Dictionary* d) {
    if (!d) return;
    for (const forms::Field& f : d->fields()) {
      by_key_.emplace(key_of(clean_header(f.name).name), &f);
      for (const auto& s : f.synonyms) by_key_.emplace(key_of(clean_header(s).name), &f);
    }
  }
  const forms::Field* match(const std::string& clean_name) const {
    NameSense sense = read_sense(clean_name);
    if (const forms::Field* f = find(sense.key)) return f;
    // 补贴标准/生活补贴: the child alone may be a known name — unless the parent is a person
    // (监护人/联系电话 is no row's 联系电话).
    auto slash = clean_name.rfind('/');
    if (slash == std::string::npos || !sense.owner.empty()) return nullptr;
    return find(key_of(clean_name.substr(slash + 1)));
  }

 private:
  static std::string key_of(const std::string& clean_name) {
    return forms::name_key(read_sense(clean_name).key);
  }
  const forms::Field* find(const std::string& key) const {
    auto it = by_key_.find(forms::name_key(key));
    return it == by_key_.end() ? nullptr : it->second;
  }
  std::unordered_map<std::string, const forms::Field*> by_key_;
};

struct Group {
  std::vector<int> columns;
  std::set<int> forms;
  std::vector<std::pair<std::string, int>> names;  // clean name, count; first seen first
  std::map<ColumnKind, int> kinds;
  std::set<std::string> owners;  // of every name; "" for the row's own person
  std::string level;             // division level of its names; empty when none
  const forms::Field* field = nullptr;
  std::vector<Evidence> evidence;
  bool alive = true;

  const std::string& top_name() const {
    size_t best = 0;
    for (size_t i = 1; i < names.size(); ++i) {
      if (names[i].second > names[best].second) best = i;
    }
    return names[best].first;
  }
  ColumnKind kind() const {
    ColumnKind best = ColumnKind::unknown;
    int n = 0;
    for (auto [k, c] : kinds) {
      if (k != ColumnKind::unknown && c > n) best = k, n = c;
    }
    return best;
  }
  void add_name(const std::string& name, int count) {
    for (auto& [n, c] : names) {
      if (n == name) {
        c += count;
        return;
      }
    }
    names.emplace_back(name, count);
  }
};

bool disjoint(const std::set<int>& a, const std::set<int>& b) {
  for (int x : a) {
    if (b.count(x)) return false;
  }
  return true;
}

class Clusterer {
 public:
  Clusterer(const std::vector<ColumnInfo>& cols, const forms::Dictionary* dict, ClusterOptions opts)
      : cols_(cols), index_(dict), opts_(std::move(opts)) {}

  std::vector<FieldCluster> run() {
    group_exact();
    if (opts_.synonyms) merge_synonyms();
    if (opts_.similar) merge_similar();
    return result();
  }

 private:
  std::string key_of(const ColumnInfo& c) const {
    return opts_.normalise ? forms::name_key(c.name) : c.raw;
  }

  void group_exact() {
    std::unordered_map<std::string, size_t> by_key;
    for (size_t i = 0; i < cols_.size(); ++i) {
      const ColumnInfo& c = cols_[i];
      auto [it, fresh] = by_key.emplace(key_of(c), groups_.size());
      if (fresh) groups_.emplace_back();
      Group& g = groups_[it->second];
      g.columns.push_back(static_cast<int>(i));
      g.forms.insert(c.form);
      g.add_name(opts_.normalise ? c.name : c.raw, 1);
      ++g.kinds[c.profile.kind];
      NameSense sense = read_sense(c.name);
      g.owners.insert(sense.owner);
      if (g.level.empty()) g.level = sense.level;
      if (!g.field && opts_.synonyms) g.field = index_.match(c.name);
    }
  }

  // The gate every rule passes: one form does not ask twice, two dictionary fields stay two,
  // and neither other people's facts nor other division levels join the row's own — unless
  // the dictionary itself names both sides as one field.
  bool can_merge(const Group& a, const Group& b) const {
    if (!disjoint(a.forms, b.forms)) return false;
    if (a.field && b.field) return a.field == b.field;
    if (!a.level.empty() && !b.level.empty() && a.level != b.level) return false;
    for (const auto& x : a.owners) {
      for (const auto& y : b.owners) {
        if (!owners_compatible(x, y)) return false;
      }
    }
    return true;
  }

  bool confirmed(const Group& a, const Group& b) const {
    for (const auto& [x, y] : opts_.confirmed) {
      auto has = [](const Group& g, const std::string& n) {
        std::string k = forms::name_key(clean_header(n).name);
        return std::any_of(g.names.begin(), g.names.end(),
                           [&](const auto& p) { return forms::name_key(p.first) == k; });
      };
      if ((has(a, x) && has(b, y)) || (has(a, y) && has(b, x))) return true;
    }
    return false;
  }

  void absorb(Group& into, Group& from, Evidence e) {
    e.left = into.top_name();
    e.right = from.top_name();
    into.evidence.push_back(std::move(e));
    for (auto& ev : from.evidence) into.evidence.push_back(std::move(ev));
    into.columns.insert(into.columns.end(), from.columns.begin(), from.columns.end());
    into.forms.insert(from.forms.begin(), from.forms.end());
    for (const auto& [n, c] : from.names) into.add_name(n, c);
    for (auto [k, c] : from.kinds) into.kinds[k] += c;
    into.owners.insert(from.owners.begin(), from.owners.end());
    if (into.level.empty()) into.level = from.level;
    if (!into.field) into.field = from.field;
    from = Group{};
    from.alive = false;
  }

  void merge_synonyms() {
    std::map<std::string, size_t> by_canonical;
    for (size_t i = 0; i < groups_.size(); ++i) {
      Group& g = groups_[i];
      if (!g.alive) continue;
      const NameSense sense = read_sense(g.top_name());
      std::string key = g.field ? "d:" + g.field->code : "b:" + forms::name_key(sense.key);
      auto [it, fresh] = by_canonical.emplace(key, i);
      if (fresh || !can_merge(groups_[it->second], g)) continue;
      Evidence e;
      if (g.field) {
        e.rule = MergeRule::dictionary;
        e.detail = "数据字典字段 " + g.field->code + "（" + g.field->name + "）";
      } else {
        e.rule = MergeRule::synonym;
        if (!sense.level.empty()) {
          e.detail = "同一级区划“" + sense.level + "”（统计用区划代码）";
        } else if (!sense.owner.empty()) {
          e.detail = "同属“" + sense.owner + "”的“" + read_sense(sense.fact).key + "”";
        } else {
          e.detail = "内置同义词组“" + sense.key + "”";
        }
      }
      absorb(groups_[it->second], g, std::move(e));
    }
  }

  void merge_similar() {
    struct Candidate {
      size_t a, b;
      std::string detail;
      Confidence confidence;
    };
    std::vector<Candidate> found;
    for (size_t i = 0; i < groups_.size(); ++i) {
      if (!groups_[i].alive) continue;
      for (size_t j = i + 1; j < groups_.size(); ++j) {
        if (!groups_[j].alive || !can_merge(groups_[i], groups_[j])) continue;
        ColumnKind ki = groups_[i].kind(), kj = groups_[j].kind();
        if (!compatible(ki, kj)) continue;
        std::string detail;
        Confidence confidence = Confidence::high;
        if (!similar_names(groups_[i].top_name(), groups_[j].top_name(), &detail, &confidence)) {
          continue;
        }
        // Character overlap alone is weak: it needs values on both sides that agree.
        bool weak = detail.starts_with("字符重合") || detail.starts_with("前面多了");
        if (weak && (ki == ColumnKind::unknown || kj == ColumnKind::unknown)) continue;
        // Names alone, with no values to agree, are for a person to confirm.
        if (ki == ColumnKind::unknown || kj == ColumnKind::unknown) confidence = Confidence::low;
        found.push_back(
            {i, j,
             detail + "；值类型 " + std::string(to_string(ki)) + " / " + std::string(to_string(kj)),
             confidence});
      }
    }
    for (auto& c : found) {
      Group &a = groups_[c.a], &b = groups_[c.b];
      if (!a.alive || !b.alive || !can_merge(a, b) || !compatible(a.kind(), b.kind())) continue;
      if (c.confidence == Confidence::low && opts_.hold_unconfirmed) {
        if (!confirmed(a, b)) continue;
        c.detail += "；已确认";
      }
      absorb(a, b, Evidence{MergeRule::similar, {}, {}, std::move(c.detail), c.confidence});
    }
  }

  std::vector<FieldCluster> result() const {
    std::vector<FieldCluster> out;
    for (const Group& g : groups_) {
      if (!g.alive) continue;
      FieldCluster fc;
      fc.columns = g.columns;
      std::sort(fc.columns.begin(), fc.columns.end());
      fc.name = g.top_name();
      auto names = g.names;
      std::stable_sort(names.begin(), names.end(),
                       [](const auto& x, const auto& y) { return x.second > y.second; });
      for (const auto& n : names) fc.names.push_back(n.first);
      fc.kind = g.kind();
      fc.field = g.field;
      fc.evidence = g.evidence;
      std::map<std::string, int> units;
      for (int c : fc.columns) {
        if (!cols_[c].unit.empty()) ++units[cols_[c].unit];
      }
      int best = 0;
      for (const auto& [u, n] : units) {
        if (n > best) fc.unit = u, best = n;
      }
      out.push_back(std::move(fc));
    }
    std::sort(out.begin(), out.end(), [](const FieldCluster& a, const FieldCluster& b) {
      return a.columns[0] < b.columns[0];
    });
    return out;
  }

  const std::vector<ColumnInfo>& cols_;
  DictIndex index_;
  ClusterOptions opts_;
  std::vector<Group> groups_;
};

}  // namespace

std::string_view to_string(MergeRule r) {
  switch (r) {
    case MergeRule::exact:
      return "exact";
    case MergeRule::dictionary:
      return "dictionary";
    case MergeRule::synonym:
      return "synonym";
    case MergeRule::similar:
      return "similar";
  }
  return "exact";
}

std::string_view to_string(Confidence c) { return c == Confidence::high ? "high" : "low"; }

std::string_view label(MergeRule r) {
  switch (r) {
    case MergeRule::exact:
      return "名称相同";
    case MergeRule::dictionary:
      return "数据字典";
    case MergeRule::synonym:
      return "同义词";
    case MergeRule::similar:
      return "相近名称";
  }
  return "名称相同";
}

std::vector<FieldCluster> cluster_columns(const std::vector<ColumnInfo>& columns,
                                          const forms::Dictionary* dictionary,
                                          const ClusterOptions& options) {
  return Clusterer(columns, dictionary, options).run();
}

const forms::Field* dictionary_match(const forms::Dictionary& dictionary,
                                     const std::string& clean_name) {
  return DictIndex(&dictionary).match(clean_name);
}

}  // namespace wangge::legacy
