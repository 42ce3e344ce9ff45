// Clustering the columns of many legacy forms into fields (字段归并). Rules, in order, each
// leaving a piece of evidence on the merge it makes:
//   1. exact:      the same clean name (full/half width, spaces, units, numbering folded);
//   2. dictionary: names the field dictionary lists as one field (its name and synonyms);
//   3. synonym:    names in one built-in synonym group (身份证号 / 公民身份号码 …);
//   4. similar:    names that differ only by an equivalent ending (走访时间 / 走访日期,
//                  纠纷类型 / 纠纷类别), by one inserted character (残疾证号 / 残疾人证号), or
//                  share most characters (帮扶措施 / 帮扶举措) — and only when the sampled values
//                  agree in kind (dates, ID numbers, phones, integers, enums …).
// Two columns of the same form are never put in one field (a form does not ask twice); no rule
// merges the facts of different people (legacy/owner.h: 监护人/联系电话 is not 联系电话, 户主姓名
// is not 姓名) or different division levels (村 is not 乡镇 nor 村民小组); and the similar rule
// never crosses names that differ by an opposite (男/女, 月/年, 城/乡) or a number.
// Each merge carries a confidence: rules 1–3 and rule 4's equivalent endings are high; rule 4's
// weaker tests (one inserted character, a modifier in front, shared characters) are low and are
// for a person to confirm before --apply writes them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "forms/dictionary.h"
#include "legacy/layout.h"
#include "legacy/values.h"

namespace wangge::legacy {

// One column of one form, as the clusterer sees it.
struct ColumnInfo {
  int form = 0;     // index of its form
  int index = 0;    // column in the sheet
  std::string raw;  // header cells joined with "/", as written
  std::string name;  // clean combined name (as read: "户主联系电话" for a household row's 联系电话)
  std::string note;  // why the name was read otherwise than written; empty when it was not
  std::string unit;
  ColumnProfile profile;
  std::vector<std::string> examples;  // a few distinct values
};

enum class MergeRule { exact, dictionary, synonym, similar };
enum class Confidence { high, low };
std::string_view to_string(Confidence c);
std::string_view to_string(MergeRule r);
std::string_view label(MergeRule r);  // 名称相同 / 数据字典 / 同义词 / 相近名称

// Why two groups of columns became one field.
struct Evidence {
  MergeRule rule = MergeRule::exact;
  std::string left, right;  // the two names compared
  std::string detail;       // "same clean name", "dictionary field resident.id_number", …
  Confidence confidence = Confidence::high;
};

struct FieldCluster {
  std::vector<int> columns;        // indices into the column list, in order
  std::string name;                // the most frequent clean name (ties: first seen)
  std::vector<std::string> names;  // every distinct clean name, most frequent first
  ColumnKind kind = ColumnKind::unknown;
  std::string unit;
  const forms::Field* field = nullptr;  // the dictionary field it maps to, if any
  std::vector<Evidence> evidence;       // one per merge that joined two groups (rules 2–4)
};

struct ClusterOptions {
  bool normalise = true;  // false: compare headers exactly as written (the naive baseline)
  bool synonyms = true;   // rules 2 and 3
  bool similar = true;    // rule 4
  // Make low-confidence merges only for the pairs of names in `confirmed` (either order; any
  // clean name of one side with any of the other) — what --apply writes.
  bool hold_unconfirmed = false;
  std::vector<std::pair<std::string, std::string>> confirmed;
};

// Clusters `columns`. `dictionary` may be null. Returns clusters in order of their first
// column; every column is in exactly one.
std::vector<FieldCluster> cluster_columns(const std::vector<ColumnInfo>& columns,
                                          const forms::Dictionary* dictionary,
                                          const ClusterOptions& options = {});

// The dictionary field a clean column name denotes: by name or synonym (both cleaned like a
// header), then through the built-in synonym group of the name. nullptr when none.
const forms::Field* dictionary_match(const forms::Dictionary& dictionary,
                                     const std::string& clean_name);

// Whether two clean names look like one field by rule 4's name test alone (no values, no
// forms); the detail says which test matched and `confidence` how sure it is. Names of
// different owners or division levels are never similar. Exposed for tests.
bool similar_names(const std::string& a, const std::string& b, std::string* detail = nullptr,
                   Confidence* confidence = nullptr);

}  // namespace wangge::legacy
