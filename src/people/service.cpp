#include "people/service.h"

#include <algorithm>

#include "core/error.h"
#include "core/pinyin.h"
#include "core/text.h"
#include "org/org.h"
#include "org/service.h"

namespace wangge::people {
namespace {

void check_name(const std::string& name) {
  if (name.empty() || utf8_length(name) > 30) {
    throw_bad_input("invalid_name", "姓名须为1至30个字", "name must be 1 to 30 characters", "name");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || (c >= '0' && c <= '9')) {
      throw_bad_input("invalid_name", "姓名不能包含数字或控制字符",
                      "name must not contain digits or control characters", "name");
    }
  }
}

std::string subject_name(Subject s) { return s == Subject::household ? "household" : "resident"; }

void record_first_color(store::Tx& tx, Subject s, int64_t id, std::string_view color,
                        const Provenance& p, int64_t at) {
  tx.exec(
      "INSERT INTO color_history (subject, subject_id, from_color, to_color, reason, changed_by, "
      "changed_at) VALUES (?, ?, NULL, ?, ?, ?, ?)",
      {subject_name(s), id, color, p.reason, p.by, at});
}

}  // namespace

void check_household_fields(const NewHousehold& h) {
  if (h.household_no.empty() || h.household_no.size() > 40 ||
      h.household_no.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "abcdefghijklmnopqrstuvwxyz-") != std::string::npos) {
    throw_bad_input("invalid_household_no", "户编号须为1至40位数字、字母或连字符",
                    "household number must be 1 to 40 digits, letters or dashes", "household_no");
  }
  if (h.address.empty() || utf8_length(h.address) > 120) {
    throw_bad_input("invalid_address", "住址须为1至120个字", "address must be 1 to 120 characters",
                    "address");
  }
}

ResidentRow encode_resident(const Vault& vault, const NewResident& r) {
  check_name(r.name);
  CitizenId id = citizen_id::parse(r.id_number, "id_number");
  if (r.sex && *r.sex != id.sex) {
    throw_bad_input("sex_mismatch", "性别与公民身份号码不符", "sex does not match the ID number",
                    "sex");
  }
  if (r.birth && *r.birth != id.birth) {
    throw_bad_input("birth_mismatch", "出生日期与公民身份号码不符",
                    "birth date does not match the ID number", "birth_date");
  }
  ResidentRow row;
  row.name = r.name;
  auto spelling = pinyin::spell(r.name);
  row.name_pinyin = std::move(spelling.full);
  row.name_initials = std::move(spelling.initials);
  row.sex = static_cast<int>(id.sex);
  row.birth_date = format_date(id.birth);
  row.id_hash = vault.lookup_hash(id.number);
  row.id_enc = vault.encrypt(id.number);
  row.id_mask = citizen_id::stored_mask(id.number);  // never the tail: see core/codes.h
  if (!r.phone.empty()) {
    std::string phone = phone::normalize_mobile(r.phone, "phone");
    row.phone_enc = vault.encrypt(phone);
    row.phone_mask = phone::mask(phone);
  }
  row.relation = to_string(r.relation);
  row.status = to_string(r.status);
  for (const auto& t : r.tags) {
    const Tag* tag = find_tag(t);
    if (!tag) {
      throw_bad_input("invalid_tag", "未知的标签：" + t, "unknown tag: " + t, "tags");
    }
    if (std::find(row.tags.begin(), row.tags.end(), tag->code) == row.tags.end()) {
      row.tags.push_back(tag->code);
    }
  }
  std::sort(row.tags.begin(), row.tags.end());
  // A key person given no colour starts with the one their categories' rules give.
  std::optional<RiskColor> color = r.color ? r.color : rule_color(row.tags);
  if (color) row.color = std::string(to_string(*color));
  return row;
}

