// Serving a folder of files (the built web app): content types, ETag / If-None-Match → 304,
// path traversal refused, single-page-app fallback to an index.html per prefix, and the
// build's precompressed copies (name.br, name.gz beside name) chosen by Accept-Encoding.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace wangge::http {

struct StaticOptions {
  std::filesystem::path root;
  // A path under one of these prefixes that names no file, and whose last segment has no '.',
  // gets <prefix>index.html (the longest prefix wins): "/m/tasks/3" → root/m/index.html.
  std::vector<std::string> spa_prefixes = {"/", "/m/"};
  // Paths under these prefixes are never served from the folder (API 404s stay JSON).
  std::vector<std::string> excluded_prefixes = {"/api/", "/open311/"};
  // Paths under these prefixes hold content-hashed names (Vite's assets/) and are cached for
  // a year; everything else is revalidated on each use.
  std::vector<std::string> immutable_prefixes = {"/assets/", "/m/assets/"};
};

class StaticFiles {
 public:
  explicit StaticFiles(StaticOptions options);

  // The response for a GET or HEAD of req.path: the file (200), 304 when If-None-Match
  // matches its ETag, or nullopt when no file or fallback applies. When the file has a
  // precompressed copy the client accepts (Accept-Encoding with q-values; br before gzip
  // before identity at equal weight), that copy's bytes go with Content-Encoding; every answer
  // says Vary: Accept-Encoding. Throws bad_input for a path
  // that tries to leave the root ("..", encoded or not) or holds a NUL or backslash.
  std::optional<Response> serve(const Request& req) const;

  const StaticOptions& options() const { return options_; }

 private:
  std::optional<Response> serve_file(const Request& req, const std::filesystem::path& file,
                                     std::string_view url_path) const;

  StaticOptions options_;
  std::filesystem::path canonical_root_;
};

// The content coding to send given an Accept-Encoding header (nullopt: no header) and the
// precompressed copies there are: "br", "gzip" or "" (identity). The highest q wins, br before
// gzip before identity at equal weight; a coding with q=0 (or not named, without "*") is refused;
// identity, when not named, is the last resort, sent whenever nothing else is acceptable.
std::string_view choose_encoding(std::optional<std::string_view> accept_encoding, bool have_br,
                                 bool have_gzip);

// The Content-Type for a file name by its extension; application/octet-stream if unknown.
std::string_view content_type_for(std::string_view filename);

}  // namespace wangge::http
