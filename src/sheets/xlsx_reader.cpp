#include "sheets/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <pugixml.hpp>
#include <utility>

#include "core/error.h"
#include "sheets/zip_archive.h"

namespace wangge::sheets {
namespace {

using detail::ZipArchive;

[[noreturn]] void malformed(const std::string& part, const std::string& what_zh,
                            const std::string& what_en) {
  throw_bad_input("invalid_xlsx", "XLSX文件格式有误（" + part + "：" + what_zh + "）",
                  "malformed XLSX file (" + part + ": " + what_en + ")", "file");
}

// A parsed XML part; pugixml parses in place, so the text lives beside the document.
struct XmlPart {
  std::string text;
  pugi::xml_document doc;
};

std::unique_ptr<XmlPart> load_xml(const ZipArchive& zip, const std::string& name,
                                  const XlsxReadOptions& options) {
  auto text = zip.read(name, options.max_part_bytes);
  if (!text) return nullptr;
  auto part = std::make_unique<XmlPart>();
  part->text = std::move(*text);
  // parse_ws_pcdata_single keeps <t xml:space="preserve"> </t>: a cell holding one space.
  auto result = part->doc.load_buffer_inplace(part->text.data(), part->text.size(),
                                              pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!result) malformed(name, "XML无法解析", std::string("bad XML: ") + result.description());
  return part;
}

// Element names compared without their namespace prefix ("x:row" is "row"): some writers
// prefix every element.
std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  }
  return {};
}

pugi::xml_node root_element(const XmlPart& part) { return part.doc.document_element(); }

// The attribute whose local name is `name` ("r:id" for "id").
pugi::xml_attribute attr(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == name) return a;
  }
  return {};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The code unit of an "_xHHHH_" escape at s[i], or -1.
int escape_at(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  int value = 0;
  auto [end, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, value, 16);
  return ec == std::errc() && end == s.data() + i + 6 ? value : -1;
}

// OOXML writes characters XML cannot hold (and "_x" itself) as _xHHHH_: "a_x000D_b" is a,CR,b.
void append_unescaped(std::string& out, std::string_view s) {
  if (s.find("_x") == std::string_view::npos) {
    out.append(s);
    return;
  }
  for (std::size_t i = 0; i < s.size();) {
    int unit = escape_at(s, i);
    if (unit < 0) {
      out += s[i++];
      continue;
    }
    i += 7;
    char32_t cp = static_cast<char32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      int low = escape_at(s, i);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<char32_t>(low - 0xDC00);
        i += 7;
      } else {
        cp = 0xFFFD;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      cp = 0xFFFD;
    }
    append_utf8(out, cp);
  }
}

// The text of a string item (<si>, <is>): its <t>, or its rich text runs <r><t> joined.
// Phonetic guides (<rPh>) are not part of the text.
std::string string_item(pugi::xml_node item) {
  std::string text;
  for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
    std::string_view name = local_name(c.name());
    if (name == "t") {
      append_unescaped(text, c.text().get());
    } else if (name == "r") {
      if (pugi::xml_node t = child(c, "t")) append_unescaped(text, t.text().get());
    }
  }
  return text;
}

