// GeoReport v2 documents and service requests over the events service. The SQL here reads the
// events table (owned by service.cpp) only to filter; every event is read through find_event.
#include "intake/open311.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/text.h"
#include "events/events.h"
#include "events/service.h"
#include "org/service.h"

namespace wangge::intake::open311 {
namespace {

constexpr events::Damage kDamages[] = {events::Damage::none, events::Damage::minor,
                                       events::Damage::moderate, events::Damage::serious,
                                       events::Damage::severe};

double parse_number(const std::string& v, const char* field) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d)) {
    throw_bad_input("invalid_number", std::string(field) + " 须为数字",
                    std::string(field) + " must be a number", field);
  }
  return d;
}

void check_length(const std::string& v, size_t max, const char* field) {
  if (utf8_length(v) > max) {
    throw_bad_input("too_long", std::string(field) + " 不能超过 " + std::to_string(max) + " 个字符",
                    std::string(field) + " may not exceed " + std::to_string(max) + " characters",
                    field);
  }
}

void check_attribute(const std::string& code, const std::string& value) {
  const std::string field = "attribute[" + code + "]";
  if (code == "damage") {
    events::parse_damage(value, field);
  } else if (code == "people_affected") {
    double n = parse_number(value, field.c_str());
    if (n < 0 || n > 10'000'000 || n != std::floor(n)) {
      throw_bad_input("invalid_number", "受影响人数须为 0–10000000 的整数",
                      "people_affected must be a whole number from 0 to 10000000", field);
    }
  } else {
    throw_bad_input("unknown_attribute", "未知的属性：" + code, "unknown attribute: " + code,
                    field);
  }
}

// The first n code points of s.
std::string utf8_prefix(const std::string& s, size_t n) {
  size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++count;
  }
  return s.substr(0, std::min(i, s.size()));
}

std::string random_token() {
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  std::string hex(b.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), b.data(), b.size());
  hex.pop_back();
  return hex;
}

// The deepest county, township or village whose name the address contains, then its first
// grid (by code).
std::optional<std::string> grid_by_address(store::Tx& tx, const std::string& address) {
  if (address.empty()) return std::nullopt;
  std::optional<std::string> best;
  int best_rank = -1;
  size_t best_len = 0;
  for (const auto& r :
       tx.query("SELECT code, kind, name FROM orgs WHERE kind IN ('county', 'township', 'village') "
                "AND ? LIKE '%' || name || '%'",
                {address})) {
    const std::string kind = r.text(1);
    int rank = kind == "village" ? 3 : kind == "township" ? 2 : 1;
    size_t len = r.text(2).size();
    if (rank > best_rank || (rank == best_rank && len > best_len)) {
      best = r.text(0);
      best_rank = rank;
      best_len = len;
    }
  }
  if (!best) return std::nullopt;
  const std::string prefix = org::subtree_prefix(*best);
  auto grid = tx.query_one(
      "SELECT code FROM orgs WHERE kind = 'grid' AND code >= ? AND code < ? ORDER BY code LIMIT 1",
      {prefix, prefix + ":"});
  if (!grid) return std::nullopt;
  return grid->text(0);
}

// Coordinates as Open311 shows them: rounded to kCoordinateStep degrees.
std::optional<double> coarse(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  return std::round(*v / kCoordinateStep) * kCoordinateStep;
}

OJson request_json(const events::Event& e, const std::string& media_url) {
  const events::Category* c = events::find_category(e.category);
  // The resident's words, address and photo only once an owner reviewed and published them.
  bool published = e.published_at.has_value();
  auto lat = coarse(e.lat), lng = coarse(e.lng);
  return {{"service_request_id", std::to_string(e.id)},
          {"status", is_open(e.state) ? "open" : "closed"},
          {"status_notes", std::string(label(e.state))},
          {"service_name", c ? c->name : e.category},
          {"service_code", e.category},
          {"description", published ? e.description : ""},
          {"agency_responsible", e.owner_name},
          {"service_notice", ""},
          {"requested_datetime", format_local(e.reported_at)},
          {"updated_datetime", format_local(e.updated_at)},
          {"expected_datetime", format_local(e.due_at)},
          {"address", published ? e.address : ""},
          {"address_id", ""},
          {"zipcode", ""},
          {"lat", lat ? OJson(*lat) : OJson()},
          {"long", lng ? OJson(*lng) : OJson()},
          {"media_url", published ? media_url : ""}};
}

std::string placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

}  // namespace

OJson services() {
  OJson out = OJson::array();
  for (const auto& c : events::categories()) {
    if (!c.reportable) continue;
    const events::Category* parent = c.parent.empty() ? nullptr : events::find_category(c.parent);
    std::string group = parent ? parent->name : c.name;
    out.push_back({{"service_code", c.code},
                   {"service_name", c.name},
                   {"description", parent ? parent->name + "·" + c.name : c.name},
                   {"metadata", true},
                   {"type", "realtime"},
                   {"keywords", parent ? parent->name + "," + c.name : c.name},
                   {"group", group}});
  }
  return out;
}

