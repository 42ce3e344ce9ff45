// The pair metric the legacy-form analyser is scored by, for the generated tuning set
// (samples_test.cpp) and the held-out set (heldout_test.cpp) alike: a pair is two raw columns
// put in one field; it is right when both hold the same true field. Precision is the right
// share of the pairs proposed, recall the share of the true pairs proposed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "legacy/analyzer.h"
#include "legacy/sample_forms.h"

namespace wangge::legacy::scoring {

struct Score {
  double precision = 0, recall = 0;
  int64_t true_pairs = 0, predicted_pairs = 0, right_pairs = 0;
};

// `truth` names each field column by file (as read_forms() names the form) and zero-based
// column; a column the analyser found that the truth does not list is never right.
Score score(const Analysis& a, const std::vector<SampleColumn>& truth);

// One line: what, fields, precision, recall, pairs.
void print(std::string_view what, const Analysis& a, const Score& s);

// What the analyser left split and what it merged wrongly, for the reader of the test log.
void explain(const Analysis& a, const std::vector<SampleColumn>& truth);

// Reads `answers.csv` of a held-out folder: UTF-8 with a header row naming the columns file,
// column, header, field (in any order). Throws std::runtime_error naming the bad line.
std::vector<SampleColumn> read_answers(const std::filesystem::path& file);

// The analysis of a held-out folder: every form in it but answers.csv.
Analysis analyze_heldout(const std::filesystem::path& dir, const forms::Dictionary* dictionary);

}  // namespace wangge::legacy::scoring
