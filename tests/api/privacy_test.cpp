// 个人信息不可还原: for every role and every GET route of the API (read from the OpenAPI document,
// so a new route is checked the day it is added), every export format and the database's
// clear columns, no resident's ID number can be rebuilt from what is shown and no phone is
// shown whole. For each record that shows a resident the test counts the valid GB 11643
// numbers that agree with everything on it (region, birth year, sex, the digits the mask
// keeps, the check digit) and requires at least kMinCandidates of them, with the true number
// among them (so the count is of the right person). It assumes the worst: the attacker knows
// the region and the birth year whether or not they are shown. Runs on both databases.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "fixture.h"
#include "sheets/csv.h"
#include "sheets/xlsx_reader.h"

namespace wangge::api {
namespace {

using nlohmann::json;

constexpr int64_t kMinCandidates = 10;

// One resident as the fixture knows them (the truth a view is checked against).
struct Person {
  std::string name, number, phone;
  Date birth;
  int sex = 1;
};

// How many valid numbers agree with `known` (18 characters, '*' where unknown), born on a day
// of `year` (or on `exact` when the attacker knows it) with the sex's parity in digit 17,
// counting to at most `cap`; and whether `truth` is one of them.
struct Count {
  int64_t n = 0;
  bool has_truth = false;
};
Count candidates(const std::string& known, int year, std::optional<Date> exact, int sex,
                 const std::string& truth, int64_t cap = 1000) {
  Count out;
  auto agrees = [&](const std::string& s, size_t from) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (known[from + i] != '*' && known[from + i] != s[i]) return false;
    }
    return true;
  };
  using namespace std::chrono;
  Date first = exact ? *exact : Date{std::chrono::year{year}, January, day{1}};
  Date last = exact ? *exact : Date{std::chrono::year{year}, December, day{31}};
  for (sys_days d = first; d <= sys_days(last) && out.n < cap; d += days{1}) {
    Date date{d};
    std::string ymd = format_date(date);
    std::string digits = ymd.substr(0, 4) + ymd.substr(5, 2) + ymd.substr(8, 2);
    if (!agrees(known.substr(0, 6), 0) || !agrees(digits, 6)) continue;
    for (int seq = sex == 1 ? 1 : 0; seq < 1000 && out.n < cap; seq += 2) {
      std::string s = fmt::format("{:03d}", seq);
      if (!agrees(s, 14)) continue;
      std::string first17 = known.substr(0, 6) + digits + s;
      if (first17.find('*') != std::string::npos) continue;
      std::string number = first17 + citizen_id::check_char(first17);
      if (!agrees(number.substr(17), 17)) continue;
      ++out.n;
    }
  }
  // Whether the truth agrees, whatever the cap cut off.
  std::string born = truth.substr(6, 4) + "-" + truth.substr(10, 2) + "-" + truth.substr(12, 2);
  out.has_truth = agrees(truth, 0) && (truth[16] - '0') % 2 == (sex == 1 ? 1 : 0) &&
                  (exact ? born == format_date(*exact) : born.starts_with(std::to_string(year)));
  return out;
}

bool mask_like(const std::string& s, size_t size) {
  return s.size() == size && s.find('*') != std::string::npos &&
         s.find_first_not_of("0123456789X*") == std::string::npos;
}

// The ways a birth date could be written.
std::vector<std::string> date_spellings(Date d) {
  std::string iso = format_date(d);
  std::string y = iso.substr(0, 4), m = iso.substr(5, 2), dd = iso.substr(8, 2);
  auto trim = [](std::string s) { return s[0] == '0' ? s.substr(1) : s; };
  return {iso,
          y + m + dd,
          y + "/" + m + "/" + dd,
          y + "." + m + "." + dd,
          y + "年" + m + "月" + dd + "日",
          y + "年" + trim(m) + "月" + trim(dd) + "日"};
}

void flatten(const json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_number_integer()) {
    out.push_back(std::to_string(j.get<int64_t>()));
  } else if (j.is_structured()) {
    for (const auto& v : j) flatten(v, out);
  }
}