int64_t create_household(store::Tx& tx, const NewHousehold& h, const Provenance& p) {
  check_household_fields(h);
  auto o = org::find_org(tx, h.org_code);
  if (!o || (o->kind != org::OrgKind::micro_grid && o->kind != org::OrgKind::grid)) {
    throw_bad_input("invalid_org", "所属网格不存在或不是网格/微网格：" + h.org_code,
                    "no such grid or micro-grid: " + h.org_code, "org_code");
  }
  std::optional<int64_t> building;
  if (!h.building_code.empty()) {
    auto b = org::find_org(tx, h.building_code);
    if (!b || b->kind != org::OrgKind::building || b->parent_id != o->id) {
      throw_bad_input("invalid_building", "楼栋不存在或不在该网格内：" + h.building_code,
                      "no such building in this grid: " + h.building_code, "building_code");
    }
    building = b->id;
  }
  if (find_household(tx, h.household_no)) {
    throw_conflict("duplicate_household", "户编号已存在：" + h.household_no,
                   "household number exists: " + h.household_no);
  }
  int64_t t = to_unix_ms(now());
  int64_t id = tx.insert_id(
      "INSERT INTO households (household_no, org_id, building_id, address, color, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {h.household_no, o->id, building, h.address, to_string(h.color), t, t});
  if (h.color != RiskColor::green) {
    record_first_color(tx, Subject::household, id, to_string(h.color), p, t);
  }
  tx.changed(kHousehold, id, store::ChangeKind::created);
  return id;
}

int64_t create_resident(store::Tx& tx, const Vault& vault, const NewResident& r,
                        const Provenance& p) {
  for (const auto& t : r.tags) find_tag(tx, t);  // a tag added since the catalogue was loaded
  ResidentRow row = encode_resident(vault, r);
  auto hh =
      tx.query_one("SELECT id, org_id FROM households WHERE household_no = ?", {r.household_no});
  if (!hh) {
    throw_bad_input("unknown_household", "户编号不存在：" + r.household_no,
                    "no such household: " + r.household_no, "household_no");
  }
  if (tx.query_one("SELECT 1 FROM residents WHERE id_hash = ?", {row.id_hash})) {
    throw_conflict("duplicate_id_number", "该公民身份号码已登记",
                   "this ID number is already registered");
  }
  return insert_resident(tx, row, hh->i64(0), hh->i64(1), p);
}

int64_t insert_resident(store::Tx& tx, const ResidentRow& row, int64_t household_id, int64_t org_id,
                        const Provenance& p) {
  int64_t t = to_unix_ms(now());
  int64_t id = tx.insert_id(
      "INSERT INTO residents (household_id, org_id, name, name_pinyin, name_initials, sex, "
      "birth_date, id_hash, id_enc, id_mask, phone_enc, phone_mask, relation, status, color, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {household_id, org_id, row.name, row.name_pinyin, row.name_initials, row.sex, row.birth_date,
       row.id_hash, row.id_enc, row.id_mask, row.phone_enc, row.phone_mask, row.relation,
       row.status, row.color, t, t});
  for (const auto& tag : row.tags) {
    tx.exec("INSERT INTO resident_tags (resident_id, tag) VALUES (?, ?)", {id, tag});
  }
  if (row.color) record_first_color(tx, Subject::resident, id, *row.color, p, t);
  tx.changed(kResident, id, store::ChangeKind::created);
  return id;
}

std::optional<int64_t> find_household(store::Tx& tx, std::string_view household_no) {
  auto r = tx.query_one("SELECT id FROM households WHERE household_no = ?", {household_no});
  if (!r) return std::nullopt;
  return r->i64(0);
}

std::optional<int64_t> find_resident_by_id_number(store::Tx& tx, const Vault& vault,
                                                  std::string_view id_number) {
  auto id = citizen_id::try_parse(id_number);
  if (!id) return std::nullopt;
  auto r =
      tx.query_one("SELECT id FROM residents WHERE id_hash = ?", {vault.lookup_hash(id->number)});
  if (!r) return std::nullopt;
  return r->i64(0);
}

