// The legacy-form analyser (老表分析, `wangge tables analyze DIR`): reads a folder of the forms
// a county's offices fill in (XLSX and CSV), finds every column, clusters the columns into
// fields and says which forms the field dictionary could already generate — the audit that
// took 鲁甸 from 1,523 forms a year to 264 on 5,943 fields.
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "forms/dictionary.h"
#include "legacy/cluster.h"
#include "legacy/layout.h"

namespace wangge::legacy {

struct LegacyForm {
  std::string file;    // path relative to the folder; "file.xlsx#Sheet2" for a later sheet
  std::string format;  // "xlsx" or "csv"
  std::string entity;  // what a row describes: resident, household, event or org (guessed)
  FormLayout layout;
};

struct Unreadable {
  std::string file;
  std::string reason;  // Chinese
};

struct Analysis {
  std::vector<LegacyForm> forms;
  std::vector<Unreadable> unreadable;
  std::vector<ColumnInfo> columns;     // every field column of every form, form by form
  std::vector<FieldCluster> clusters;  // the fields
  std::vector<int> cluster_of;         // column → cluster index
  int skipped_columns = 0;             // row-number columns and columns without a header
  // Forms every column of which maps to a field already in the dictionary.
  int forms_from_dictionary = 0;
  int clusters_in_dictionary = 0;
};

// Reads every .xlsx and .csv under dir (recursively, in path order; Office lock files ~$…
// skipped). A file that cannot be read, or has no header, is listed in `unreadable`.
// Throws Error(bad_input, "not_a_folder") when dir is not a readable folder.
std::vector<LegacyForm> read_forms(const std::filesystem::path& dir,
                                   std::vector<Unreadable>* unreadable);

// Clusters the forms' columns. `dictionary` may be null.
Analysis analyze(std::vector<LegacyForm> forms, const forms::Dictionary* dictionary,
                 const ClusterOptions& options = {});
Analysis analyze_folder(const std::filesystem::path& dir, const forms::Dictionary* dictionary,
                        const ClusterOptions& options = {});

// The report a person reads: the counts, then every proposed merge with its evidence
// (columns, rule and its confidence, example values; ID numbers and phones masked), then the
// low-confidence merges to confirm as confirmation_lines().
std::string render_text(const Analysis& a);
// The same as JSON: {"summary":{…}, "forms":[…], "fields":[…], "to_confirm":[…]}; each
// evidence has "confidence": "high" or "low".
nlohmann::json to_json(const Analysis& a);

// The low-confidence merges of the report, one line each as a confirmation file takes them:
// "帮扶措施 = 帮扶举措" (the two names the merge joined).
std::vector<std::string> confirmation_lines(const Analysis& a);

// Reads a confirmation file: UTF-8, one "名称A = 名称B" per line (full-width ＝ too), blank
// lines and lines starting with # ignored. The pairs go to ClusterOptions::confirmed.
// Throws Error(bad_input, "confirm_unreadable" or "confirm_line") naming the bad line.
std::vector<std::pair<std::string, std::string>> read_confirmations(
    const std::filesystem::path& file);

// The dictionary fields that --apply would add: one per cluster not in `dictionary`, coded
// "<entity>.<pinyin>" (made unique), its most frequent name as name, the other names that
// are free as synonyms, type and options from the values, sensitivity from the kind and
// name, group "legacy".
std::vector<forms::Field> proposed_fields(const Analysis& a, const forms::Dictionary& dictionary);

// Adds proposed_fields() to the dictionary folder `dir` (pass an analysis made with
// ClusterOptions::hold_unconfirmed so that only high-confidence and confirmed merges count): they
// are written to dir/legacy.toml (with the fields a previous run put there); other files are not
// touched. The folder is loaded again afterwards to prove it still reads. Returns the fields added.
// Throws Error(bad_input) from the dictionary when the folder does not load.
std::vector<forms::Field> apply_to_dictionary(const Analysis& a, const std::filesystem::path& dir);

}  // namespace wangge::legacy
