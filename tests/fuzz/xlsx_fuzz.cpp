// The XLSX reader (src/sheets/xlsx_reader.h) and its ZIP layer, two ways, picked by the first
// byte of the input:
//   'X'  the rest is the XML of a workbook's parts, separated by form feeds (\f): workbook.xml,
//        its .rels, sharedStrings.xml, sheet1.xml. They are packed into a stored ZIP here with
//        correct CRCs, so mutations reach the XML parsing instead of dying at the checksum.
//   else the whole input is the file (ZIP structure, deflate, bombs, lying sizes).
// Invariants: bad input is wangge::Error; a part over the limits given is refused (too_large)
// before it is held; cells are consistent (empty exactly when their text is).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz.h"
#include "sheets/xlsx_reader.h"

namespace {

using namespace wangge::sheets;

std::uint32_t crc32(std::string_view bytes) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// A ZIP of stored (uncompressed) members.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  for (const auto& [name, data] : members) {
    auto offset = static_cast<std::uint32_t>(out.size());
    auto size = static_cast<std::uint32_t>(data.size());
    std::uint32_t crc = crc32(data);
    std::string common;
    put16(common, 20);  // version needed
    put16(common, 0);   // flags
    put16(common, 0);   // method: stored
    put32(common, 0);   // time, date
    put32(common, crc);
    put32(common, size);
    put32(common, size);
    put16(common, static_cast<std::uint32_t>(name.size()));
    put16(common, 0);  // extra
    put32(out, 0x04034b50);
    out += common + name + data;
    put32(central, 0x02014b50);
    put16(central, 20);  // version made by
    central += common;
    put16(central, 0);  // comment
    put16(central, 0);  // disk
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += name;
  }
  auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(members.size()));
  put16(out, static_cast<std::uint32_t>(members.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

const char* kRootRels =
    R"(<Relationships><Relationship Id="rId1" Type="/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

std::string workbook_from_parts(std::string_view text) {
  static const char* kNames[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                 "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"};
  std::vector<std::pair<std::string, std::string>> members = {{"_rels/.rels", kRootRels}};
  for (const char* name : kNames) {
    auto cut = text.find('\f');
    members.emplace_back(name, std::string(text.substr(0, cut)));
    text = cut == std::string_view::npos ? std::string_view() : text.substr(cut + 1);
  }
  return stored_zip(members);
}

void check_row(const Row& row) {
  FUZZ_CHECK(row.size() <= static_cast<std::size_t>(kMaxCols));
  for (const Cell& cell : row) FUZZ_CHECK(cell.empty() == cell.text().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = wangge::fuzz::as_text(data, size);
  std::string bytes =
      input.starts_with('X') ? workbook_from_parts(input.substr(1)) : std::string(input);
  XlsxReadOptions options;
  options.max_part_bytes = 1024 * 1024;
  options.max_sheet_bytes = 4 * 1024 * 1024;
  options.max_cells = 1'000'000;
  try {
    XlsxReader book = XlsxReader::from_bytes(std::move(bytes), options);
    for (std::size_t i = 0; i < book.sheets().size() && i < 4; ++i) {
      int index = static_cast<int>(i);
      Sheet sheet = book.read_sheet(index);
      FUZZ_CHECK(sheet.rows.size() <= static_cast<std::size_t>(kMaxRows));
      for (const Row& row : sheet.rows) check_row(row);
      book.for_each_row(index, [&](const Row& row, std::int64_t line) {
        FUZZ_CHECK(line >= 1 && line <= kMaxRows);
        check_row(row);
      });
    }
  } catch (const wangge::Error& e) {
    // WANGGE_FUZZ_VERBOSE=1 shows what each seed was refused for (a bomb must say too_large).
    if (std::getenv("WANGGE_FUZZ_VERBOSE") != nullptr) {
      std::fprintf(stderr, "  %s: %s\n", e.code().c_str(), e.message(wangge::Lang::en).c_str());
    }
    FUZZ_CHECK(e.kind() == wangge::ErrorKind::bad_input ||
               e.kind() == wangge::ErrorKind::too_large);
  }
  return 0;
}
