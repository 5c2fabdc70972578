#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/api_error.h"
#include "server/error_response.h"
#include "server/request.h"
#include "server/role.h"

namespace smartchurn::server {
namespace {

TEST(ApiError, CarriesStatusCodeAndField) {
  ApiError e(400, "invalid_field", "tenure must be a number", "tenure");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "invalid_field");
  EXPECT_EQ(e.field(), "tenure");
  EXPECT_STREQ(e.what(), "tenure must be a number");
}

TEST(Role, NamesForMessages) {
  EXPECT_STREQ(to_string(Role::kViewer), "viewer");
  EXPECT_STREQ(to_string(Role::kAdmin), "admin");
}

// Only the request's own JSON is the client's fault; a JSON library exception from anywhere else
// is a server bug: a 500 that does not look like bad input.
TEST(ResponseForException, AStrayJsonExceptionIsAServerError) {
  const auto response_to = [](const auto& throwing) {
    try {
      throwing();
    } catch (...) {
      return response_for_exception(std::current_exception(), "GET /test");
    }
    return Response();
  };
  const Response stray = response_to([] { (void)nlohmann::json::object().at("missing"); });
  EXPECT_EQ(stray.status, 500);
  EXPECT_EQ(nlohmann::json::parse(stray.body)["error"]["code"], "internal");
  const Response type = response_to([] { (void)nlohmann::json("text").get<int>(); });
  EXPECT_EQ(type.status, 500);

  Request request;
  request.headers["content-type"] = "application/json";
  request.body = "{\"a\": ";
  const Response bad_body = response_to([&] { (void)request.json(); });
  EXPECT_EQ(bad_body.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_body.body)["error"]["code"], "invalid_json");
}

}  // namespace
}  // namespace smartchurn::server
