#include "legacy/values.h"

#include <algorithm>
#include <array>
#include <map>

#include "legacy/normalize.h"

namespace wangge::legacy {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool is_id(std::string_view s) {
  if (s.size() == 18) {
    if (all_digits(s.substr(0, 17)) &&
        (std::isdigit(static_cast<unsigned char>(s[17])) || s[17] == 'X' || s[17] == 'x')) {
      return true;
    }
    // Masked for display: first 6 and last 4 kept.
    return all_digits(s.substr(0, 6)) && s.substr(6, 8) == "********" &&
           all_digits(s.substr(14, 3));
  }
  return s.size() == 15 && all_digits(s);
}

bool is_phone(std::string_view s) {
  if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && all_digits(s)) return true;
  if (s.size() == 11 && s.substr(3, 4) == "****" && s[0] == '1') return true;
  auto dash = s.find('-');
  if (s.empty() || s[0] != '0') return false;
  if (dash == std::string_view::npos) return false;
  auto area = s.substr(0, dash), number = s.substr(dash + 1);
  return area.size() >= 3 && area.size() <= 4 && all_digits(area) && number.size() >= 7 &&
         number.size() <= 8 && all_digits(number);
}

bool plausible_ymd(int y, int m, int d) {
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 0 && d <= 31;
}

// Splits "2024-03-01" / "2024.3" / "2024年3月1日" into numbers.
bool is_date(std::string_view s) {
  if (s.size() == 8 && all_digits(s)) {
    int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(4, 2)));
    int d = std::stoi(std::string(s.substr(6, 2)));
    return plausible_ymd(y, m, d) && d >= 1;
  }
  std::vector<int> parts;
  std::string cur;
  bool cjk = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      cur += c;
      ++i;
      continue;
    }
    if (cur.empty() || cur.size() > 4) return false;
    parts.push_back(std::stoi(cur));
    cur.clear();
    if (c == '-' || c == '/' || c == '.') {
      ++i;
    } else if (s.substr(i).starts_with("年") || s.substr(i).starts_with("月") ||
               s.substr(i).starts_with("日")) {
      cjk = true;
      i += 3;
    } else {
      return false;
    }
  }
  if (!cur.empty()) {
    if (cur.size() > 4) return false;
    parts.push_back(std::stoi(cur));
  }
  if (parts.size() < 2 || parts.size() > 3) return false;
  (void)cjk;
  return plausible_ymd(parts[0], parts[1], parts.size() == 3 ? parts[2] : 1) &&
         (parts.size() == 2 || parts[2] >= 1);
}

bool is_decimal(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

}  // namespace

ValueKind classify_value(std::string_view text) {
  std::string s = trim(fold_width(text));
  if (s.empty()) return ValueKind::empty;
  if (is_id(s)) return ValueKind::id_number;
  if (is_phone(s)) return ValueKind::phone;
  if (is_date(s)) return ValueKind::date;
  std::string_view v = s;
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  if (all_digits(v)) return v.size() >= 13 ? ValueKind::code : ValueKind::integer;
  if (is_decimal(s)) return ValueKind::decimal;
  return ValueKind::text;
}

std::string_view to_string(ColumnKind k) {
  constexpr std::array<std::string_view, 9> names{
      "unknown", "id_number", "phone", "date", "integer", "decimal", "code", "enum", "text"};
  return names[static_cast<size_t>(k)];
}

ColumnProfile profile_values(const std::vector<std::string>& values) {
  ColumnProfile p;
  std::map<ValueKind, size_t> counts;
  size_t n = 0;
  for (const auto& v : values) {
    ValueKind k = classify_value(v);
    if (k == ValueKind::empty) continue;
    ++counts[k];
    ++n;
  }
  if (n == 0) return p;
  auto share = [&](ValueKind k) { return counts.count(k) ? counts[k] : 0; };
  auto enough = [&](size_t c) { return c * 5 >= n * 4; };
  if (enough(share(ValueKind::id_number))) return {ColumnKind::id_number, {}};
  if (enough(share(ValueKind::phone))) return {ColumnKind::phone, {}};
  if (enough(share(ValueKind::date))) return {ColumnKind::date, {}};
  if (enough(share(ValueKind::code))) return {ColumnKind::code, {}};
  if (enough(share(ValueKind::integer))) return {ColumnKind::integer, {}};
  if (enough(share(ValueKind::integer) + share(ValueKind::decimal))) {
    return {ColumnKind::decimal, {}};
  }
  std::vector<std::string> distinct;
  bool short_values = true;
  for (const auto& v : values) {
    std::string t = trim(fold_width(v));
    if (t.empty()) continue;
    short_values &= to_u32(t).size() <= 10;
    if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
  }
  if (short_values && distinct.size() <= 8 && distinct.size() * 2 <= n && n >= 4) {
    return {ColumnKind::enumeration, distinct};
  }
  return {ColumnKind::text, {}};
}

bool compatible(ColumnKind a, ColumnKind b) {
  if (a == b || a == ColumnKind::unknown || b == ColumnKind::unknown) return true;
  auto pair = [&](ColumnKind x, ColumnKind y) { return (a == x && b == y) || (a == y && b == x); };
  return pair(ColumnKind::integer, ColumnKind::decimal) ||
         pair(ColumnKind::enumeration, ColumnKind::text);
}

forms::FieldType field_type_of(ColumnKind k) {
  switch (k) {
    case ColumnKind::id_number:
      return forms::FieldType::id_number;
    case ColumnKind::phone:
      return forms::FieldType::phone;
    case ColumnKind::date:
      return forms::FieldType::date;
    case ColumnKind::integer:
      return forms::FieldType::integer;
    case ColumnKind::decimal:
      return forms::FieldType::decimal;
    case ColumnKind::enumeration:
      return forms::FieldType::enumeration;
    default:
      return forms::FieldType::text;
  }
}

}  // namespace wangge::legacy
