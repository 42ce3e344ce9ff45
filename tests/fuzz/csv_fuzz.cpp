// The CSV reader (src/sheets/csv.h) on arbitrary bytes, detected as UTF-8 or GB18030 and forced
// to each. Invariants: bad input is wangge::Error; a record over the size limit is refused;
// what reads back from to_csv() of a sheet read is the same sheet (cells and order).
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz.h"
#include "sheets/csv.h"

namespace {

using namespace wangge::sheets;

// Rows with a non-empty cell: a record of one empty field ("") is written as a blank line,
// which reading skips.
std::vector<Row> meaningful(const Sheet& sheet) {
  std::vector<Row> rows;
  for (const Row& row : sheet.rows) {
    for (const Cell& cell : row) {
      if (!cell.empty()) {
        rows.push_back(row);
        break;
      }
    }
  }
  return rows;
}

void read_and_round_trip(std::string_view bytes, CsvReadOptions options) {
  Sheet sheet;
  try {
    sheet = read_csv_bytes(bytes, options);
  } catch (const wangge::Error&) {
    return;
  }
  for (const Row& row : sheet.rows) {
    std::size_t bytes_in_row = 0;
    for (const Cell& cell : row) {
      FUZZ_CHECK(cell.empty() || cell.is_text());
      FUZZ_CHECK(cell.empty() == cell.text().empty());
      bytes_in_row += cell.text().size();
    }
    FUZZ_CHECK(bytes_in_row <= options.max_record_bytes);
  }
  CsvWriteOptions out;
  out.delimiter = options.delimiter;
  std::string written = to_csv(sheet, out);
  CsvReadOptions again;
  again.delimiter = options.delimiter;
  Sheet back = read_csv_bytes(written, again);  // what we wrote must read: no catch
  FUZZ_CHECK(meaningful(back) == meaningful(sheet));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = wangge::fuzz::as_text(data, size);
  CsvReadOptions options;
  options.max_record_bytes = 64 * 1024;  // small, so the limit is reached by fuzzed inputs
  read_and_round_trip(bytes, options);
  // The first byte picks a forced encoding and a delimiter, for the rest of the input.
  if (size > 1) {
    options.encoding = (data[0] & 1) != 0 ? TextEncoding::gb18030 : TextEncoding::utf8;
    options.delimiter = (data[0] & 2) != 0 ? '\t' : ',';
    read_and_round_trip(bytes.substr(1), options);
  }
  return 0;
}
