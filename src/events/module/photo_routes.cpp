// POST /api/v1/photos (the raw image as the body, or the first file of a multipart form) and
// GET /api/v1/photos/{id}: photos of events, fetched only by people who may see their event.
#include <memory>
#include <string>
#include <string_view>

#include "api/context.h"
#include "auth/auth.h"
#include "core/error.h"
#include "events/module/event_routes.h"
#include "events/module/module.h"
#include "http/errors.h"
#include "intake/photos.h"

namespace wangge::api {
namespace {

using nlohmann::json;

// The parameter `name` of a header value such as `multipart/form-data; boundary=xyz`.
std::string header_param(std::string_view value, std::string_view name) {
  std::string key = std::string(name) + "=";
  auto at = value.find(key);
  if (at == std::string_view::npos) return {};
  std::string_view v = value.substr(at + key.size());
  v = v.substr(0, v.find(';'));
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

[[noreturn]] void bad_multipart() {
  throw_bad_input("invalid_multipart", "表单格式不正确，未找到照片文件",
                  "malformed multipart form: no file part", "body");
}

// The content of the first part of a multipart/form-data body that carries a file.
std::string_view first_file_part(std::string_view body, std::string_view content_type) {
  const std::string boundary = header_param(content_type, "boundary");
  if (boundary.empty()) bad_multipart();
  const std::string delimiter = "--" + boundary;
  size_t at = body.find(delimiter);
  while (at != std::string_view::npos) {
    size_t head = at + delimiter.size();
    if (body.substr(head, 2) == "--") break;  // the closing delimiter
    size_t head_end = body.find("\r\n\r\n", head);
    if (head_end == std::string_view::npos) break;
    std::string_view headers = body.substr(head, head_end - head);
    size_t content = head_end + 4;
    size_t next = body.find("\r\n" + delimiter, content);
    if (next == std::string_view::npos) break;
    if (headers.find("filename=") != std::string_view::npos) {
      return body.substr(content, next - content);
    }
    at = next + 2;
  }
  bad_multipart();
}

http::Response upload(Context& ctx, const intake::PhotoStore& store, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  if (!ctx.allows(user, auth::perm::event_report)) {
    auth::check_access(ctx.permissions, user, auth::perm::event_handle);
  }
  std::string_view type = req.header("Content-Type").value_or("");
  std::string_view bytes = req.body;
  if (type.starts_with("multipart/form-data")) bytes = first_file_part(req.body, type);
  try {
    // The file is hashed, written and synced before the short write that records its row.
    events::Photo p = store.put(ctx.db, bytes, user.id, ctx.now());
    return http::Response::json(
        201, {{"id", p.sha256}, {"sha256", p.sha256}, {"mime", p.mime}, {"size", p.size}});
  } catch (const Error& e) {
    // 415 says precisely what is wrong; the ErrorKind table has no such status.
    if (e.code() == "unsupported_photo_type") return http::error_response(415, e, req.lang);
    throw;
  }
}

http::Response fetch(Context& ctx, const intake::PhotoStore& store, const http::Request& req) {
  const auth::User& user = caller_of(req).user;
  // Only the roles that read events see their photos (三员分立: not the administrators).
  if (!ctx.allows(user, auth::perm::event_read) && !ctx.allows(user, auth::perm::event_report)) {
    auth::check_access(ctx.permissions, user, auth::perm::event_handle);
  }
  const std::string& id = req.param("id");
  auto missing = [] { throw_not_found("照片不存在", "no such photo"); };
  if (!events::is_photo_id(id)) missing();
  auto tx = ctx.db.begin(store::TxMode::read);
  auto photo = events::find_photo(*tx, id);
  if (!photo || !intake::may_view_photo(*tx, event_actor(ctx, user), *photo)) missing();
  tx.reset();
  http::Response r = http::Response::bytes(200, store.read(id), photo->mime);
  r.headers.set("Cache-Control", "private, max-age=31536000, immutable");
  r.headers.set("ETag", "\"" + id + "\"");
  r.headers.set("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

std::vector<http::Route> photo_routes(const std::shared_ptr<Context>& ctx) {
  auto store = std::make_shared<intake::PhotoStore>(
      intake::photo_dir(ctx->settings.text("photos", "dir"), ctx->db.url()),
      static_cast<size_t>(ctx->settings.integer("photos", "max_mb")) * 1024 * 1024);
  json string = {{"type", "string"}};
  return {
      {.method = http::Method::post,
       .path = "/api/v1/photos",
       .summary = "Upload a photo (JPEG, PNG, WebP or HEIC; raw body or multipart); same bytes, "
                  "same id",
       .tags = {"events"},
       .handler = [ctx, store](const http::Request& req) { return upload(*ctx, *store, req); },
       .response_schema = {{"type", "object"},
                           {"properties",
                            {{"id", string},
                             {"sha256", string},
                             {"mime", string},
                             {"size", {{"type", "integer"}}}}}},
       .success_status = 201,
       .max_body_bytes = store->max_bytes() + 64 * 1024},  // the photo and multipart framing
      {.method = http::Method::get,
       .path = "/api/v1/photos/{id}",
       .summary = "A photo's bytes, for its uploader and whoever may see its event",
       .tags = {"events"},
       .handler = [ctx, store](const http::Request& req) { return fetch(*ctx, *store, req); },
       .path_params = {{.name = "id", .required = true, .description = "SHA-256, hex"}}},
  };
}

}  // namespace wangge::api
