// The request and response that route handlers see. Plain C++ types: no Beast, no Asio, so
// domain code can declare routes without paying for the network headers.
#pragma once

#include <any>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace wangge::http {

struct Route;
class Dispatcher;

enum class Method { get, head, post, put, patch, delete_, options, other };

// "GET", "POST", …; "OTHER" for Method::other.
std::string_view method_name(Method m);
// The method for an upper-case token; Method::other when it is none of the above.
Method parse_method(std::string_view token);

// Header fields in arrival order. Names compare case-insensitively; a name may repeat
// (Set-Cookie).
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Appends a field, keeping any earlier one of the same name.
  void add(std::string name, std::string value);
  // Replaces every field of that name by one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

// The query string, percent-decoded ('+' is a space). A key may repeat (tag=a&tag=b).
// Typed accessors throw a bad_input Error (400) naming the parameter when the text is not a
// number in range, so a handler never has to check.
class Query {
 public:
  // REQUIRES: raw is the part after '?'. Throws bad_input on bad %-escapes or invalid UTF-8.
  static Query parse(std::string_view raw);

  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string fallback) const;
  std::vector<std::string> all(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }

  // Absent or empty → nullopt; "abc", "1.5" or outside [min, max] → bad_input.
  std::optional<int64_t> get_int(std::string_view key,
                                 int64_t min = std::numeric_limits<int64_t>::min(),
                                 int64_t max = std::numeric_limits<int64_t>::max()) const;
  int64_t get_int_or(std::string_view key, int64_t fallback,
                     int64_t min = std::numeric_limits<int64_t>::min(),
                     int64_t max = std::numeric_limits<int64_t>::max()) const;
  // Finite decimal numbers only.
  std::optional<double> get_double(std::string_view key) const;
  // true/false/1/0; anything else → bad_input.
  std::optional<bool> get_bool(std::string_view key) const;

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Decodes %XX escapes (and '+' as space when plus_is_space). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

// The name=value pairs of a Cookie header ("a=1; b=2"); quotes around a value are removed.
std::vector<std::pair<std::string, std::string>> parse_cookies(std::string_view header);

// The language preferred by an Accept-Language header, weighing q-values:
// "en-US,en;q=0.9,zh;q=0.8" → en, "zh-CN,zh;q=0.9,en;q=0.8" → zh; zh when it names neither.
Lang preferred_language(std::string_view accept_language);

struct Request {
  Method method = Method::get;
  std::string target;  // as received: path plus "?query"
  std::string path;    // the path part of target, still percent-encoded
  Query query;         // decoded
  Headers headers;     // as received
  std::string body;    // raw bytes
  // The client's IP address: the peer's, or the one a trusted proxy names in X-Forwarded-For
  // (ServerOptions::trusted_proxies). Throttles and audit rows key on it.
  std::string client_address;
  std::string peer_address;  // the IP address of the TCP peer (the proxy, when one forwards)
  // The client reached us over TLS: a trusted proxy said X-Forwarded-Proto: https.
  bool secure = false;
  std::vector<std::pair<std::string, std::string>> params;  // {name} segments, decoded
  Lang lang = Lang::zh;          // from Accept-Language; error messages use it
  const Route* route = nullptr;  // the matched route (null for static files and errors)
  // Free for "before" hooks: authentication stores the user here for the handler to read.
  std::any context;

  // The value of a {name} path segment. REQUIRES: the route's pattern has it.
  const std::string& param(std::string_view name) const;
  // The {name} segment as an integer; bad_input when it is not one in range.
  int64_t param_int(std::string_view name, int64_t min = std::numeric_limits<int64_t>::min(),
                    int64_t max = std::numeric_limits<int64_t>::max()) const;
  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  std::optional<std::string> cookie(std::string_view name) const;
  // The body parsed as JSON (parsed once, then cached). Throws bad_input (400) for an empty
  // body ("empty_body"), invalid UTF-8 ("invalid_utf8") or malformed JSON ("invalid_json").
  const nlohmann::json& json() const;

  // The context as a T, or null when a hook stored nothing or something else.
  template <class T>
  const T* context_as() const {
    return std::any_cast<T>(&context);
  }

 private:
  friend class Dispatcher;
  mutable std::optional<nlohmann::json> json_;
  std::string_view metrics_label_ = "unmatched";  // route pattern, "static" or "unmatched"
};

struct CookieOptions {
  std::string path = "/";
  std::optional<int64_t> max_age_seconds;  // nullopt: a session cookie; 0 deletes it
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Strict";  // Strict, Lax or None
};

struct Response {
  int status = 200;
  Headers headers;   // Content-Type lives here; Content-Length is computed by the server
  std::string body;  // sent as is (empty for HEAD requests and 204/304)

  // A JSON body. Strings that are not valid UTF-8 are written with U+FFFD, never thrown on.
  static Response json(int status, const nlohmann::json& value);
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  // Any bytes (a file, an export) of the given type.
  static Response bytes(int status, std::string body, std::string content_type);
  // No body (204, 304).
  static Response empty(int status);

  std::string_view content_type() const { return headers.get("Content-Type").value_or(""); }
  // Adds a Set-Cookie header. REQUIRES: name and value are cookie tokens (no ';', ',', space).
  void set_cookie(std::string_view name, std::string_view value, const CookieOptions& options = {});
};

}  // namespace wangge::http