OJson service_definition(std::string_view code) {
  const events::Category* c = events::find_category(code);
  if (!c || c->code != code || !c->reportable) {
    throw_not_found("服务类型不存在：" + std::string(code),
                    "no such service: " + std::string(code));
  }
  OJson values = OJson::array();
  for (events::Damage d : kDamages) {
    values.push_back({{"key", std::string(to_string(d))}, {"name", std::string(label(d))}});
  }
  OJson attributes = OJson::array();
  attributes.push_back({{"variable", true},
                        {"code", "people_affected"},
                        {"datatype", "number"},
                        {"required", false},
                        {"datatype_description", "0–10000000 的整数"},
                        {"order", 1},
                        {"description", "受影响人数"}});
  attributes.push_back({{"variable", true},
                        {"code", "damage"},
                        {"datatype", "singlevaluelist"},
                        {"required", false},
                        {"datatype_description", ""},
                        {"order", 2},
                        {"description", "损害程度"},
                        {"values", values}});
  return {{"service_code", c->code}, {"attributes", attributes}};
}

NewRequest parse_request_form(const std::vector<std::pair<std::string, std::string>>& items) {
  NewRequest r;
  std::optional<std::string> lat, lng;
  std::map<std::string, std::string*> text = {{"service_code", &r.service_code},
                                              {"address_string", &r.address_string},
                                              {"address_id", &r.address_id},
                                              {"description", &r.description},
                                              {"media_url", &r.media_url},
                                              {"email", &r.email},
                                              {"device_id", &r.device_id},
                                              {"account_id", &r.account_id},
                                              {"first_name", &r.first_name},
                                              {"last_name", &r.last_name},
                                              {"phone", &r.phone}};
  for (const auto& [k, v] : items) {
    if (auto it = text.find(k); it != text.end()) {
      *it->second = v;
    } else if (k == "lat") {
      lat = v;
    } else if (k == "long") {
      lng = v;
    } else if (k.starts_with("attribute[") && k.ends_with("]") && k.size() > 11) {
      r.attributes[k.substr(10, k.size() - 11)] = v;
    }
  }
  if (r.service_code.empty()) {
    throw_bad_input("missing_field", "缺少 service_code", "service_code is required",
                    "service_code");
  }
  if (lat.has_value() != lng.has_value()) {
    throw_bad_input("missing_field", "lat 与 long 须同时提供", "lat and long go together",
                    lat ? "long" : "lat");
  }
  if (lat) {
    r.lat = parse_number(*lat, "lat");
    r.lng = parse_number(*lng, "long");
  }
  if (!r.lat && r.address_string.empty() && r.address_id.empty()) {
    throw_bad_input("missing_field", "须提供位置：lat/long、address_string 或 address_id",
                    "a location is required: lat/long, address_string or address_id", "lat");
  }
  for (const auto& [code, value] : r.attributes) check_attribute(code, value);
  if (!r.media_url.empty() &&
      !(r.media_url.starts_with("http://") || r.media_url.starts_with("https://"))) {
    throw_bad_input("invalid_media_url", "media_url 须以 http:// 或 https:// 开头",
                    "media_url must start with http:// or https://", "media_url");
  }
  if (!r.email.empty() && (r.email.find('@') == std::string::npos ||
                           r.email.find_first_of(" \t\r\n") != std::string::npos)) {
    throw_bad_input("invalid_email", "email 格式不正确", "malformed email", "email");
  }
  check_length(r.media_url, 1000, "media_url");
  check_length(r.address_string, 200, "address_string");
  check_length(r.email, 200, "email");
  for (auto [v, f] : {std::pair{&r.first_name, "first_name"},
                      {&r.last_name, "last_name"},
                      {&r.phone, "phone"},
                      {&r.device_id, "device_id"},
                      {&r.account_id, "account_id"},
                      {&r.address_id, "address_id"}}) {
    check_length(*v, 100, f);
  }
  return r;
}

