#include "sheets/text_encoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/error.h"

namespace wangge::sheets {
namespace {

// Bytes looked at, from the first non-ASCII one, before deciding between UTF-8 and GB18030.
constexpr std::size_t kSniffBytes = 64 * 1024;

struct Utf8Scan {
  std::size_t valid = 0;   // length of the longest well-formed prefix
  bool truncated = false;  // the rest is the beginning of a well-formed sequence
};

// Unicode 15, table 3-7: well-formed UTF-8 byte sequences.
Utf8Scan scan_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return {i, false};
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= n) return {i, true};
      auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return {i, false};
    }
    i += len;
  }
  return {n, false};
}

std::int64_t count_breaks(std::string_view s, bool& after_cr) {
  std::int64_t n = 0;
  for (char c : s) {
    if (c == '\n') {
      if (!after_cr) ++n;
      after_cr = false;
    } else {
      if (c == '\r') ++n;
      after_cr = c == '\r';
    }
  }
  return n;
}

UConverter* open_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(name, &status);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  if (U_FAILURE(status)) {
    if (cnv != nullptr) ucnv_close(cnv);
    throw Error(ErrorKind::internal, "icu_unavailable", "字符编码转换组件（ICU）不可用",
                std::string("ICU converter ") + name + " unavailable: " + u_errorName(status));
  }
  return cnv;
}

// A pair of ICU converters with the pivot buffer that streaming conversion keeps between calls.
class Converter {
 public:
  Converter(const char* from, const char* to)
      : from_(open_converter(from)), to_(open_converter(to)) {}
  ~Converter() {
    ucnv_close(from_);
    ucnv_close(to_);
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Appends the conversion of `in` to `out`. Returns std::string::npos on success, else the
  // offset in `in` of the first byte the source encoding refuses (in.size() when the input
  // ends inside a character and `flush` is set).
  std::size_t convert(std::string_view in, std::string& out, bool flush) {
    const char* src = in.data();
    const char* src_limit = in.data() + in.size();
    for (;;) {
      std::size_t used = out.size();
      out.resize(used + std::max<std::size_t>(in.size() * 2, 256));
      char* target = out.data() + used;
      UErrorCode status = U_ZERO_ERROR;
      ucnv_convertEx(to_, from_, &target, out.data() + out.size(), &src, src_limit, pivot_,
                     &pivot_source_, &pivot_target_, pivot_ + kPivot, reset_, flush, &status);
      reset_ = false;
      out.resize(static_cast<std::size_t>(target - out.data()));
      if (status == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_SUCCESS(status)) return std::string::npos;
      if (status == U_TRUNCATED_CHAR_FOUND) return in.size();
      char bad[32];
      int8_t bad_len = sizeof bad;
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(from_, bad, &bad_len, &ignored);
      auto consumed = static_cast<std::ptrdiff_t>(src - in.data());
      return static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, consumed - bad_len));
    }
  }

 private:
  static constexpr int kPivot = 1024;
  UConverter* from_;
  UConverter* to_;
  UChar pivot_[kPivot];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
  bool reset_ = true;
};

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

}  // namespace

struct TextDecoder::Icu {
  Converter gb18030_to_utf8{"GB18030", "UTF-8"};
};

std::string_view encoding_name(TextEncoding encoding) {
  return encoding == TextEncoding::utf8 ? "UTF-8" : "GB18030";
}

bool is_valid_utf8(std::string_view bytes) { return scan_utf8(bytes).valid == bytes.size(); }

std::string to_utf8(std::string_view bytes, std::optional<TextEncoding> encoding,
                    TextEncoding* detected) {
  TextDecoder decoder(encoding);
  std::string out;
  out.reserve(bytes.size());
  decoder.decode(bytes, out);
  decoder.finish(out);
  if (detected != nullptr) *detected = decoder.encoding().value_or(TextEncoding::utf8);
  return out;
}

std::string utf8_to_gb18030(std::string_view utf8) {
  if (!is_valid_utf8(utf8)) {
    throw_bad_input("invalid_utf8", "文本不是有效的UTF-8编码", "text is not valid UTF-8");
  }
  Converter converter("UTF-8", "GB18030");
  std::string out;
  out.reserve(utf8.size());
  converter.convert(utf8, out, true);
  return out;
}

TextDecoder::TextDecoder(std::optional<TextEncoding> encoding)
    : encoding_(encoding), forced_(encoding.has_value()) {}

TextDecoder::~TextDecoder() = default;

