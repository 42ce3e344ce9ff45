// A real server on 127.0.0.1 (port 0) with a small route table that exercises the transport.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "client.h"
#include "core/error.h"
#include "http/json_input.h"
#include "http/server.h"

namespace wangge::http {

inline ServerOptions test_options() {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.handler_threads = 4;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  return o;
}

inline void add_test_routes(Server& server) {
  Router& r = server.router();
  r.add({.method = Method::get,
         .path = "/api/test/hello",
         .summary = "Says hello",
         .tags = {"test"},
         .handler = [](const Request&) {
           return Response::json(200, {{"hello", "world"}});
         }});
  r.add({.method = Method::get,
         .path = "/api/v1/orgs/{code}",
         .summary = "One org",
         .tags = {"org"},
         .handler = [](const Request& req) {
           return Response::json(200, {{"code", req.param("code")}});
         }});
  r.add({.method = Method::get,
         .path = "/api/v1/orgs/stats",
         .summary = "Literal segment beating {code}",
         .tags = {"org"},
         .handler = [](const Request&) {
           return Response::json(200, {{"stats", true}});
         }});
  r.add({.method = Method::get,
         .path = "/api/v1/orgs/{code}/children",
         .summary = "Children of an org",
         .tags = {"org"},
         .handler =
             [](const Request& req) {
               return Response::json(200, {{"code", req.param("code")},
                                           {"page", req.query.get_int_or("page", 1, 1, 1000)},
                                           {"q", req.query.get_or("q", "")}});
             },
         .query = {{.name = "page", .type = ParamType::integer, .description = "1-based"},
                   {.name = "q", .description = "Name filter"}}});
  r.add({.method = Method::get,
         .path = "/api/test/count",
         .summary = "Requires an integer n",
         .handler =
             [](const Request& req) {
               return Response::json(200, {{"n", *req.query.get_int("n")}});
             },
         .query = {{.name = "n", .type = ParamType::integer, .required = true}}});
  r.add({.method = Method::post,
         .path = "/api/test/echo",
         .summary = "Echoes a person",
         .tags = {"test"},
         .handler =
             [](const Request& req) {
               const auto& body = require_object(req.json());
               reject_unknown_fields(body, {"name", "age"});
               nlohmann::json out = {{"name", required_field<std::string>(body, "name")}};
               if (auto age = optional_field<int>(body, "age")) out["age"] = *age;
               return Response::json(201, out);
             },
         .request_schema = {{"type", "object"}, {"required", {"name"}}},
         .success_status = 201});
  r.add({.method = Method::post,
         .path = "/api/test/by-hand",
         .summary = "Reads a field with nlohmann directly",
         .handler = [](const Request& req) {
           return Response::json(200, {{"n", req.json().at("n").get<int>()}});
         }});
  r.add({.method = Method::get,
         .path = "/api/test/fail",
         .summary = "Throws a conflict",
         .handler = [](const Request&) -> Response {
           throw Error(ErrorKind::conflict, "already_closed", "事件已结案", "The event is closed",
                       "state");
         }});
  r.add({.method = Method::get,
         .path = "/api/test/boom",
         .summary = "Throws something unexpected",
         .handler = [](const Request&) -> Response {
           throw std::runtime_error("password=hunter2 at db.internal:5432");
         }});
  r.add({.method = Method::get,
         .path = "/api/test/whoami",
         .summary = "The caller stored by the before hook",
         .handler = [](const Request& req) {
           const auto* user = req.context_as<std::string>();
           return Response::json(200, {{"user", user ? *user : ""},
                                       {"cookie", req.cookie("sid").value_or("")},
                                       {"client", req.client_address}});
         }});
  server.before([](Request& req) {
    if (req.header("X-Test-Reject")) {
      throw Error(ErrorKind::unauthorized, "not_logged_in", "请先登录", "Please log in");
    }
    if (auto user = req.header("X-Test-User")) req.context = std::string(*user);
  });
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(test_options());
    add_test_routes(*server_);
    port_ = server_->start();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override { server_->stop(); }

  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

}  // namespace wangge::http