// Every JSON object that names `name` as one of its own values, flattened: one record each.
void json_records(const json& j, const std::string& name,
                  std::vector<std::vector<std::string>>& out) {
  if (!j.is_structured()) return;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (v.is_string() && v.get<std::string>() == name) {
        out.emplace_back();
        flatten(j, out.back());
        break;
      }
    }
  }
  for (const auto& v : j) json_records(v, name, out);
}

class PrivacyTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    // One user of every role (the fixture has some already).
    struct U {
      const char* name;
      auth::Role role;
      const char* org;
    };
    auto t = wangge::now();
    db_->transact([&](store::Tx& tx) {
      for (const U& u : {U{"p_sysadmin", auth::Role::sysadmin, "530600000000"},
                         U{"p_secadmin", auth::Role::secadmin, "530600000000"},
                         U{"p_city", auth::Role::city_operator, "530600000000"},
                         U{"p_town", auth::Role::township_operator, "530621101000"},
                         U{"p_village", auth::Role::village_operator, "530621101201"},
                         U{"p_dept", auth::Role::department_handler, "530621000000"},
                         U{"p_leader", auth::Role::leader, "530600000000"}}) {
        int64_t id =
            accounts_.create_user(tx, {u.name, "测试", u.role, u.org, {}, kInitial}, t, "secadmin");
        accounts_.change_password(tx, id, kInitial, kPassword, t);
      }
    });
    users_ = {
        {"p_sysadmin", "530600000000"}, {"p_secadmin", "530600000000"}, {"auditor", "530600000000"},
        {"p_city", "530600000000"},     {"op_ludian", "530621000000"},  {"p_town", "530621101000"},
        {"p_village", "530621101201"},  {"grid_a", "530621101201001"},  {"p_dept", "530621000000"},
        {"p_leader", "530600000000"},   {"res_a", "530621101201001"}};
    // The truth, from the database (decrypted with the test's key).
    auto tx = db_->begin(store::TxMode::read);
    for (const auto& r :
         tx->query("SELECT name, id_enc, phone_enc, birth_date, sex FROM residents")) {
      Person p{r.text(0), vault_.decrypt(r.blob(1)), r.is_null(2) ? "" : vault_.decrypt(r.blob(2)),
               parse_date(r.text(3)), static_cast<int>(r.i64(4))};
      people_.push_back(std::move(p));
    }
  }

  // Checks one record (the values shown together about `p`).
  void check_record(const Person& p, const std::vector<std::string>& values,
                    const std::string& where) {
    std::string known = p.number.substr(0, 6) + std::string(12, '*');  // the region: assumed
    for (const auto& v : values) {
      if (!mask_like(v, 18)) continue;
      for (size_t i = 0; i < 18; ++i) {
        if (v[i] != '*') known[i] = v[i];
      }
    }
    Count c = candidates(known, static_cast<int>(p.birth.year()), std::nullopt, p.sex, p.number);
    EXPECT_TRUE(c.has_truth) << where << ": the shown mask is not " << p.name << "'s";
    EXPECT_GE(c.n, kMinCandidates) << where << ": " << p.name << " is pinned by " << known;
    for (const auto& v : values) {
      if (v.size() == 11 && v[0] == '1' &&
          v.find_first_not_of("0123456789*") == std::string::npos) {
        EXPECT_GE(std::count(v.begin(), v.end(), '*'), 4) << where << ": phone " << v;
      }
    }
    ++records_[where.substr(0, where.find(' '))];
  }

  // Checks a whole response: nothing anywhere gives a number, a phone or a birth date, and
  // each record about a person leaves enough numbers.
  void check_reply(const std::string& route, const std::string& target, const testing::Reply& r) {
    if (r.status != 200) return;
    std::string type = r.header("Content-Type");
    std::vector<std::vector<std::string>> rows;  // CSV and XLSX: one record per row
    std::string text = r.body;
    if (type.find("text/csv") != std::string::npos) {
      for (const auto& row : sheets::read_csv_bytes(r.body).rows) {
        rows.emplace_back();
        for (const auto& c : row) rows.back().push_back(c.text());
      }
    } else if (type.find("spreadsheetml") != std::string::npos) {
      auto file = wangge::testing::temp_dir() / "privacy.xlsx";
      std::ofstream(file, std::ios::binary) << r.body;
      text.clear();
      for (const auto& row : sheets::read_xlsx(file).rows) {
        rows.emplace_back();
        for (const auto& c : row) {
          rows.back().push_back(c.text());
          text += c.text() + "\n";
        }
      }
    }
    const std::string where = route + " " + target;
    json j = type.find("json") != std::string::npos ? r.json() : json();
    for (const auto& p : people_) {
      EXPECT_EQ(text.find(p.number), std::string::npos) << where << " shows " << p.name << "'s ID";
      if (!p.phone.empty()) {
        EXPECT_EQ(text.find(p.phone), std::string::npos) << where << " shows a phone";
      }
      for (const auto& d : date_spellings(p.birth)) {
        EXPECT_EQ(text.find(d), std::string::npos)
            << where << " shows " << p.name << "'s birth date";
      }
      std::vector<std::vector<std::string>> records;
      if (!j.is_discarded() && !j.is_null()) json_records(j, p.name, records);
      for (const auto& row : rows) {
        if (std::find(row.begin(), row.end(), p.name) != row.end()) records.push_back(row);
      }
      for (const auto& rec : records) check_record(p, rec, where);
    }
  }

  // The values to try for a path parameter.
  std::vector<std::string> fill(const std::string& param, const std::vector<std::string>& forms) {
    std::vector<std::string> out;
    if (param == "id") {
      for (int i = 1; i <= 8; ++i) out.push_back(std::to_string(i));
    } else if (param == "file") {  // Open311: "<id>.json" / "<id>.xml"
      for (int i = 1; i <= 3; ++i) {
        out.push_back(std::to_string(i) + ".json");
        out.push_back(std::to_string(i) + ".xml");
      }
    } else if (param == "code" || param == "form") {
      out = forms;
      for (const char* c : {"530600000000", "530621000000", "530621101000", "530621101201",
                            "530621101201001", "530622000000"}) {
        out.emplace_back(c);
      }
    } else {
      ADD_FAILURE() << "privacy_test does not know how to fill {" << param
                    << "}: teach fill() so the route is checked";
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> users_;  // name, org
  std::vector<Person> people_;
  std::map<std::string, int> records_;  // route → records seen
};

TEST_P(PrivacyTest, NoRoleRebuildsAnIdNumberFromAnyRouteOrExport) {
  ASSERT_EQ(people_.size(), 5u);
  auto doc = call("GET", "/api/openapi.json").json();
  ASSERT_TRUE(doc.contains("paths"));
  std::vector<std::string> forms;
  {
    auto f = get_as("op_ludian", "/api/v1/forms").json();
    for (const auto& item : f.is_array() ? f : f.value("items", json::array())) {
      forms.push_back(item.value("code", ""));
    }
  }
  ASSERT_FALSE(forms.empty());
  for (const auto& [user, org] : users_) {
    std::string tok = token(user);
    for (const auto& [path, ops] : doc["paths"].items()) {
      if (!ops.contains("get")) continue;
      std::set<std::string> query;
      std::vector<std::string> params;
      for (const auto& p : ops["get"].value("parameters", json::array())) {
        if (p["in"] == "query") query.insert(p["name"].get<std::string>());
        if (p["in"] == "path") params.push_back(p["name"].get<std::string>());
      }
      // Every combination of the path parameters' values.
      std::vector<std::string> targets{path};
      for (const auto& param : params) {
        std::vector<std::string> next;
        for (const auto& t : targets) {
          for (const auto& v : fill(param, forms)) {
            std::string s = t;
            s.replace(s.find("{" + param + "}"), param.size() + 2, v);
            next.push_back(s);
          }
        }
        targets = std::move(next);
      }
      std::vector<std::string> formats{""};
      if (query.count("format")) formats = {"", "format=csv", "format=xlsx"};
      for (const auto& t : targets) {
        for (const auto& fmt : formats) {
          std::string q;
          auto add = [&](const std::string& kv) { q += (q.empty() ? "?" : "&") + kv; };
          if (query.count("org")) add("org=" + org);
          if (query.count("size")) add("size=100");
          if (!fmt.empty()) add(fmt);
          auto r = call("GET", t + q, {{"Authorization", "Bearer " + tok}});
          check_reply(path + (fmt.empty() ? "" : "[" + fmt + "]"), user + ":" + t + q, r);
        }
      }
    }
  }
  // The scan saw residents where they are shown (else it checks nothing).
  for (const char* route :
       {"/api/v1/residents", "/api/v1/residents/{id}", "/api/v1/households/{id}",
        "/api/v1/reports/{form}", "/api/v1/reports/{form}[format=csv]",
        "/api/v1/reports/{form}[format=xlsx]"}) {
    EXPECT_GT(records_[route], 0) << route << " showed no resident to any role";
  }
}

TEST_P(PrivacyTest, TheDatabasesClearColumnsRebuildNoNumber) {
  auto tx = db_->begin(store::TxMode::read);
  int checked = 0;
  for (const auto& r :
       tx->query("SELECT name, birth_date, sex, id_mask, phone_mask FROM residents")) {
    const Person* p = nullptr;
    for (const auto& q : people_) {
      if (q.name == r.text(0)) p = &q;
    }
    ASSERT_NE(p, nullptr);
    // The file gives the exact birth date (kept for reports' exact ages), so only the stored
    // mask may keep anything of the rest.
    std::string known = r.text(3);
    ASSERT_EQ(known.size(), 18u);
    Count c = candidates(known, 0, parse_date(r.text(1)), static_cast<int>(r.i64(2)), p->number);
    EXPECT_TRUE(c.has_truth) << p->name;
    EXPECT_GE(c.n, kMinCandidates) << p->name << ": the file pins the number by " << known;
    if (!r.is_null(4)) {
      const std::string phone = r.text(4);
      EXPECT_GE(std::count(phone.begin(), phone.end(), '*'), 4);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 5);
  // No column of any table holds a number or a phone in clear.
  std::vector<std::string> tables;
  for (const auto& t : tx->query(tx->dialect() == store::Dialect::sqlite
                                     ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                                     : "SELECT table_name FROM information_schema.tables WHERE "
                                       "table_schema = current_schema()")) {
    tables.push_back(t.text(0));
  }
  ASSERT_GT(tables.size(), 5u);
  for (const auto& t : tables) {
    for (const auto& row : tx->query("SELECT * FROM " + t)) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (!row[i].is_text()) continue;
        std::string v = row[i].as_text();
        for (const auto& p : people_) {
          EXPECT_EQ(v.find(p.number), std::string::npos) << t << " holds " << p.name << "'s ID";
          if (!p.phone.empty()) {
            EXPECT_EQ(v.find(p.phone), std::string::npos) << t;
          }
        }
      }
    }
  }
}

