// Exporting households and residents as CSV (streamed) or XLSX (constant memory).
#include <fmt/format.h>

#include <fstream>
#include <ostream>

#include "core/error.h"
#include "org/service.h"
#include "people/people.h"
#include "people/registry_columns.h"
#include "people/registry_io.h"
#include "sheets/csv.h"
#include "sheets/xlsx_writer.h"

namespace wangge::people {
namespace {

// The WHERE clause limiting rows to an org subtree (orgs aliased o), and its parameters.
std::pair<std::string, store::Params> subtree(store::Tx& tx, const std::string& org_code) {
  if (org_code.empty()) return {"", {}};
  org::get_org(tx, org_code);  // Error(not_found) for an unknown code
  std::string prefix = org::subtree_prefix(org_code);
  return {" WHERE o.code >= ? AND o.code < ?", {prefix, prefix + ":"}};
}

std::string tag_names(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    const auto* t = people::find_tag(c);
    if (!out.empty()) out += registry::kTagSeparator;
    out += t ? t->name : c;
  }
  return out;
}

std::string label_or_empty(const std::optional<std::string>& color) {
  return color ? std::string(people::label(people::parse_color(*color))) : std::string();
}

// Streams export rows (header first) to `sink`.
int64_t produce(store::Database& db, const Vault& vault, Registry what, const std::string& org,
                const std::function<void(const sheets::Row&)>& sink) {
  sheets::Row header;
  for (const auto& h : registry_headers(what)) header.emplace_back(h);
  sink(header);
  auto tx = db.begin(store::TxMode::read);
  auto [where, params] = subtree(*tx, org);
  int64_t n = 0;
  if (what == Registry::households) {
    tx->each(
        "SELECT h.household_no, o.code, b.code, h.address, h.color FROM households h "
        "JOIN orgs o ON o.id = h.org_id LEFT JOIN orgs b ON b.id = h.building_id" +
            where + " ORDER BY h.id",
        params, [&](const store::Row& r) {
          sink({r.text(0), r.text(1), r.text(2), r.text(3),
                std::string(people::label(people::parse_color(r.text(4))))});
          ++n;
        });
    return n;
  }
  // Tags first, in resident order, merged into the resident stream below (one cursor at a
  // time: PostgreSQL streams one result per connection).
  std::vector<std::pair<int64_t, std::string>> tags;
  tx->each(
      "SELECT t.resident_id, t.tag FROM resident_tags t JOIN residents r ON "
      "r.id = t.resident_id JOIN orgs o ON o.id = r.org_id" +
          where + " ORDER BY t.resident_id, t.tag",
      params, [&](const store::Row& r) { tags.emplace_back(r.i64(0), r.text(1)); });
  size_t next_tag = 0;
  tx->each(
      "SELECT r.id, h.household_no, r.name, r.sex, r.id_enc, r.birth_date, r.phone_enc, "
      "r.relation, r.status, r.color FROM residents r JOIN households h ON "
      "h.id = r.household_id JOIN orgs o ON o.id = r.org_id" +
          where + " ORDER BY r.id",
      params, [&](const store::Row& r) {
        const int64_t id = r.i64(0);
        std::vector<std::string> mine;
        while (next_tag < tags.size() && tags[next_tag].first < id) ++next_tag;
        while (next_tag < tags.size() && tags[next_tag].first == id) {
          mine.push_back(tags[next_tag++].second);
        }
        sink({r.text(1), r.text(2), r.i64(3) == 1 ? "男" : "女", vault.decrypt(r.blob(4)),
              r.text(5), r.is_null(6) ? "" : vault.decrypt(r.blob(6)),
              std::string(people::label(people::parse_relation(r.text(7)))),
              std::string(people::label(people::parse_status(r.text(8)))), tag_names(mine),
              label_or_empty(r.opt_text(9))});
        ++n;
      });
  return n;
}

}  // namespace

int64_t export_registry(store::Database& db, const Vault& vault, Registry what,
                        const ExportOptions& opts, std::ostream& out) {
  if (opts.format != ExportFormat::csv) {
    throw_bad_input("invalid_format", "XLSX 只能导出到文件", "XLSX needs an output file", "format");
  }
  sheets::CsvWriter writer(out);
  int64_t n = produce(db, vault, what, opts.org_code,
                      [&](const sheets::Row& row) { writer.write_row(row); });
  writer.flush();
  return n;
}

int64_t export_registry(store::Database& db, const Vault& vault, Registry what,
                        const ExportOptions& opts, const std::filesystem::path& file) {
  if (opts.format == ExportFormat::csv) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw Error(ErrorKind::unavailable, "write_failed", "无法写入文件：" + file.string(),
                  "cannot write " + file.string());
    }
    return export_registry(db, vault, what, opts, out);
  }
  sheets::XlsxWriter book(file, {.constant_memory = true});
  auto& sheet = book.add_sheet(what == Registry::residents ? "居民" : "住户");
  sheets::StyleId bold = book.style({.bold = true});
  sheet.freeze_panes(1, 0);  // constant-memory sheets take their settings before the rows
  // A register is wide (dozens of columns): landscape, the header row on every page, numbered
  // pages; not shrunk to one page wide, which would make it unreadable.
  sheet.set_page({.landscape = true, .fit_width = false, .repeat_first = 0, .repeat_last = 0});
  bool first = true;
  int64_t n = produce(db, vault, what, opts.org_code, [&](const sheets::Row& row) {
    sheet.append_row(row, first ? bold : 0);
    first = false;
  });
  book.close();
  return n;
}

}  // namespace wangge::people