// Resolves a relationship target against the folder of the part that points to it.
std::string resolve(const std::string& base_dir, std::string_view target) {
  std::string path =
      target.starts_with('/') ? std::string(target.substr(1)) : base_dir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = std::min(path.find('/', start), path.size());
    std::string seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(std::move(seg));
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folder_of(const std::string& part) {
  auto slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

// Cuts a worksheet's XML, as it is unpacked, into runs of whole <row> elements that are parsed
// one run at a time, so memory stays flat however long the sheet is. Cutting after "</row>" is
// safe: '<' never appears unescaped in attribute values or text, and spreadsheet writers put no
// comments or CDATA among the rows.
class SheetSplitter {
 public:
  // Receives a run of whole rows, which it may modify (pugixml parses in place).
  using OnRows = std::function<void(char* text, std::size_t size)>;

  explicit SheetSplitter(OnRows on_rows) : on_rows_(std::move(on_rows)) {}

  void feed(std::string_view chunk) {
    buf_.append(chunk);
    if (buf_.size() >= kRun || state_ != State::rows) advance(false);
  }
  // Returns what follows </sheetData> (merged ranges and other settings), up to the closing
  // tag of the root. Throws when the rows never end.
  std::string finish(const std::string& where) {
    advance(true);
    if (state_ == State::preamble) return {};  // no sheetData: a chartsheet or dialog sheet
    if (state_ == State::rows) malformed(where, "XML不完整", "truncated XML");
    auto root_close = buf_.rfind("</");
    return root_close == std::string::npos ? buf_ : buf_.substr(0, root_close);
  }

 private:
  static constexpr std::size_t kRun = 1024 * 1024;
  enum class State { preamble, rows, tail };

  void advance(bool last) {
    if (state_ == State::preamble && !find_sheet_data()) {
      if (last) buf_.clear();
      return;
    }
    if (state_ != State::rows) return;
    std::size_t end = buf_.find(data_close_);
    if (end != std::string::npos) {
      emit(end);
      buf_.erase(0, data_close_.size());
      state_ = State::tail;
      return;
    }
    std::size_t cut = buf_.rfind(row_close_);
    if (cut != std::string::npos) emit(cut + row_close_.size());
  }

  // Finds <sheetData> (with the root element's namespace prefix) and drops what precedes it.
  bool find_sheet_data() {
    if (prefix_.empty()) {
      std::size_t lt = 0;
      while ((lt = buf_.find('<', lt)) != std::string::npos && lt + 1 < buf_.size() &&
             (buf_[lt + 1] == '?' || buf_[lt + 1] == '!')) {
        ++lt;
      }
      std::size_t name_end = lt == std::string::npos ? lt : buf_.find_first_of(" \t\r\n/>", lt);
      if (name_end == std::string::npos) return false;
      std::string root = buf_.substr(lt + 1, name_end - lt - 1);
      auto colon = root.find(':');
      prefix_ = "<" + (colon == std::string::npos ? "" : root.substr(0, colon + 1));
      row_close_ = "</" + prefix_.substr(1) + "row>";
      data_close_ = "</" + prefix_.substr(1) + "sheetData>";
    }
    std::size_t open = buf_.find(prefix_ + "sheetData");
    std::size_t gt = open == std::string::npos ? open : buf_.find('>', open);
    if (gt == std::string::npos) return false;
    state_ = buf_[gt - 1] == '/' ? State::tail : State::rows;  // <sheetData/> has no rows
    buf_.erase(0, gt + 1);
    return true;
  }

  void emit(std::size_t size) {
    if (size > 0) on_rows_(buf_.data(), size);
    buf_.erase(0, size);
  }

  OnRows on_rows_;
  State state_ = State::preamble;
  std::string buf_;
  std::string prefix_;  // "<" or "<x:"
  std::string row_close_, data_close_;
};

struct Relationship {
  std::string id, type, target;
};

// The relationships of `part` (from its _rels/NAME.rels), targets resolved.
std::vector<Relationship> relationships(const ZipArchive& zip, const std::string& part,
                                        const XlsxReadOptions& options) {
  std::string dir = folder_of(part);
  auto xml = load_xml(zip, dir + "_rels/" + part.substr(dir.size()) + ".rels", options);
  std::vector<Relationship> rels;
  if (!xml) return rels;
  for (pugi::xml_node r = root_element(*xml).first_child(); r; r = r.next_sibling()) {
    if (local_name(r.name()) != "Relationship") continue;
    if (std::string_view(r.attribute("TargetMode").value()) == "External") continue;
    rels.push_back({r.attribute("Id").value(), r.attribute("Type").value(),
                    resolve(dir, r.attribute("Target").value())});
  }
  return rels;
}

const Relationship* find_type(const std::vector<Relationship>& rels, std::string_view suffix) {
  for (const auto& r : rels) {
    if (std::string_view(r.type).ends_with(suffix)) return &r;
  }
  return nullptr;
}

int parse_int(std::string_view s, int fallback) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size() ? value : fallback;
}

}  // namespace

struct XlsxReader::Impl {
  std::string bytes;
  XlsxReadOptions options;
  std::vector<SheetInfo> sheets;
  std::vector<std::string> sheet_parts;  // the worksheet part of each sheet, "" if none
  std::vector<std::string> shared_strings;
  bool date1904 = false;

  void open();
  void load_shared_strings(const ZipArchive& zip, const std::string& part);
  std::string label(int index) const;
  // Calls on_row(zero-based row, row) for every <row> with a value, in document order;
  // fills `merges`.
  void parse_rows(int index, pugi::xml_node parent, int& row_index,
                  const std::function<void(int, Row&)>& on_row) const;
  void parse_sheet(int index, const std::function<void(int, Row&)>& on_row,
                   std::vector<CellRange>* merges) const;
  // The value of cell <c> at (row, col) of sheet `index`.
  Cell cell_value(pugi::xml_node c, int index, int row, int col) const;
};