std::optional<IdHolder> find_id_holder(store::Tx& tx, std::string_view id_hash) {
  auto r = tx.query_one(
      "SELECT r.id, o.code FROM residents r JOIN orgs o ON o.id = r.org_id WHERE r.id_hash = ?",
      {id_hash});
  if (!r) return std::nullopt;
  return IdHolder{r->i64(0), r->text(1)};
}

int64_t probes_on(store::Tx& tx, std::string_view username, Date day) {
  auto r = tx.query_one("SELECT hits FROM duplicate_probes WHERE username = ? AND day = ?",
                        {username, format_date(day)});
  return r ? r->i64(0) : 0;
}

int64_t record_probe(store::Tx& tx, std::string_view username, Date day) {
  int64_t hits = probes_on(tx, username, day) + 1;
  if (hits == 1) {
    tx.exec("INSERT INTO duplicate_probes (username, day, hits) VALUES (?, ?, 1)",
            {username, format_date(day)});
  } else {
    tx.exec("UPDATE duplicate_probes SET hits = ? WHERE username = ? AND day = ?",
            {hits, username, format_date(day)});
  }
  return hits;
}

std::vector<std::string> tags_of(store::Tx& tx, int64_t resident_id) {
  std::vector<std::string> out;
  for (const auto& r : tx.query("SELECT tag FROM resident_tags WHERE resident_id = ? ORDER BY tag",
                                {resident_id})) {
    out.push_back(r.text(0));
  }
  return out;
}

void set_tags(store::Tx& tx, int64_t resident_id, const std::vector<std::string>& tags) {
  std::vector<std::string> codes;
  for (const auto& t : tags) {
    const Tag* tag = find_tag(tx, t);
    if (!tag) throw_bad_input("invalid_tag", "未知的标签：" + t, "unknown tag: " + t, "tags");
    codes.push_back(tag->code);
  }
  tx.exec("DELETE FROM resident_tags WHERE resident_id = ?", {resident_id});
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  for (const auto& c : codes) {
    tx.exec("INSERT INTO resident_tags (resident_id, tag) VALUES (?, ?)", {resident_id, c});
  }
  tx.changed(kResident, resident_id);
}

void change_color(store::Tx& tx, Subject subject, int64_t id, RiskColor to,
                  const std::string& reason, const std::string& changed_by) {
  size_t len = utf8_length(reason);
  if (len < 2 || len > 200) {
    throw_bad_input("invalid_reason", "调整颜色须填写原因（2至200字）",
                    "a colour change needs a reason of 2 to 200 characters", "reason");
  }
  const char* table = subject == Subject::household ? "households" : "residents";
  auto current = tx.query_one(std::string("SELECT color FROM ") + table + " WHERE id = ?", {id});
  if (!current) throw_not_found("记录不存在", "no such record");
  auto from = current->opt_text(0);
  if (from && *from == to_string(to)) return;
  int64_t t = to_unix_ms(now());
  tx.exec(std::string("UPDATE ") + table + " SET color = ?, updated_at = ? WHERE id = ?",
          {to_string(to), t, id});
  tx.changed(subject == Subject::household ? kHousehold : kResident, id);
  tx.exec(
      "INSERT INTO color_history (subject, subject_id, from_color, to_color, reason, changed_by, "
      "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {subject_name(subject), id, from, to_string(to), reason, changed_by, t});
}

std::vector<ColorChange> color_history(store::Tx& tx, Subject subject, int64_t id) {
  std::vector<ColorChange> out;
  for (const auto& r : tx.query("SELECT from_color, to_color, reason, changed_by, changed_at "
                                "FROM color_history WHERE subject = ? AND subject_id = ? "
                                "ORDER BY id",
                                {subject_name(subject), id})) {
    ColorChange c;
    if (auto f = r.opt_text(0)) c.from = parse_color(*f);
    c.to = parse_color(r.text(1));
    c.reason = r.text(2);
    c.changed_by = r.text(3);
    c.at = from_unix_ms(r.i64(4));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace wangge::people
