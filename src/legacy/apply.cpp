// `wangge tables analyze --apply`: the fields the analyser found that the dictionary lacks.
#include <fmt/format.h>

#include <map>
#include <set>

#include "core/pinyin.h"
#include "legacy/analyzer.h"
#include "legacy/normalize.h"

namespace wangge::legacy {
namespace {

constexpr const char* kGroup = "legacy";

forms::Sensitivity sensitivity_of(const FieldCluster& k) {
  for (std::string_view w :
       {"残疾", "疾病", "病", "健康", "宗教", "犯罪", "吸毒", "精神", "刑满"}) {
    if (k.name.find(w) != std::string::npos) return forms::Sensitivity::sensitive_personal;
  }
  if (k.kind == ColumnKind::id_number || k.kind == ColumnKind::phone)
    return forms::Sensitivity::personal;
  for (std::string_view w : {"姓名", "住址", "地址", "出生", "银行", "卡号", "当事人"}) {
    if (k.name.find(w) != std::string::npos) return forms::Sensitivity::personal;
  }
  return forms::Sensitivity::internal;
}

// The entity most of the cluster's forms describe.
std::string entity_of(const Analysis& a, const FieldCluster& k) {
  std::map<std::string, int> votes;
  for (int c : k.columns) ++votes[a.forms[a.columns[c].form].entity];
  std::string best = "org";
  int n = 0;
  for (const auto& [e, v] : votes) {
    if (v > n) best = e, n = v;
  }
  return best;
}

std::string code_for(const std::string& entity, const std::string& name,
                     const std::set<std::string>& taken) {
  std::string tail;
  for (char c : pinyin::full(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) tail += c;
  }
  if (tail.empty()) tail = "field";
  std::string code = entity + "." + tail;
  for (int i = 2; taken.count(code); ++i) code = fmt::format("{}.{}_{}", entity, tail, i);
  return code;
}

std::vector<std::string> options_of(const Analysis& a, const FieldCluster& k) {
  std::vector<std::string> out;
  for (int c : k.columns) {
    for (const auto& o : a.columns[c].profile.options) {
      if (out.size() < 20 && std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
    }
  }
  return out;
}

std::string describe(const Analysis& a, const FieldCluster& k) {
  std::vector<std::string> titles;
  for (int c : k.columns) {
    const auto& f = a.forms[a.columns[c].form];
    std::string t = f.layout.title.empty() ? f.file : f.layout.title;
    if (std::find(titles.begin(), titles.end(), t) == titles.end()) titles.push_back(t);
  }
  std::string out = fmt::format("老表分析：见于 {} 张表", titles.size());
  for (size_t i = 0; i < titles.size() && i < 3; ++i) out += (i ? "、" : "：") + titles[i];
  return out + (titles.size() > 3 ? "等" : "");
}

}  // namespace

std::vector<forms::Field> proposed_fields(const Analysis& a, const forms::Dictionary& dictionary) {
  std::set<std::string> codes, names;
  for (const forms::Field& f : dictionary.fields()) {
    codes.insert(f.code);
    names.insert(forms::name_key(f.name));
    for (const auto& s : f.synonyms) names.insert(forms::name_key(s));
  }
  std::vector<forms::Field> out;
  for (const FieldCluster& k : a.clusters) {
    if (k.field || names.count(forms::name_key(k.name))) continue;
    forms::Field f;
    f.entity = entity_of(a, k);
    f.code = code_for(f.entity, k.name, codes);
    f.name = k.name;
    f.type = field_type_of(k.kind);
    if (f.type == forms::FieldType::enumeration) {
      f.options = options_of(a, k);
      if (f.options.empty()) f.type = forms::FieldType::text;
    }
    f.unit = k.unit;
    f.sensitivity = sensitivity_of(k);
    f.group = kGroup;
    f.description = describe(a, k);
    codes.insert(f.code);
    names.insert(forms::name_key(f.name));
    for (size_t i = 1; i < k.names.size(); ++i) {
      if (names.insert(forms::name_key(k.names[i])).second) f.synonyms.push_back(k.names[i]);
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<forms::Field> apply_to_dictionary(const Analysis& a, const std::filesystem::path& dir) {
  forms::Dictionary current = forms::Dictionary::load(dir);
  std::vector<forms::Field> added = proposed_fields(a, current);
  // Only legacy.toml is rewritten: the hand-written files keep their comments and layout.
  forms::Dictionary legacy;
  for (const forms::Field& f : current.fields()) {
    if (f.group == kGroup) legacy.add(f);
  }
  for (const forms::Field& f : added) legacy.add(f);
  if (legacy.size() > 0) legacy.save(dir);
  (void)forms::Dictionary::load(dir);
  return added;
}

}  // namespace wangge::legacy
