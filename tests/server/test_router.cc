#include <gtest/gtest.h>

#include "server/error_response.h"
#include "server/router.h"
#include "smartchurn/error.h"
#include "unit/error_code_of.h"

namespace smartchurn::server {
namespace {

nlohmann::json body_of(const Response& response) { return nlohmann::json::parse(response.body); }

std::string header_of(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

Route route(std::string method, std::string pattern, Role role, Handler handler) {
  return Route{std::move(method), std::move(pattern), role, BodyKind::kNone, std::move(handler)};
}

Handler echo_params() {
  return [](Request& request) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [name, value] : request.params) params[name] = value;
    return Response::json({{"params", params}});
  };
}

Handler throws(std::function<void()> thrower) {
  return [thrower = std::move(thrower)](Request&) -> Response {
    thrower();
    return Response::no_content();
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(route("GET", "/api/v1/items", Role::kViewer, echo_params()));
    router_.add(route("GET", "/api/v1/items/{id}", Role::kViewer, echo_params()));
    router_.add(route("DELETE", "/api/v1/items/{id}", Role::kAdmin, echo_params()));
    router_.add(route("POST", "/api/v1/items/{id}/notes", Role::kAnalyst, echo_params()));
    router_.add(route("GET", "/api/v1/health", Role::kNone, echo_params()));
    router_.add(route("GET", "/api/v1/throw/api", Role::kViewer,
                      throws([] { throw ApiError(418, "teapot", "short and stout", "spout"); })));
    router_.add(route("GET", "/api/v1/throw/usage", Role::kViewer,
                      throws([] { throw_usage("unknown model 'x'"); })));
    router_.add(route("GET", "/api/v1/throw/bad-data", Role::kViewer, throws([] {
                        throw_bad_data("not a number", Location{"/tmp/upload-123", 12, "tenure"});
                      })));
    router_.add(route("GET", "/api/v1/throw/incompatible", Role::kViewer,
                      throws([] { throw Error(ErrorCode::kIncompatible, "bundle format 9"); })));
    router_.add(route("GET", "/api/v1/throw/io", Role::kViewer,
                      throws([] { throw_io("disk /secret/path is full"); })));
    router_.add(route("GET", "/api/v1/throw/json", Role::kViewer,
                      throws([] { (void)nlohmann::json("text").get<int>(); })));
    router_.add(route("GET", "/api/v1/throw/std", Role::kViewer,
                      throws([] { throw std::runtime_error("secret detail"); })));
  }

  Response call(const std::string& method, const std::string& path, Role role = Role::kAdmin) {
    Request request;
    request.method = method;
    request.path = path;
    request.role = role;
    return router_.dispatch(request);
  }

  Router router_;
};

TEST_F(RouterTest, TheGuardScreensEveryRequestBeforeTheRoute) {
  router_.set_guard([](const Request& request) -> std::optional<Response> {
    if (request.header("host") == "evil.example") {
      return error_response(403, "host_not_allowed", "no");
    }
    return std::nullopt;
  });
  Request refused;
  refused.method = "GET";
  refused.path = "/api/v1/nowhere";
  refused.headers["host"] = "evil.example";
  EXPECT_EQ(router_.dispatch(refused).status, 403);  // before the 404 of an unknown path
  EXPECT_EQ(router_.screen(refused)->status, 403);
  EXPECT_EQ(call("GET", "/api/v1/items/7").status, 200);
}

TEST_F(RouterTest, AdmitAnswersWhatComesBeforeTheHandler) {
  Request request;
  request.method = "DELETE";
  request.path = "/api/v1/items/7";
  request.role = Role::kViewer;
  EXPECT_EQ(router_.admit(request)->status, 403);
  request.role = Role::kAdmin;
  EXPECT_EQ(router_.admit(request), std::nullopt);
  EXPECT_EQ(request.params.at("id"), "7");
  request.path = "/api/v1/nowhere";
  EXPECT_EQ(router_.admit(request)->status, 404);
}

TEST_F(RouterTest, RunsTheMatchingHandlerWithPathParameters) {
  const Response response = call("GET", "/api/v1/items/42");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(body_of(response), nlohmann::json::parse(R"({"params":{"id":"42"}})"));
  EXPECT_EQ(body_of(call("POST", "/api/v1/items/a_b.c-9/notes"))["params"]["id"], "a_b.c-9");
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const std::string path :
       {"/api/v1/nothing", "/api/v1/items/1/2", "/api", "/api/v1/items/"}) {
    const Response response = call("GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(body_of(response)["error"]["code"], "not_found") << path;
  }
  // Outside the API (dashboard files, a scraper's wrong path): plain text.
  for (const std::string path : {"/", "/metric", "/customers"}) {
    const Response response = call("GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "text/plain; charset=utf-8") << path;
  }
}

TEST_F(RouterTest, KnownPathWithAnotherMethodIs405WithAllow) {
  const Response response = call("PUT", "/api/v1/items/7");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(body_of(response)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(header_of(response, "Allow"), "DELETE, GET");
}

TEST_F(RouterTest, MissingTokenIs401) {
  const Response response = call("GET", "/api/v1/items", Role::kNone);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(body_of(response)["error"]["code"], "unauthorized");
  EXPECT_EQ(header_of(response, "WWW-Authenticate"), "Bearer");
}

TEST_F(RouterTest, PublicRouteNeedsNoToken) {
  EXPECT_EQ(call("GET", "/api/v1/health", Role::kNone).status, 200);
}

TEST_F(RouterTest, RoleTooLowIs403NamingTheNeededRole) {
  const Response response = call("DELETE", "/api/v1/items/3", Role::kAnalyst);
  EXPECT_EQ(response.status, 403);
  const nlohmann::json error = body_of(response)["error"];
  EXPECT_EQ(error["code"], "forbidden");
  EXPECT_NE(error["message"].get<std::string>().find("admin"), std::string::npos);
  EXPECT_EQ(call("POST", "/api/v1/items/3/notes", Role::kViewer).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/items/3/notes", Role::kAnalyst).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/items/3", Role::kAdmin).status, 200);
}

TEST_F(RouterTest, ApiErrorKeepsStatusCodeAndField) {
  const Response response = call("GET", "/api/v1/throw/api");
  EXPECT_EQ(response.status, 418);
  EXPECT_EQ(body_of(response),
            nlohmann::json::parse(
                R"({"error":{"code":"teapot","message":"short and stout","field":"spout"}})"));
}

TEST_F(RouterTest, CoreErrorsMapToStatuses) {
  const Response usage = call("GET", "/api/v1/throw/usage");
  EXPECT_EQ(usage.status, 400);
  EXPECT_EQ(body_of(usage),
            nlohmann::json::parse(
                R"({"error":{"code":"invalid_request","message":"unknown model 'x'"}})"));

  const Response bad_data = call("GET", "/api/v1/throw/bad-data");
  EXPECT_EQ(bad_data.status, 422);
  const nlohmann::json error = body_of(bad_data)["error"];
  EXPECT_EQ(error["code"], "invalid_data");
  EXPECT_EQ(error["field"], "tenure");
  const std::string message = error["message"];
  EXPECT_NE(message.find("not a number"), std::string::npos);
  EXPECT_NE(message.find("12"), std::string::npos);
  EXPECT_EQ(message.find("/tmp/upload-123"), std::string::npos);  // no server path

  const Response incompatible = call("GET", "/api/v1/throw/incompatible");
  EXPECT_EQ(incompatible.status, 409);
  EXPECT_EQ(body_of(incompatible)["error"]["code"], "conflict");
}

TEST_F(RouterTest, InternalErrorsGiveAGenericMessage) {
  for (const std::string path : {"/api/v1/throw/io", "/api/v1/throw/std"}) {
    const Response response = call("GET", path);
    EXPECT_EQ(response.status, 500) << path;
    EXPECT_EQ(
        body_of(response),
        nlohmann::json::parse(R"({"error":{"code":"internal","message":"internal server error"}})"))
        << path;
  }
}

// Handlers parse and check their input, so a JSON library exception that escapes one is a server
// bug: a 500 without the library's text, not a client error.
TEST_F(RouterTest, JsonExceptionFromHandlerIsAServerError) {
  const Response response = call("GET", "/api/v1/throw/json");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(body_of(response)["error"]["code"], "internal");
  EXPECT_EQ(response.body.find("json.exception"), std::string::npos);
}

TEST_F(RouterTest, AUsageErrorWithAFieldNamesIt) {
  router_.add(route("GET", "/api/v1/throw/field", Role::kViewer, throws([] {
                      throw Error(ErrorCode::kUsage, "customers[3].tenure must be a number",
                                  Location{"/srv/secret.csv", 0, "customers[3].tenure"});
                    })));
  const Response response = call("GET", "/api/v1/throw/field");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(body_of(response), nlohmann::json::parse(R"({"error":{"code":"invalid_field",
      "message":"customers[3].tenure must be a number","field":"customers[3].tenure"}})"));
}

TEST_F(RouterTest, ATextParameterTakesAnyPercentDecodedCharacters) {
  router_.add(route("GET", "/api/v1/people/{name:text}", Role::kViewer, echo_params()));
  const std::map<std::string, std::string> decoded = {{"ann%40example.com", "ann@example.com"},
                                                      {"%2B44", "+44"},
                                                      {"a%3Db", "a=b"},
                                                      {"two%20words", "two words"},
                                                      {"a+b", "a+b"},
                                                      {"caf%C3%A9", "caf\xc3\xa9"},
                                                      {"a%2Fb", "a/b"},
                                                      {"..", ".."},
                                                      {"@+=", "@+="}};
  for (const auto& [segment, value] : decoded) {
    const Response response = call("GET", "/api/v1/people/" + segment);
    ASSERT_EQ(response.status, 200) << segment;
    EXPECT_EQ(body_of(response)["params"]["name"], value) << segment;
  }
  const std::string too_long(513, 'x');
  for (const std::string& segment :
       {std::string("%"), std::string("%4"), std::string("%zz"), std::string(), too_long}) {
    EXPECT_EQ(call("GET", "/api/v1/people/" + segment).status, 404) << segment;
  }
  EXPECT_EQ(call("GET", "/api/v1/people/" + std::string(512, 'x')).status, 200);
  EXPECT_EQ(router_.route_label("GET", "/api/v1/people/a%40b"), "/api/v1/people/{name:text}");
  // Numeric parameters stay strict.
  EXPECT_EQ(call("GET", "/api/v1/items/a%40b").status, 404);
}

TEST_F(RouterTest, BadPathParametersNeverReachAHandler) {
  const std::string too_long(65, 'a');
  for (const std::string segment :
       {"..", ".", "a b", "a;b", "a%2Fb", "caf\xc3\xa9", "", too_long.c_str()}) {
    const Response response = call("GET", "/api/v1/items/" + segment);
    EXPECT_EQ(response.status, 404) << segment;
  }
  EXPECT_EQ(call("GET", "/api/v1/items/" + std::string(64, 'a')).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/items/../items").status, 404);
  EXPECT_EQ(call("GET", "api/v1/items").status, 404);
}

TEST_F(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  router_.add(route("GET", "/api/v1/items/latest", Role::kViewer, [](Request&) {
    return Response::json({{"latest", true}});
  }));
  EXPECT_EQ(body_of(call("GET", "/api/v1/items/latest")),
            nlohmann::json::parse(R"({"latest":true})"));
  EXPECT_EQ(body_of(call("GET", "/api/v1/items/early"))["params"]["id"], "early");
}

TEST_F(RouterTest, HandlerReadingJsonGives415Or400) {
  router_.add({"POST", "/api/v1/json", Role::kViewer, BodyKind::kJson,
               [](Request& request) { return Response::json(request.json()); }});
  Request request;
  request.method = "POST";
  request.path = "/api/v1/json";
  request.role = Role::kViewer;
  request.headers["content-type"] = "text/plain";
  request.body = "{}";
  Response response = router_.dispatch(request);
  EXPECT_EQ(response.status, 415);
  EXPECT_EQ(body_of(response)["error"]["code"], "unsupported_media_type");
  request.headers["content-type"] = "application/json";
  request.body = "{nope";
  response = router_.dispatch(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(body_of(response)["error"]["code"], "invalid_json");
  request.body = R"({"x":1})";
  EXPECT_EQ(router_.dispatch(request).body, R"({"x":1})");
}

TEST_F(RouterTest, HeadIsMatchedAsGet) { EXPECT_EQ(call("HEAD", "/api/v1/items/5").status, 200); }

TEST_F(RouterTest, RouteLabelIsThePattern) {
  EXPECT_EQ(router_.route_label("GET", "/api/v1/items/9"), "/api/v1/items/{id}");
  EXPECT_EQ(router_.route_label("PUT", "/api/v1/items/9"), "/api/v1/items/{id}");
  EXPECT_EQ(router_.route_label("GET", "/api/v1/items/9/x"), "unmatched");
}

TEST_F(RouterTest, FindFillsParameters) {
  std::map<std::string, std::string> params;
  const Route* found = router_.find("POST", "/api/v1/items/77/notes", &params);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->pattern, "/api/v1/items/{id}/notes");
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"id", "77"}}));
  EXPECT_EQ(router_.find("PUT", "/api/v1/items/77"), nullptr);
}

TEST(Router, RejectsMalformedOrDuplicateRoutes) {
  Router router;
  const Handler ok = [](Request&) { return Response::no_content(); };
  router.add(route("GET", "/a/{id}", Role::kViewer, ok));
  EXPECT_EQ(
      smartchurn::test::code_of([&] { router.add(route("GET", "/a/{id}", Role::kViewer, ok)); }),
      ErrorCode::kUsage);
  EXPECT_EQ(smartchurn::test::code_of([&] { router.add(route("GET", "a", Role::kViewer, ok)); }),
            ErrorCode::kUsage);
  EXPECT_EQ(
      smartchurn::test::code_of([&] { router.add(route("GET", "/a/{b-c}", Role::kViewer, ok)); }),
      ErrorCode::kUsage);
  EXPECT_EQ(
      smartchurn::test::code_of([&] { router.add(route("GET", "/a/x{id}", Role::kViewer, ok)); }),
      ErrorCode::kUsage);
  EXPECT_EQ(
      smartchurn::test::code_of([&] { router.add(route("GET", "/b", Role::kViewer, nullptr)); }),
      ErrorCode::kUsage);
  EXPECT_EQ(router.routes().size(), 1u);
}

}  // namespace
}  // namespace smartchurn::server
