#include "analytics/service.h"

#include <cstdlib>

#include "analytics/fields.h"
#include "core/error.h"
#include "people/people.h"

namespace wangge::analytics {

namespace {

// The shipped dictionary and the fields of the modules' folders.
forms::Dictionary dictionary_with(const std::vector<std::filesystem::path>& dirs) {
  forms::Dictionary dict = forms::Dictionary::shipped();
  for (const auto& dir : dirs) {
    const forms::Dictionary more = forms::Dictionary::load(dir);
    for (const auto& f : more.fields()) dict.add(f);
  }
  return dict;
}

}  // namespace

ReportService::ReportService(store::Database& db, const ServiceOptions& options)
    : index_(db), dict_(dictionary_with(options.dictionary_dirs)) {
  // Before the index is built or a form read: both may name the modules' entities.
  install_entities(options.entities, dict_);
  dir_ = options.forms_dir;
  const bool given = !dir_.empty();
  if (!given) dir_ = forms::FormSet::shipped_dir();
  save_ = options.save_forms.value_or(given);
  sync_tag_fields_locked();  // no other thread has this service yet
  if (!dir_.empty()) forms_ = forms::FormSet::load(dir_, dict_, field_check());
  for (const auto& dir : options.module_forms_dirs) {
    const forms::FormSet more = forms::FormSet::load(dir, dict_, field_check());
    for (const auto* f : more.all()) {
      if (forms_.find(f->code)) {
        throw Error(ErrorKind::internal, "duplicate_form", "报表编码重复：" + f->code,
                    "two forms have the code " + f->code + " (" + dir.string() + ")");
      }
      forms_.put(f->code, f->source, dict_, field_check(), {});
    }
  }
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
  sync_tag_fields_locked();
  return forms_.put(code, toml_text, dict_, field_check(), save_ ? dir_ : std::filesystem::path{});
}

void ReportService::sync_tag_fields() {
  std::lock_guard lock(mutex_);
  sync_tag_fields_locked();
}

bool ReportService::field_name_free(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return dict_.find_by_name_or_synonym(name) == nullptr;
}

void ReportService::sync_tag_fields_locked() {
  for (const auto& t : people::tag_catalogue()) {
    const std::string code = "resident.tag." + t.code;
    if (dict_.find(code)) continue;
    forms::Field f{.code = code,
                   .name = t.name,
                   .type = forms::FieldType::boolean,
                   .entity = "resident",
                   .sensitivity = t.sensitive ? forms::Sensitivity::sensitive_personal
                                              : forms::Sensitivity::personal,
                   .description = "本县自定义标签（" + t.category + "）",
                   .group = "resident_tags"};
    if (!dict_.find_by_name_or_synonym(f.name)) {
      dict_.add(std::move(f));
      continue;
    }
    // A name another field already carries (a tag added by `wangge tags add`, which cannot
    // see the modules' dictionaries): the field is named with its code as well.
    f.name += "（" + t.code + "）";
    if (!dict_.find_by_name_or_synonym(f.name)) dict_.add(std::move(f));
  }
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
