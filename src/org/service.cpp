#include "org/service.h"

#include "core/codes.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "org/geo.h"

namespace wangge::org {
namespace {

constexpr const char* kOrgColumns =
    "SELECT id, code, parent_id, kind, type, name, boundary, lat, lng FROM orgs ";

Org read_org(const store::Row& r) {
  Org o;
  o.id = r.i64(0);
  o.code = r.text(1);
  o.parent_id = r.opt_i64(2);
  o.kind = parse_kind(r.text(3));
  o.type = r.text(4);
  o.name = r.text(5);
  o.boundary = r.opt_text(6);
  if (!r.is_null(7)) o.lat = r.f64(7);
  if (!r.is_null(8)) o.lng = r.f64(8);
  return o;
}

std::string_view default_type(OrgKind k) {
  switch (k) {
    case OrgKind::city:
      return "city";
    case OrgKind::county:
      return "county";
    case OrgKind::township:
      return "town";
    case OrgKind::village:
      return "village";
    case OrgKind::grid:
      return "grid";
    case OrgKind::micro_grid:
      return "micro_grid";
    case OrgKind::building:
      return "building";
    case OrgKind::department:
      return "department";
  }
  return "";
}

void check_point(const std::optional<double>& lat, const std::optional<double>& lng) {
  if (lat.has_value() != lng.has_value()) {
    throw_bad_input("invalid_point", "经纬度须同时填写", "lat and lng go together", "lat");
  }
  if (lat && (*lat < -90 || *lat > 90)) {
    throw_bad_input("invalid_point", "纬度超出范围", "latitude out of range", "lat");
  }
  if (lng && (*lng < -180 || *lng > 180)) {
    throw_bad_input("invalid_point", "经度超出范围", "longitude out of range", "lng");
  }
}

}  // namespace

std::string subtree_prefix(std::string_view code) {
  if (code.size() > 12) return std::string(code);
  // Drop trailing all-zero segments of the 2-2-2-3-3 division code.
  static constexpr size_t ends[] = {2, 4, 6, 9, 12};
  size_t keep = 2;
  for (size_t end : ends) {
    size_t begin = end == 2 ? 0 : (end <= 6 ? end - 2 : end - 3);
    if (code.substr(begin, end - begin).find_first_not_of('0') != std::string_view::npos) {
      keep = end;
    }
  }
  return std::string(code.substr(0, keep));
}

int64_t create_org(store::Tx& tx, const NewOrg& in) {
  std::string type = in.type;
  bool department = type == "department" || type == "station";
  OrgKind kind;
  if (department) {
    kind = OrgKind::department;
    if (in.code.size() != 12 || in.code.find_first_not_of("0123456789") != std::string::npos) {
      throw_bad_input("invalid_code", "部门编码须为12位数字", "a department code is 12 digits",
                      "code");
    }
  } else {
    division::require_valid(in.code, "code");
    kind = kind_of_code(in.code);
    if (type.empty()) type = default_type(kind);
    if (!type_fits(kind, type)) {
      throw_bad_input("invalid_type", "组织类型与编码层级不符：" + type,
                      "type does not fit the code's level: " + type, "type");
    }
  }
  if (in.name.empty() || utf8_length(in.name) > 60) {
    throw_bad_input("invalid_name", "名称须为1至60个字", "name must be 1 to 60 characters", "name");
  }
  // Stored in one compact form, checked (geo::parse says what a boundary must be).
  std::optional<std::string> boundary;
  if (in.boundary) boundary = geo::canonical(*in.boundary);
  check_point(in.lat, in.lng);

  std::optional<int64_t> parent_id;
  if (in.parent_code.empty()) {
    if (kind != OrgKind::city || tx.query_int("SELECT COUNT(*) FROM orgs") != 0) {
      throw_bad_input("missing_parent", "须指定上级组织", "a parent org is required",
                      "parent_code");
    }
  } else {
    auto parent = find_org(tx, in.parent_code);
    if (!parent) {
      throw_bad_input("unknown_parent", "上级组织不存在：" + in.parent_code,
                      "no such parent org: " + in.parent_code, "parent_code");
    }
    bool fits = department ? ((parent->kind == OrgKind::county || parent->kind == OrgKind::city ||
                               parent->kind == OrgKind::township) &&
                              in.code.starts_with(subtree_prefix(parent->code)))
                           : division::parent(in.code) == parent->code;
    if (!fits) {
      throw_bad_input("code_not_under_parent", "编码不在上级组织之下：" + in.code,
                      "code does not lie under the parent: " + in.code, "code");
    }
    parent_id = parent->id;
  }
  if (find_org(tx, in.code)) {
    throw_conflict("duplicate_code", "组织编码已存在：" + in.code, "org code exists: " + in.code);
  }
  const int64_t id = tx.insert_id(
      "INSERT INTO orgs (code, parent_id, kind, type, name, boundary, lat, lng, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {in.code, parent_id, to_string(kind), type, in.name, boundary, in.lat, in.lng,
       to_unix_ms(now())});
  tx.changed(kOrg, id, store::ChangeKind::created);
  return id;
}