void XlsxReader::Impl::open() {
  ZipArchive zip(bytes);
  std::string workbook = "xl/workbook.xml";
  std::vector<Relationship> package_rels = relationships(zip, "", options);
  if (const Relationship* doc = find_type(package_rels, "/officeDocument")) {
    workbook = doc->target;
  }
  auto xml = load_xml(zip, workbook, options);
  if (!xml) {
    throw_bad_input("invalid_xlsx", "文件不是Excel工作簿（缺少" + workbook + "）",
                    "not an Excel workbook (no " + workbook + ")", "file");
  }
  pugi::xml_node root = root_element(*xml);
  std::string_view flag = child(root, "workbookPr").attribute("date1904").value();
  date1904 = flag == "1" || flag == "true";
  std::vector<Relationship> rels = relationships(zip, workbook, options);
  for (pugi::xml_node s = child(root, "sheets").first_child(); s; s = s.next_sibling()) {
    if (local_name(s.name()) != "sheet") continue;
    std::string_view state = s.attribute("state").value();
    sheets.push_back({s.attribute("name").value(), state == "hidden" || state == "veryHidden"});
    std::string_view id = attr(s, "id").value();
    auto rel = std::find_if(rels.begin(), rels.end(), [&](const auto& r) { return r.id == id; });
    sheet_parts.push_back(rel == rels.end() ? "" : rel->target);
  }
  if (const Relationship* sst = find_type(rels, "/sharedStrings")) {
    load_shared_strings(zip, sst->target);
  }
}

void XlsxReader::Impl::load_shared_strings(const ZipArchive& zip, const std::string& part) {
  auto xml = load_xml(zip, part, options);
  if (!xml) return;
  for (pugi::xml_node si = root_element(*xml).first_child(); si; si = si.next_sibling()) {
    if (local_name(si.name()) == "si") shared_strings.push_back(string_item(si));
  }
}

std::string XlsxReader::Impl::label(int index) const {
  return "工作表“" + sheets[static_cast<std::size_t>(index)].name + "”";
}

Cell XlsxReader::Impl::cell_value(pugi::xml_node c, int index, int row, int col) const {
  auto where = [&] { return label(index) + column_name(col) + std::to_string(row + 1); };
  std::string_view type = c.attribute("t").value();
  pugi::xml_node v = child(c, "v");
  std::string_view value = v.text().get();
  if (type == "inlineStr") return Cell(string_item(child(c, "is")));
  if (!v) return Cell();
  if (type == "s") {
    int index = parse_int(value, -1);
    if (index < 0 || static_cast<std::size_t>(index) >= shared_strings.size()) {
      malformed(where(), "共享字符串编号" + std::string(value) + "不存在",
                "no shared string " + std::string(value));
    }
    return Cell(shared_strings[static_cast<std::size_t>(index)]);
  }
  if (type == "str" || type == "e" || type == "d") {
    std::string text;
    append_unescaped(text, value);
    return Cell(std::move(text));
  }
  if (type == "b") return Cell::boolean(value == "1" || value == "true");
  if (value.empty()) return Cell();
  double number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size()) {
    malformed(where(), "数值“" + std::string(value) + "”无效", "bad number " + std::string(value));
  }
  return Cell::number(number);
}

void XlsxReader::Impl::parse_rows(int index, pugi::xml_node parent, int& row_index,
                                  const std::function<void(int, Row&)>& on_row) const {
  Row row;
  for (pugi::xml_node r = parent.first_child(); r; r = r.next_sibling()) {
    if (local_name(r.name()) != "row") continue;
    // Row and cell references may be left out: then they follow the previous one.
    row_index = parse_int(r.attribute("r").value(), row_index + 2) - 1;
    if (row_index < 0 || row_index >= kMaxRows) {
      malformed(label(index), "行号无效", "bad row number");
    }
    row.clear();
    int col = -1;
    for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
      if (local_name(c.name()) != "c") continue;
      if (pugi::xml_attribute ref = c.attribute("r")) {
        auto cell_ref = parse_cell_ref(ref.value());
        if (!cell_ref) {
          malformed(label(index), "单元格引用“" + std::string(ref.value()) + "”无效",
                    "bad cell reference " + std::string(ref.value()));
        }
        col = cell_ref->col;
      } else if (++col >= kMaxCols) {
        malformed(label(index), "列数超出范围", "too many columns");
      }
      Cell cell = cell_value(c, index, row_index, col);
      if (cell.empty()) continue;
      auto at = static_cast<std::size_t>(col);
      if (at >= row.size()) row.resize(at + 1);
      row[at] = std::move(cell);
    }
    if (!row.empty()) on_row(row_index, row);
  }
}

