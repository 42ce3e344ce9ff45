// Internal to src/sheets: reading members of a ZIP archive held in memory (minizip), for the
// XLSX reader. Not part of the module's contract.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wangge::sheets::detail {

class ZipArchive {
 public:
  // REQUIRES: `bytes` outlives the archive. Throws Error(bad_input, "invalid_xlsx") when the
  // bytes are not a ZIP archive.
  explicit ZipArchive(std::string_view bytes);

  // The unpacked member `name` (matched exactly, else ignoring ASCII case), or nullopt when
  // there is none. Throws Error(too_large, "file_too_large") when it unpacks to more than
  // `max_bytes`, Error(bad_input, "invalid_xlsx") when it is damaged or encrypted.
  // Safe to call from several threads at once.
  std::optional<std::string> read(const std::string& name, std::uint64_t max_bytes) const;
  // The same, handing the unpacked bytes to `on_chunk` piece by piece; false when there is no
  // such member.
  bool read_chunks(const std::string& name, std::uint64_t max_bytes,
                   const std::function<void(std::string_view chunk)>& on_chunk) const;

 private:
  std::string_view bytes_;
};

}  // namespace wangge::sheets::detail