Created create_request(store::Tx& tx, const Vault& vault, const ApiKey& key, const NewRequest& r,
                       Instant now) {
  const events::Category& cat = events::require_category(r.service_code, "service_code");
  std::optional<std::string> grid;
  if (r.lat && r.lng) grid = events::locate_grid(tx, *r.lat, *r.lng);
  if (!grid) grid = grid_by_address(tx, r.address_string);
  if (!grid) {
    throw_bad_input("unknown_location", "无法根据所给位置确定所属网格，请提供经纬度或详细地址",
                    "no grid could be found for the location; give lat/long or a full address",
                    r.lat ? "lat" : "address_string");
  }
  events::Actor a;
  a.name = "open311:" + key.name;
  a.role = auth::Role::resident;
  a.org_code = *grid;
  a.can_report = true;
  events::NewEvent e;
  e.category = cat.code;
  // The category is shown beside the title everywhere, so the title is the resident's words.
  e.title = r.description.empty() ? cat.name + "（市民上报）" : utf8_prefix(r.description, 60);
  e.description = r.description;
  e.lat = r.lat;
  e.lng = r.lng;
  e.address = r.address_string;
  e.grid_code = *grid;
  e.source = events::Source::resident;
  if (auto it = r.attributes.find("people_affected"); it != r.attributes.end()) {
    e.people_affected = static_cast<int>(parse_number(it->second, "people_affected"));
  }
  if (auto it = r.attributes.find("damage"); it != r.attributes.end()) {
    e.damage = events::parse_damage(it->second, "attribute[damage]");
  }
  Created out{0, random_token()};
  e.external_ref = out.token;
  out.event_id = report(tx, a, e, now).id;
  nlohmann::json contact = {{"email", r.email},         {"first_name", r.first_name},
                            {"last_name", r.last_name}, {"phone", r.phone},
                            {"device_id", r.device_id}, {"account_id", r.account_id}};
  tx.exec(
      "INSERT INTO open311_requests (token, event_id, api_key_id, service_code, media_url, "
      "contact_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {out.token, out.event_id, key.id, cat.code, r.media_url, vault.encrypt(contact.dump()),
       to_unix_ms(now)});
  return out;
}

OJson find_requests(store::Tx& tx, const RequestFilter& f, Instant now) {
  // Only the categories the city publishes, and of those only the requests made through
  // Open311 or published by an owner.
  std::vector<std::string> shown;
  for (const auto& c : events::categories()) {
    if (!c.is_public || !c.reportable) continue;
    bool asked =
        f.service_codes.empty() || !f.ids.empty() ||
        std::find(f.service_codes.begin(), f.service_codes.end(), c.code) != f.service_codes.end();
    if (asked) shown.push_back(c.code);
  }
  if (shown.empty()) return OJson::array();
  std::string sql =
      "SELECT e.id, o.media_url FROM events e LEFT JOIN open311_requests o ON o.event_id = e.id "
      "WHERE (o.id IS NOT NULL OR e.published_at IS NOT NULL) AND e.category IN (" +
      placeholders(shown.size()) + ")";
  store::Params params;
  for (const auto& c : shown) params.emplace_back(c);
  if (!f.ids.empty()) {
    sql += " AND e.id IN (" + placeholders(f.ids.size()) + ")";
    for (int64_t id : f.ids) params.emplace_back(id);
  } else {
    Instant end = f.end.value_or(now);
    Instant start = f.start.value_or(end - std::chrono::days(90));
    if (start > end) {
      throw_bad_input("invalid_period", "start_date 不能晚于 end_date",
                      "start_date may not be after end_date", "start_date");
    }
    sql += " AND e.reported_at >= ? AND e.reported_at <= ?";
    params.emplace_back(to_unix_ms(start));
    params.emplace_back(to_unix_ms(end));
    if (f.open) {
      sql += std::string(*f.open ? " AND e.state NOT IN" : " AND e.state IN") +
             " ('resolved', 'closed', 'cancelled')";
    }
  }
  sql += " ORDER BY e.reported_at DESC, e.id DESC LIMIT " + std::to_string(kMaxRequests);
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& r : tx.query(sql, params))
    rows.emplace_back(r.i64(0), r.opt_text(1).value_or(""));
  OJson out = OJson::array();
  for (const auto& [id, media] : rows) {
    if (auto e = events::find_event(tx, id)) out.push_back(request_json(*e, media));
  }
  return out;
}

OJson request_by_id(store::Tx& tx, int64_t id) {
  RequestFilter f;
  f.ids = {id};
  OJson out = find_requests(tx, f, wangge::now());
  if (out.empty()) {
    throw_not_found("服务请求不存在：" + std::to_string(id),
                    "no such service request: " + std::to_string(id));
  }
  return out;
}

OJson token_status(store::Tx& tx, std::string_view token) {
  auto row = tx.query_one("SELECT event_id FROM open311_requests WHERE token = ?", {token});
  if (!row) throw_not_found("令牌不存在", "no such token");
  OJson item = {{"service_request_id", std::to_string(row->i64(0))}, {"token", std::string(token)}};
  return OJson::array({item});
}

const std::vector<store::Migration>& open311_migrations() {
  static const std::vector<store::Migration> list{
      {"open311", 1, R"sql(
CREATE TABLE open311_requests (
  id {pk},
  token TEXT NOT NULL UNIQUE,
  event_id BIGINT NOT NULL,
  api_key_id BIGINT NOT NULL,
  service_code TEXT NOT NULL,
  media_url TEXT NOT NULL DEFAULT '',
  contact_enc {blob},
  created_at BIGINT NOT NULL
);
CREATE INDEX open311_requests_event ON open311_requests(event_id);
)sql"},
  };
  return list;
}

}  // namespace wangge::intake::open311
