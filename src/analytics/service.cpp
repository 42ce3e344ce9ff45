#include "analytics/service.h"

#include <cstdlib>

#include "analytics/fields.h"
#include "core/error.h"

namespace wangge::analytics {

ReportService::ReportService(store::Database& db, const ServiceOptions& options)
    : index_(db), dict_(forms::Dictionary::shipped()) {
  dir_ = options.forms_dir;
  bool from_env = false;
  if (dir_.empty()) {
    if (const char* env = std::getenv("WANGGE_FORMS_DIR"); env && *env) {
      dir_ = env;
      from_env = true;
    } else {
      dir_ = forms::FormSet::shipped_dir();
    }
  }
  save_ = options.save_forms.value_or(from_env);
  if (!dir_.empty()) forms_ = forms::FormSet::load(dir_, dict_, field_check());
  if (options.load_index) index_.load();
}

std::optional<forms::Form> ReportService::form(std::string_view code) const {
  std::lock_guard lock(mutex_);
  const forms::Form* f = forms_.find(code);
  if (!f) return std::nullopt;
  return *f;
}

std::vector<forms::Form> ReportService::forms() const {
  std::lock_guard lock(mutex_);
  std::vector<forms::Form> out;
  for (const auto* f : forms_.all()) out.push_back(*f);
  return out;
}

forms::Form ReportService::put_form(std::string_view code, std::string_view toml_text) {
  std::lock_guard lock(mutex_);
  return forms_.put(code, toml_text, dict_, field_check(), save_ ? dir_ : std::filesystem::path{});
}

forms::Report ReportService::report(std::string_view code, const ReportRequest& req) const {
  auto f = form(code);
  if (!f) {
    throw_not_found("没有编码为 " + std::string(code) + " 的报表", "no form " + std::string(code));
  }
  if (f->kind == forms::FormKind::roster) {
    throw_bad_input("is_a_roster", "报表 " + f->code + " 是名册，没有统计行",
                    "form " + f->code + " is a roster, not a summary", "form");
  }
  return run_report(index_, *f, req);
}

forms::Roster ReportService::roster(std::string_view code, const RosterRequest& req) const {
  auto f = form(code);
  if (!f) {
    throw_not_found("没有编码为 " + std::string(code) + " 的报表", "no form " + std::string(code));
  }
  return run_roster(index_, *f, req);
}

}  // namespace wangge::analytics
