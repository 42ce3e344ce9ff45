// The analyser on the held-out set (issue 20): forms in tests/legacy/heldout/ written by
// someone who never read the analyser's rules, with their own answer key answers.csv
// (file,column,header,field; column zero-based; two columns with the same field label hold the
// same field; 序号 columns not listed). Nothing in src/legacy is tuned on them. The test prints
// the held-out figures beside the tuning set's and fails when held-out precision < 0.95 (the
// goal is precision >= 0.97 and recall >= 0.93).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "legacy/analyzer.h"
#include "legacy/sample_forms.h"
#include "legacy/scoring.h"
#include "testing/testing.h"

namespace wangge::legacy {
namespace {

constexpr double kPrecisionFloor = 0.95;

std::filesystem::path heldout_dir() {
  // ctest sets WANGGE_SOURCE_DIR; run by hand from the repository root it is the current folder.
  return ::wangge::testing::source_dir() / "tests" / "legacy" / "heldout";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A held-out-shaped folder made from some generated tuning forms (never the real held-out set):
// the forms copied, their truth written as answers.csv.
std::filesystem::path make_folder_from_tuning_forms(const std::vector<std::string>& names,
                                                    std::vector<SampleColumn>* truth) {
  auto tuning = ::wangge::testing::temp_dir("legacy-heldout-src");
  SampleSet set = write_sample_forms(tuning);
  auto dir = ::wangge::testing::temp_dir("legacy-heldout-fake");
  std::set<std::string> keep;
  for (const auto& f : set.files) {
    for (const auto& n : names) {
      if (f.starts_with(n)) keep.insert(f);
    }
  }
  for (const auto& f : keep) std::filesystem::copy_file(tuning / f, dir / f);
  std::ofstream answers(dir / "answers.csv", std::ios::binary);
  answers << "file,column,header,field\n";
  for (const auto& t : set.truth) {
    if (!keep.count(t.file)) continue;
    truth->push_back(t);
    answers << csv_field(t.file) << "," << t.column << "," << csv_field(t.header) << ","
            << csv_field(t.field) << "\n";
  }
  return dir;
}

// The harness itself, on a folder made from tuning forms: it reads the answer key, leaves
// answers.csv out of the forms and scores exactly as the tuning set's test does.
TEST(LegacyHeldOut, HarnessReadsAFolderAndItsAnswers) {
  std::vector<SampleColumn> truth;
  auto dir = make_folder_from_tuning_forms({"01_", "02_", "04_", "11_", "12_", "14_"}, &truth);
  ASSERT_GT(truth.size(), 30u);
  auto answers = scoring::read_answers(dir / "answers.csv");
  ASSERT_EQ(answers.size(), truth.size());
  for (size_t i = 0; i < truth.size(); ++i) {
    EXPECT_EQ(answers[i].file, truth[i].file);
    EXPECT_EQ(answers[i].column, truth[i].column);
    EXPECT_EQ(answers[i].header, truth[i].header);
    EXPECT_EQ(answers[i].field, truth[i].field);
  }
  Analysis a = scoring::analyze_heldout(dir, nullptr);
  EXPECT_EQ(a.forms.size(), 6u) << "answers.csv is not a form";
  EXPECT_TRUE(a.unreadable.empty());
  auto direct = scoring::score(analyze(read_forms(dir, nullptr), nullptr), truth);
  auto s = scoring::score(a, answers);
  EXPECT_GT(s.true_pairs, 0);
  EXPECT_GT(s.predicted_pairs, 0);
  // answers.csv read as a form would add columns (never right) but no pairs; the scores agree.
  EXPECT_EQ(s.right_pairs, direct.right_pairs);
  EXPECT_EQ(s.true_pairs, direct.true_pairs);
  // A wrong answer key scores lower: the harness can fail.
  auto wrong = answers;
  for (auto& t : wrong) t.field = t.file + "#" + std::to_string(t.column);  // nothing alike
  EXPECT_EQ(scoring::score(a, wrong).right_pairs, 0);
  EXPECT_LT(scoring::score(a, wrong).precision, kPrecisionFloor);
}

TEST(LegacyHeldOut, BadAnswerKeyIsNamed) {
  auto dir = ::wangge::testing::temp_dir("legacy-heldout-bad");
  std::ofstream(dir / "answers.csv") << "file,column,field\na.csv,1,x\n";
  EXPECT_THROW(scoring::read_answers(dir / "answers.csv"), std::runtime_error);
  std::ofstream(dir / "answers.csv") << "file,column,header,field\na.csv,B,姓名,x\n";
  EXPECT_THROW(scoring::read_answers(dir / "answers.csv"), std::runtime_error);
}

TEST(LegacyHeldOut, PrecisionOnTheHeldOutSet) {
  auto dir = heldout_dir();
  ASSERT_TRUE(std::filesystem::is_directory(dir))
      << "no held-out set at " << dir.string()
      << ": tests/legacy/heldout/ must hold the held-out forms and answers.csv (issue 20); "
         "run from the repository root or set WANGGE_SOURCE_DIR";
  ASSERT_TRUE(std::filesystem::exists(dir / "answers.csv"))
      << "the held-out folder has no answers.csv";
  auto answers = scoring::read_answers(dir / "answers.csv");
  Analysis held = scoring::analyze_heldout(dir, nullptr);
  for (const auto& u : held.unreadable)
    ADD_FAILURE() << "unreadable: " << u.file << ": " << u.reason;
  std::set<std::string> files;
  for (const auto& t : answers) files.insert(t.file);
  std::set<std::string> fields;
  for (const auto& t : answers) fields.insert(t.field);
  auto tuning_dir = ::wangge::testing::temp_dir("legacy-heldout-tuning");
  SampleSet tuning_set = write_sample_forms(tuning_dir);
  Analysis tuning = analyze_folder(tuning_dir, nullptr);
  auto s_tuning = scoring::score(tuning, tuning_set.truth);
  auto s_held = scoring::score(held, answers);
  fmt::print("held-out set: {} forms ({} in the answers), {} raw columns, {} true fields\n",
             held.forms.size(), files.size(), held.columns.size(), fields.size());
  scoring::print("tuning set (generated, 46 forms)", tuning, s_tuning);
  scoring::print("held-out set", held, s_held);
  scoring::explain(held, answers);
  fmt::print("goal: held-out precision >= 0.97 and recall >= 0.93: {}\n",
             s_held.precision >= 0.97 && s_held.recall >= 0.93 ? "met" : "NOT met");
  EXPECT_GE(s_held.precision, kPrecisionFloor);
}

}  // namespace
}  // namespace wangge::legacy
