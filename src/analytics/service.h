// The reporting service a server holds: the index (loaded at start, refreshed on every committed
// write), the field dictionary, and the forms — the shipped ones plus those edited through the
// API. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analytics/engine.h"
#include "analytics/entity.h"
#include "analytics/index.h"
#include "analytics/roster.h"
#include "forms/forms.h"

namespace wangge::analytics {

struct ServiceOptions {
  // Where forms are read from ([forms] dir); empty: the shipped data/forms.
  std::filesystem::path forms_dir;
  // Whether put_form() writes the file back into forms_dir (default: when forms_dir is given).
  // Otherwise edits live in memory until restart.
  std::optional<bool> save_forms;
  bool load_index = true;  // false: the caller loads it later (index().load())
  // What the modules bring (app::Module): folders of dictionary fields and of forms, read after
  // the shipped ones (a code already taken is an error), and the entities of the index, checked
  // against the dictionary and installed (entity.h install_entities).
  std::vector<std::filesystem::path> dictionary_dirs, module_forms_dirs;
  std::vector<std::shared_ptr<const EntitySpec>> entities;
};

class ReportService {
 public:
  // Loads the dictionary, the forms and (unless told not to) the index. Throws Error on a bad
  // form file (with its place) or when the database cannot be read.
  ReportService(store::Database& db, const ServiceOptions& options = {});

  Index& index() { return index_; }
  const Index& index() const { return index_; }
  const forms::Dictionary& dictionary() const { return dict_; }

  // A copy of the form, or nullopt.
  std::optional<forms::Form> form(std::string_view code) const;
  std::vector<forms::Form> forms() const;
  // Validates (errors name the line and key) and stores a form; saved per ServiceOptions.
  forms::Form put_form(std::string_view code, std::string_view toml_text);

  // Adds to the dictionary a field resident.tag.<code>, named as the tag, for every tag of the
  // catalogue (people::tag_catalogue()) it lacks, so that forms can use a county's own tags
  // added since the start. put_form() does it first; the tags route after adding a tag.
  void sync_tag_fields();
  // Whether name is free as a dictionary field's name (a new tag's field will carry it).
  bool field_name_free(std::string_view name) const;

  // Computes a report of a stored form. Throws Error(not_found) for an unknown form or org,
  // Error(bad_input, "is_a_roster") for a record-list form.
  forms::Report report(std::string_view code, const ReportRequest& req) const;
  // Lists the records of a stored record-list form (roster.h). Throws Error(not_found) for an
  // unknown form or org, Error(bad_input, "not_a_roster") for a summary form.
  forms::Roster roster(std::string_view code, const RosterRequest& req) const;

 private:
  Index index_;
  void sync_tag_fields_locked();  // REQUIRES: mutex_ held
  forms::Dictionary dict_;        // the shipped fields, the modules' ones and the county's tags
  std::filesystem::path dir_;
  bool save_ = false;
  mutable std::mutex mutex_;
  forms::FormSet forms_;
};

}  // namespace wangge::analytics