void TextDecoder::decode(std::string_view bytes, std::string& out) {
  if (started_) {
    process(bytes, false, out);
    return;
  }
  head_.append(bytes);
  if (head_.size() >= 3) {
    std::string head = std::move(head_);
    head_.clear();
    process(head, false, out);
  }
}

void TextDecoder::finish(std::string& out) {
  if (finished_) return;
  std::string head = std::move(head_);
  head_.clear();
  process(head, true, out);
  finished_ = true;
}

void TextDecoder::process(std::string_view bytes, bool last, std::string& out) {
  if (!started_) {
    started_ = true;
    if (bytes.starts_with("\xEF\xBB\xBF")) {
      had_bom_ = true;
      encoding_ = TextEncoding::utf8;
      bytes.remove_prefix(3);
    } else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
      throw_bad_input("unsupported_encoding",
                      "文件是UTF-16编码，请另存为UTF-8或GBK（ANSI）编码的CSV后再导入",
                      "the file is UTF-16; save it as UTF-8 or GBK CSV and try again", "file");
    }
  }
  if (!encoding_) {
    if (pending_.empty()) {
      auto first = std::find_if(bytes.begin(), bytes.end(),
                                [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
      auto ascii = static_cast<std::size_t>(first - bytes.begin());
      count_lines(bytes.substr(0, ascii));
      out.append(bytes.substr(0, ascii));
      bytes.remove_prefix(ascii);
    }
    pending_.append(bytes);
    if (pending_.size() < kSniffBytes && !last) return;
    decide(last);
    std::string held = std::move(pending_);
    pending_.clear();
    if (!encoding_) return;  // nothing but ASCII: nothing held either
    process(held, last, out);
    return;
  }
  if (*encoding_ == TextEncoding::utf8) {
    decode_utf8(bytes, last, out);
  } else {
    decode_gb18030(bytes, last, out);
  }
}

void TextDecoder::decide(bool last) {
  if (pending_.empty()) return;
  Utf8Scan scan = scan_utf8(pending_);
  bool utf8 = scan.valid == pending_.size() || (scan.truncated && !last);
  encoding_ = utf8 ? TextEncoding::utf8 : TextEncoding::gb18030;
}

void TextDecoder::decode_utf8(std::string_view bytes, bool last, std::string& out) {
  std::string joined;
  if (!carry_.empty()) {
    joined = std::move(carry_) + std::string(bytes);
    carry_.clear();
    bytes = joined;
  }
  Utf8Scan scan = scan_utf8(bytes);
  if (scan.valid < bytes.size() && (!scan.truncated || last)) fail(bytes, scan.valid);
  std::string_view good = bytes.substr(0, scan.valid);
  count_lines(good);
  out.append(good);
  carry_.assign(bytes.substr(scan.valid));
}

void TextDecoder::decode_gb18030(std::string_view bytes, bool last, std::string& out) {
  if (!icu_) icu_ = std::make_unique<Icu>();
  std::size_t bad = icu_->gb18030_to_utf8.convert(bytes, out, last);
  if (bad != std::string::npos) fail(bytes, bad);
  count_lines(bytes);
}

void TextDecoder::count_lines(std::string_view bytes) {
  line_breaks_ += count_breaks(bytes, after_cr_);
}

void TextDecoder::fail(std::string_view bytes, std::size_t at) const {
  bool after_cr = after_cr_;
  std::int64_t line = 1 + line_breaks_ + count_breaks(bytes.substr(0, at), after_cr);
  std::string where = std::to_string(line);
  if (at >= bytes.size()) {
    throw_bad_input("invalid_encoding", "文件在第" + where + "行结尾处的字符不完整",
                    "the file ends inside a character on line " + where, "file");
  }
  std::string byte = hex_byte(static_cast<unsigned char>(bytes[at]));
  bool utf8 = encoding_ == TextEncoding::utf8;
  std::string zh = utf8 || forced_ ? "不是有效的" + std::string(encoding_name(*encoding_)) + "编码"
                                   : "既不是UTF-8也不是GB18030（GBK）编码";
  std::string en = utf8 || forced_ ? "not valid " + std::string(encoding_name(*encoding_))
                                   : "neither UTF-8 nor GB18030 (GBK)";
  throw_bad_input("invalid_encoding", "第" + where + "行含有无法识别的字节" + byte + "，" + zh,
                  "line " + where + " has an unreadable byte " + byte + ": " + en, "file");
}

}  // namespace wangge::sheets