std::optional<Org> find_org(store::Tx& tx, std::string_view code) {
  auto r = tx.query_one(std::string(kOrgColumns) + "WHERE code = ?", {code});
  if (!r) return std::nullopt;
  return read_org(*r);
}

std::optional<Org> find_org(store::Tx& tx, int64_t id) {
  auto r = tx.query_one(std::string(kOrgColumns) + "WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return read_org(*r);
}

Org get_org(store::Tx& tx, std::string_view code) {
  auto o = find_org(tx, code);
  if (!o) throw_not_found("组织不存在：" + std::string(code), "no such org: " + std::string(code));
  return *o;
}

std::vector<Org> children(store::Tx& tx, int64_t id) {
  std::vector<Org> out;
  for (const auto& r :
       tx.query(std::string(kOrgColumns) + "WHERE parent_id = ? ORDER BY code", {id})) {
    out.push_back(read_org(r));
  }
  return out;
}

int64_t child_count(store::Tx& tx, int64_t id) {
  return tx.query_int("SELECT COUNT(*) FROM orgs WHERE parent_id = ?", {id});
}

std::vector<Org> ancestors(store::Tx& tx, std::string_view code) {
  std::vector<Org> chain;
  auto o = find_org(tx, code);
  while (o) {
    chain.insert(chain.begin(), *o);
    o = o->parent_id ? find_org(tx, *o->parent_id) : std::nullopt;
  }
  return chain;
}

int64_t create_party_org(store::Tx& tx, const NewPartyOrg& p) {
  if (p.name.empty() || utf8_length(p.name) > 60) {
    throw_bad_input("invalid_name", "名称须为1至60个字", "name must be 1 to 60 characters", "name");
  }
  if (!find_org(tx, p.org_id)) {
    throw_bad_input("unknown_org", "所在组织不存在", "no such org", "org_id");
  }
  if (p.parent_id && !tx.query_one("SELECT 1 FROM party_orgs WHERE id = ?", {*p.parent_id})) {
    throw_bad_input("unknown_parent", "上级党组织不存在", "no such parent party org", "parent_id");
  }
  const int64_t id = tx.insert_id(
      "INSERT INTO party_orgs (name, kind, parent_id, org_id, created_at) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id",
      {p.name, to_string(p.kind), p.parent_id, p.org_id, to_unix_ms(now())});
  tx.changed(kPartyOrg, id, store::ChangeKind::created);
  return id;
}

int64_t create_staff(store::Tx& tx, const Vault& vault, const NewStaff& s) {
  if (s.name.empty() || utf8_length(s.name) > 30) {
    throw_bad_input("invalid_name", "姓名须为1至30个字", "name must be 1 to 30 characters", "name");
  }
  std::optional<store::Blob> phone_enc;
  std::optional<std::string> phone_mask;
  if (!s.phone.empty()) {
    std::string phone = phone::normalize_mobile(s.phone, "phone");
    phone_enc = vault.encrypt(phone);
    phone_mask = phone::mask(phone);
  }
  return tx.insert_id(
      "INSERT INTO staff (name, phone_enc, phone_mask, created_at) VALUES (?, ?, ?, ?) "
      "RETURNING id",
      {s.name, phone_enc, phone_mask, to_unix_ms(now())});
}

int64_t assign_post(store::Tx& tx, int64_t staff_id, int64_t org_id, PostRole role) {
  if (!tx.query_one("SELECT 1 FROM staff WHERE id = ?", {staff_id})) {
    throw_bad_input("unknown_staff", "人员不存在", "no such staff member", "staff_id");
  }
  auto o = find_org(tx, org_id);
  if (!o) throw_bad_input("unknown_org", "所在组织不存在", "no such org", "org_id");
  if (!role_fits(role, o->kind)) {
    throw_bad_input(
        "role_does_not_fit",
        std::string(label(role)) + "不能设在" + std::string(type_label(o->type)) + "一级",
        std::string(to_string(role)) + " cannot be posted at a " + std::string(to_string(o->kind)),
        "role");
  }
  const int64_t id = tx.insert_id(
      "INSERT INTO posts (staff_id, org_id, role, started_at) VALUES (?, ?, ?, ?) RETURNING id",
      {staff_id, org_id, to_string(role), to_unix_ms(now())});
  tx.changed(kPost, id, store::ChangeKind::created);
  return id;
}

std::vector<Post> posts_of(store::Tx& tx, int64_t staff_id) {
  std::vector<Post> out;
  for (const auto& r : tx.query("SELECT id, staff_id, org_id, role FROM posts "
                                "WHERE staff_id = ? AND ended_at IS NULL ORDER BY id",
                                {staff_id})) {
    out.push_back({r.i64(0), r.i64(1), r.i64(2), parse_post_role(r.text(3))});
  }
  return out;
}

}  // namespace wangge::org
