#include "http/static_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.h"
#include "http/json_input.h"

namespace wangge::http {
namespace fs = std::filesystem;
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

[[noreturn]] void throw_bad_path() {
  throw_bad_input("invalid_path", "请求路径不合法", "The request path is not allowed");
}

// The path's segments, refusing anything that could leave the root.
std::vector<std::string> safe_segments(std::string_view decoded) {
  if (decoded.find('\0') != std::string_view::npos ||
      decoded.find('\\') != std::string_view::npos) {
    throw_bad_path();
  }
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= decoded.size()) {
    size_t slash = decoded.find('/', pos);
    if (slash == std::string_view::npos) slash = decoded.size();
    std::string_view seg = decoded.substr(pos, slash - pos);
    if (seg == ".." || seg == ".") throw_bad_path();
    if (!seg.empty()) out.emplace_back(seg);
    pos = slash + 1;
  }
  return out;
}

// Whether an If-None-Match header matches etag (weak comparison, RFC 9110 §13.1.2).
bool none_match(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5" → 0.5); 1 without one, 0 if bad.
double q_value(std::string_view params) {
  for (size_t semi = params.find(';'); semi != std::string_view::npos;) {
    size_t next = params.find(';', semi + 1);
    std::string_view p = trim(params.substr(semi + 1, next - semi - 1));
    if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string v(p.substr(2));
      char* end = nullptr;
      double q = std::strtod(v.c_str(), &end);
      return (end == v.c_str() + v.size() && q >= 0 && q <= 1) ? q : 0;
    }
    semi = next;
  }
  return 1;
}

bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

}  // namespace

std::string_view choose_encoding(std::optional<std::string_view> header, bool have_br,
                                 bool have_gzip) {
  if (!header) return "";
  // Weights as named; a coding not named takes the weight of "*" when there is one.
  std::optional<double> br, gzip, identity, any;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = trim(item.substr(0, semi));
    double q = semi == std::string_view::npos ? 1 : q_value(item.substr(semi));
    if (iequals(coding, "br")) br = q;
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip = q;
    if (iequals(coding, "identity")) identity = q;
    if (coding == "*") any = q;
  }
  double q_br = have_br ? br.value_or(any.value_or(0)) : 0;
  double q_gzip = have_gzip ? gzip.value_or(any.value_or(0)) : 0;
  // Identity is always acceptable as the last resort; it outweighs a coding only when named.
  double q_identity = identity.value_or(any.value_or(0));
  // At equal weight the smaller answer wins: br, then gzip, then identity.
  if (q_br > 0 && q_br >= q_gzip && q_br >= q_identity) return "br";
  if (q_gzip > 0 && q_gzip >= q_identity) return "gzip";
  return "";
}

std::string_view content_type_for(std::string_view filename) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
      {".pdf", "application/pdf"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  };
  size_t dot = filename.rfind('.');
  if (dot != std::string_view::npos) {
    std::string ext(filename.substr(dot));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [e, type] : kTypes) {
      if (e == ext) return type;
    }
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(StaticOptions options) : options_(std::move(options)) {
  canonical_root_ = fs::weakly_canonical(fs::absolute(options_.root));
  if (canonical_root_.filename().empty()) canonical_root_ = canonical_root_.parent_path();
  // Longest prefix first, so the first match is the most specific.
  std::sort(options_.spa_prefixes.begin(), options_.spa_prefixes.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  for (const auto& p : options_.excluded_prefixes) {
    if (starts_with(req.path, p)) return std::nullopt;
  }
  auto decoded = percent_decode(req.path, false);
  if (!decoded || !valid_utf8(*decoded) || !starts_with(*decoded, "/")) throw_bad_path();
  std::vector<std::string> segments = safe_segments(*decoded);
  bool directory = decoded->back() == '/';

  fs::path file = canonical_root_;
  for (const auto& s : segments) file /= s;
  if (directory) file /= "index.html";
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) return serve_file(req, file, *decoded);

  // SPA fallback: the client-side router owns paths without a file extension.
  bool looks_like_file =
      !segments.empty() && !directory && segments.back().find('.') != std::string::npos;
  if (looks_like_file) return std::nullopt;
  std::string as_dir = directory ? *decoded : *decoded + "/";
  for (const auto& prefix : options_.spa_prefixes) {
    if (!starts_with(as_dir, prefix)) continue;
    fs::path index = canonical_root_;
    for (const auto& s : safe_segments(prefix)) index /= s;
    index /= "index.html";
    if (fs::is_regular_file(index, ec)) return serve_file(req, index, prefix + "index.html");
  }
  return std::nullopt;
}

std::optional<Response> StaticFiles::serve_file(const Request& req, const fs::path& file,
                                                std::string_view url_path) const {
  std::error_code ec;
  // A symbolic link inside the root must not lead out of it.
  fs::path real = fs::canonical(file, ec);
  if (ec || !inside(canonical_root_, real)) return std::nullopt;
  std::string type(content_type_for(real.filename().string()));

  // The build's precompressed copy beside the file, when the client takes it.
  auto copy = [&](std::string_view ext) {
    fs::path p = real;
    p += ext;
    std::error_code e;
    fs::path r = fs::canonical(p, e);
    return !e && inside(canonical_root_, r) && fs::is_regular_file(r, e) ? r : fs::path();
  };
  fs::path br = copy(".br"), gz = copy(".gz");
  std::string_view coding =
      choose_encoding(req.header("Accept-Encoding"), !br.empty(), !gz.empty());
  if (coding == "br") real = br;
  if (coding == "gzip") real = gz;

  auto size = fs::file_size(real, ec);
  if (ec) return std::nullopt;
  auto mtime = fs::last_write_time(real, ec);
  if (ec) return std::nullopt;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  std::string etag = fmt::format("\"{:x}-{:x}{}{}\"", size, static_cast<uint64_t>(ns),
                                 coding.empty() ? "" : "-", coding);

  bool immutable =
      std::any_of(options_.immutable_prefixes.begin(), options_.immutable_prefixes.end(),
                  [&](const std::string& p) { return starts_with(url_path, p); });
  std::string cache = immutable ? "public, max-age=31536000, immutable" : "no-cache";

  Response r;
  if (auto inm = req.header("If-None-Match"); inm && none_match(*inm, etag)) {
    r = Response::empty(304);
  } else {
    std::ifstream in(real, std::ios::binary);
    if (!in) return std::nullopt;
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    r = Response::bytes(200, std::move(body), type);
  }
  r.headers.set("ETag", etag);
  r.headers.set("Cache-Control", cache);
  r.headers.set("Vary", "Accept-Encoding");
  if (!coding.empty()) r.headers.set("Content-Encoding", std::string(coding));
  return r;
}

}  // namespace wangge::http
