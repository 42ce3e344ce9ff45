// Text encodings of the files people bring: UTF-8 (with or without a byte-order mark) and
// GB18030, the superset of GBK/GB2312 that Chinese Excel and WPS write when saving "CSV".
// Everything inside wangge is UTF-8; these are the doors in and out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wangge::sheets {

enum class TextEncoding { utf8, gb18030 };

// "UTF-8", "GB18030".
std::string_view encoding_name(TextEncoding encoding);

// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// Converts a whole text to UTF-8 as TextDecoder does (detecting the encoding unless one is
// given; a UTF-8 byte-order mark is dropped). `detected`, when given, receives the encoding
// used. Throws as TextDecoder does.
std::string to_utf8(std::string_view bytes, std::optional<TextEncoding> encoding = std::nullopt,
                    TextEncoding* detected = nullptr);

// Converts UTF-8 text to GB18030 (every Unicode character has a GB18030 form).
// Throws Error(bad_input, "invalid_utf8") when `utf8` is not well-formed.
std::string utf8_to_gb18030(std::string_view utf8);

// Streaming conversion of a byte stream to UTF-8, for files too large to hold at once.
//
// Detection (when no encoding is forced): a UTF-8 byte-order mark means UTF-8; otherwise ASCII
// passes through undecided until the first non-ASCII byte, and the next 64 KiB from there
// decide: well-formed UTF-8 → UTF-8, else GB18030. Bytes that are invalid in the encoding
// decided on make decode()/finish() throw Error(bad_input, "invalid_encoding", field "file")
// whose Chinese and English messages name the 1-based line of the offending byte (a line ends
// at LF, CRLF or a lone CR). A UTF-16 byte-order mark is refused with its own message.
//
// Not thread-safe; one decoder per stream.
class TextDecoder {
 public:
  explicit TextDecoder(std::optional<TextEncoding> encoding = std::nullopt);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Appends the UTF-8 form of the next input bytes to `out`. Some bytes may be held back
  // until later input or finish() settles them. REQUIRES: finish() not yet called.
  void decode(std::string_view bytes, std::string& out);
  // Appends what was held back; throws when the input ends inside a character.
  void finish(std::string& out);

  // The encoding decided on; nullopt while only ASCII has been seen (then either is right).
  std::optional<TextEncoding> encoding() const { return encoding_; }
  bool had_bom() const { return had_bom_; }

 private:
  struct Icu;
  void process(std::string_view bytes, bool last, std::string& out);
  void decide(bool last);
  void decode_utf8(std::string_view bytes, bool last, std::string& out);
  void decode_gb18030(std::string_view bytes, bool last, std::string& out);
  void count_lines(std::string_view bytes);
  [[noreturn]] void fail(std::string_view bytes, std::size_t at) const;

  std::optional<TextEncoding> encoding_;
  bool forced_ = false;
  bool started_ = false;
  bool finished_ = false;
  bool had_bom_ = false;
  std::string head_;     // the first bytes, until the byte-order mark question is settled
  std::string pending_;  // undecided bytes from the first non-ASCII byte on
  std::string carry_;    // an incomplete UTF-8 sequence at the end of the last chunk
  std::int64_t line_breaks_ = 0;
  bool after_cr_ = false;
  std::unique_ptr<Icu> icu_;
};

}  // namespace wangge::sheets
