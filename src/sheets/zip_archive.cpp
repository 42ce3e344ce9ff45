#include "sheets/zip_archive.h"

#include <minizip/unzip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace wangge::sheets::detail {
namespace {

// minizip reads through these callbacks from a cursor over bytes in memory.
struct MemoryStream {
  std::string_view bytes;
  std::uint64_t pos = 0;
};

voidpf mem_open(voidpf opaque, const void* /*name*/, int /*mode*/) { return opaque; }

uLong mem_read(voidpf /*opaque*/, voidpf stream, void* buf, uLong size) {
  auto* s = static_cast<MemoryStream*>(stream);
  std::uint64_t left = s->pos < s->bytes.size() ? s->bytes.size() - s->pos : 0;
  auto n = static_cast<uLong>(std::min<std::uint64_t>(size, left));
  std::memcpy(buf, s->bytes.data() + s->pos, n);
  s->pos += n;
  return n;
}

uLong mem_write(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T mem_tell(voidpf /*opaque*/, voidpf stream) {
  return static_cast<MemoryStream*>(stream)->pos;
}

long mem_seek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
  auto* s = static_cast<MemoryStream*>(stream);
  std::uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                       : origin == ZLIB_FILEFUNC_SEEK_CUR ? s->pos
                                                          : s->bytes.size();
  if (base + offset > s->bytes.size()) return -1;
  s->pos = base + offset;
  return 0;
}

int mem_close(voidpf, voidpf) { return 0; }
int mem_error(voidpf, voidpf) { return 0; }

// An open unzFile over the bytes, closed on scope exit.
class Unzip {
 public:
  explicit Unzip(std::string_view bytes) : stream_{bytes, 0} {
    zlib_filefunc64_def io{};
    io.zopen64_file = mem_open;
    io.zread_file = mem_read;
    io.zwrite_file = mem_write;
    io.ztell64_file = mem_tell;
    io.zseek64_file = mem_seek;
    io.zclose_file = mem_close;
    io.zerror_file = mem_error;
    io.opaque = &stream_;
    zip_ = unzOpen2_64("memory", &io);
  }
  ~Unzip() {
    if (zip_ != nullptr) unzClose(zip_);
  }
  Unzip(const Unzip&) = delete;
  Unzip& operator=(const Unzip&) = delete;
  unzFile get() const { return zip_; }

 private:
  MemoryStream stream_;
  unzFile zip_ = nullptr;
};

[[noreturn]] void damaged(const std::string& name) {
  throw_bad_input("invalid_xlsx", "XLSX文件已损坏（" + name + "无法解压）",
                  "the XLSX file is damaged (" + name + " cannot be unpacked)", "file");
}

}  // namespace

ZipArchive::ZipArchive(std::string_view bytes) : bytes_(bytes) {
  Unzip zip(bytes_);
  if (zip.get() != nullptr) return;
  if (bytes.starts_with("\xD0\xCF\x11\xE0")) {
    throw_bad_input(
        "invalid_xlsx",
        "这是旧版Excel（.xls）文件或加密的工作簿，请在Excel或WPS中另存为.xlsx（不设密码）",
        "this is an old .xls file or an encrypted workbook; save it as .xlsx without a "
        "password",
        "file");
  }
  std::string_view text = bytes.substr(bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '<') {
    // Many systems export an HTML table (or Excel 2003 XML) under an .xls/.xlsx name.
    throw_bad_input(
        "invalid_xlsx",
        "这是网页（HTML）或XML格式的表格，不是真正的XLSX文件，请在Excel或WPS中另存为.xlsx",
        "this is an HTML or XML table, not a real XLSX file; save it as .xlsx", "file");
  }
  throw_bad_input("invalid_xlsx", "文件不是有效的XLSX文件（可能已损坏、不完整或不是Excel文件）",
                  "the file is not a valid XLSX file (damaged, truncated or not Excel)", "file");
}

std::optional<std::string> ZipArchive::read(const std::string& name,
                                            std::uint64_t max_bytes) const {
  std::string out;
  if (!read_chunks(name, max_bytes, [&](std::string_view chunk) { out.append(chunk); })) {
    return std::nullopt;
  }
  return out;
}

bool ZipArchive::read_chunks(const std::string& name, std::uint64_t max_bytes,
                             const std::function<void(std::string_view chunk)>& on_chunk) const {
  Unzip zip(bytes_);
  if (zip.get() == nullptr) damaged(name);
  if (unzLocateFile(zip.get(), name.c_str(), 1) != UNZ_OK &&
      unzLocateFile(zip.get(), name.c_str(), 2) != UNZ_OK) {
    return false;
  }
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zip.get(), &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
    damaged(name);
  }
  auto too_large = [&] {
    std::string mb = std::to_string(max_bytes / (1024 * 1024));
    throw Error(ErrorKind::too_large, "file_too_large",
                "XLSX文件中的" + name + "解压后超过" + mb + "MB，请拆分后再导入",
                name + " unpacks to more than " + mb + " MB; split the workbook", "file");
  };
  if (info.uncompressed_size > max_bytes) too_large();
  if ((info.flag & 1) != 0) {
    throw_bad_input("invalid_xlsx", "XLSX文件已加密，请去掉密码后再导入",
                    "the XLSX file is encrypted; remove the password", "file");
  }
  if (unzOpenCurrentFile(zip.get()) != UNZ_OK) damaged(name);
  // Closes the member on every exit; a CRC mismatch shows only at the close.
  struct Close {
    unzFile zip;
    bool checked = false;
    ~Close() {
      if (!checked) unzCloseCurrentFile(zip);
    }
  } close{zip.get()};
  // 64 KiB at a time: a larger buffer only costs its allocation on every part read (most parts
  // are small), which under ASan made each read of a workbook cost milliseconds.
  std::string buf(64 * 1024, '\0');
  std::uint64_t total = 0;
  for (;;) {
    int n = unzReadCurrentFile(zip.get(), buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) damaged(name);
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > max_bytes) too_large();  // the header's size may lie
    on_chunk(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  }
  close.checked = true;
  if (unzCloseCurrentFile(zip.get()) != UNZ_OK) damaged(name);
  return true;
}

}  // namespace wangge::sheets::detail