TEST_P(PrivacyTest, AgeIsCountedFromTheBirthYearAndTheFilterUsesYears) {
  auto list = get_as("op_ludian", "/api/v1/residents?size=100").json();
  const int year = static_cast<int>(local_date(wangge::now()).year());
  ASSERT_EQ(list["items"].size(), 3u);
  for (const auto& item : list["items"]) {
    EXPECT_FALSE(item.contains("birth_date"));
    EXPECT_EQ(item["age"].get<int>(), year - item["birth_year"].get<int>());
  }
  // 张三 born 1980-01-01, 李四 1982-03-05: an age bound selects whole birth years.
  const int zhang = year - 1980;
  auto names = [&](const std::string& q) {
    std::set<std::string> out;
    const json page = get_as("op_ludian", "/api/v1/residents?" + q).json();
    for (const auto& i : page["items"]) {
      out.insert(i["name"].get<std::string>());
    }
    return out;
  };
  EXPECT_EQ(names("age_min=" + std::to_string(zhang) + "&age_max=" + std::to_string(zhang)),
            (std::set<std::string>{"张三"}));
  EXPECT_EQ(names("age_min=" + std::to_string(zhang - 2) + "&age_max=" + std::to_string(zhang - 2)),
            (std::set<std::string>{"李四"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, PrivacyTest, ::testing::ValuesIn(wangge::testing::backends()));

}  // namespace
}  // namespace wangge::api