void XlsxReader::Impl::parse_sheet(int index, const std::function<void(int, Row&)>& on_row,
                                   std::vector<CellRange>* merges) const {
  const std::string& part = sheet_parts[static_cast<std::size_t>(index)];
  if (part.empty()) return;
  constexpr unsigned kParse =
      pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_fragment;
  auto parse = [&](pugi::xml_document& doc, char* text, std::size_t size) {
    auto result = doc.load_buffer_inplace(text, size, kParse);
    if (!result) {
      malformed(label(index), "XML无法解析", std::string("bad XML: ") + result.description());
    }
  };
  int row_index = -1;
  SheetSplitter splitter([&](char* text, std::size_t size) {
    pugi::xml_document doc;
    parse(doc, text, size);
    parse_rows(index, doc, row_index, on_row);
  });
  ZipArchive zip(bytes);
  if (!zip.read_chunks(part, options.max_sheet_bytes,
                       [&](std::string_view chunk) { splitter.feed(chunk); })) {
    malformed(label(index), "缺少" + part, "missing " + part);
  }
  std::string tail = splitter.finish(label(index));
  if (merges == nullptr || tail.empty()) return;
  pugi::xml_document doc;
  parse(doc, tail.data(), tail.size());
  for (pugi::xml_node m = child(doc, "mergeCells").first_child(); m; m = m.next_sibling()) {
    if (local_name(m.name()) != "mergeCell") continue;
    auto range = parse_range(m.attribute("ref").value());
    if (!range) {
      malformed(label(index), "合并区域“" + std::string(m.attribute("ref").value()) + "”无效",
                "bad merged range " + std::string(m.attribute("ref").value()));
    }
    merges->push_back(*range);
  }
}

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { impl_->open(); }

XlsxReader::XlsxReader(const std::filesystem::path& file, XlsxReadOptions options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw_bad_input("file_unreadable", "无法打开文件：" + file.filename().string(),
                    "cannot open file " + file.filename().string(), "file");
  }
  impl_ = std::make_unique<Impl>();
  impl_->bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  impl_->options = options;
  impl_->open();
}

XlsxReader XlsxReader::from_bytes(std::string bytes, XlsxReadOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->bytes = std::move(bytes);
  impl->options = options;
  return XlsxReader(std::move(impl));
}

XlsxReader::XlsxReader(XlsxReader&&) noexcept = default;
XlsxReader& XlsxReader::operator=(XlsxReader&&) noexcept = default;
XlsxReader::~XlsxReader() = default;

const std::vector<SheetInfo>& XlsxReader::sheets() const { return impl_->sheets; }

int XlsxReader::sheet_index(std::string_view name) const {
  for (std::size_t i = 0; i < impl_->sheets.size(); ++i) {
    if (impl_->sheets[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool XlsxReader::date1904() const { return impl_->date1904; }

namespace {

void check_index(int index, std::size_t count) {
  if (index >= 0 && static_cast<std::size_t>(index) < count) return;
  std::string n = std::to_string(index + 1);
  throw_bad_input(
      "sheet_not_found", "XLSX文件中没有第" + n + "个工作表（共" + std::to_string(count) + "个）",
      "the workbook has no sheet " + n + " (it has " + std::to_string(count) + ")", "sheet");
}

}  // namespace

Sheet XlsxReader::read_sheet(int index) const {
  check_index(index, impl_->sheets.size());
  Sheet sheet;
  sheet.name = impl_->sheets[static_cast<std::size_t>(index)].name;
  std::uint64_t held = 0;  // rows and cells the sheet holds, empty ones included
  auto hold = [&](std::size_t more) {
    held += more;
    if (held <= impl_->options.max_cells) return;
    std::string n = std::to_string(impl_->options.max_cells);
    throw Error(
        ErrorKind::too_large, "file_too_large",
        impl_->label(index) + "过大：超过" + n + "个单元格（含空单元格），请拆分后再导入",
        "sheet " + sheet.name + " spans more than " + n + " cells (empty ones included); split it",
        "file");
  };
  impl_->parse_sheet(
      index,
      [&](int r, Row& row) {
        auto at = static_cast<std::size_t>(r);
        if (at >= sheet.rows.size()) {
          hold(at + 1 - sheet.rows.size());
          sheet.rows.resize(at + 1);
        }
        Row& target = sheet.rows[at];
        if (row.size() > target.size()) hold(row.size() - target.size());
        if (target.empty()) {
          target = std::move(row);
          return;
        }
        // The same row twice (not from Excel, but legal to read): later cells win.
        if (row.size() > target.size()) target.resize(row.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (!row[i].empty()) target[i] = std::move(row[i]);
        }
      },
      &sheet.merges);
  return sheet;
}

Sheet XlsxReader::read_sheet(std::string_view name) const {
  int index = sheet_index(name);
  if (index < 0) {
    throw_bad_input("sheet_not_found", "XLSX文件中没有名为“" + std::string(name) + "”的工作表",
                    "the workbook has no sheet named " + std::string(name), "sheet");
  }
  return read_sheet(index);
}

void XlsxReader::for_each_row(int index, const RowCallback& on_row) const {
  check_index(index, impl_->sheets.size());
  impl_->parse_sheet(
      index, [&](int r, Row& row) { on_row(row, r + 1); }, nullptr);
}

Sheet read_xlsx(const std::filesystem::path& file, const XlsxReadOptions& options) {
  return XlsxReader(file, options).read_sheet(0);
}

}  // namespace wangge::sheets
