#include <gtest/gtest.h>

#include "server/media_type.h"
#include "server/request.h"
#include "server/response.h"

namespace smartchurn::server {
namespace {

// The ApiError a call throws; status 0 when it does not throw one.
ApiError api_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const ApiError& e) {
    return e;
  }
  return ApiError(0, "", "");
}

Request json_request(std::string content_type, std::string body) {
  Request request;
  request.headers["content-type"] = std::move(content_type);
  request.body = std::move(body);
  return request;
}

TEST(Request, HeaderWithFallback) {
  Request request;
  request.headers["x-trace"] = "abc";
  EXPECT_EQ(request.header("x-trace"), "abc");
  EXPECT_EQ(request.header("x-missing"), "");
  EXPECT_EQ(request.header("x-missing", "none"), "none");
}

TEST(Request, QueryValueIsTheFirstOne) {
  Request request;
  request.query.emplace("limit", "10");
  request.query.emplace("limit", "20");
  EXPECT_EQ(request.query_value("limit"), std::optional<std::string>("10"));
  EXPECT_EQ(request.query_value("offset"), std::nullopt);
}

TEST(Request, IdParamAcceptsPositive64BitIntegers) {
  Request request;
  request.params["id"] = "42";
  request.params["model"] = "9223372036854775807";
  EXPECT_EQ(request.id_param(), 42);
  EXPECT_EQ(request.id_param("model"), INT64_MAX);
}

TEST(Request, IdParamRejectsOthersNamingTheParameter) {
  for (const std::string value :
       {"0", "-3", "+3", "12a", "1.5", "", " 7", "9223372036854775808", "99999999999999999999"}) {
    Request request;
    request.params["model"] = value;
    const ApiError error = api_error_of([&] { (void)request.id_param("model"); });
    EXPECT_EQ(error.status(), 400) << value;
    EXPECT_EQ(error.code(), "invalid_parameter") << value;
    EXPECT_EQ(error.field(), "model") << value;
    EXPECT_NE(std::string(error.what()).find("'model'"), std::string::npos) << value;
  }
  Request without;
  EXPECT_EQ(api_error_of([&] { (void)without.id_param(); }).status(), 400);
}

TEST(Request, JsonParsesWithCharsetParameter) {
  const Request request = json_request("Application/JSON; charset=utf-8", R"({"a": [1, 2]})");
  EXPECT_EQ(request.json(), nlohmann::json::parse(R"({"a":[1,2]})"));
}

TEST(Request, JsonNeedsTheJsonContentType) {
  for (const std::string type : {"", "text/plain", "application/jsonp", "multipart/form-data"}) {
    const Request request = json_request(type, "{}");
    const ApiError error = api_error_of([&] { (void)request.json(); });
    EXPECT_EQ(error.status(), 415) << type;
    EXPECT_EQ(error.code(), "unsupported_media_type") << type;
  }
}

TEST(Request, MalformedJsonIs400SayingWhereWithoutLibraryText) {
  for (const std::string body : {"", "{", "{\"a\": }", "[1,]"}) {
    const Request request = json_request("application/json", body);
    const ApiError error = api_error_of([&] { (void)request.json(); });
    EXPECT_EQ(error.status(), 400) << body;
    EXPECT_EQ(error.code(), "invalid_json") << body;
    EXPECT_NE(std::string(error.what()).find("not valid JSON (error at byte "), std::string::npos)
        << body;
    EXPECT_EQ(std::string(error.what()).find("json.exception"), std::string::npos) << body;
  }
}

TEST(Request, ANumberBeyondADoubleIs400NotAServerError) {
  const Request request = json_request("application/json", R"({"tenure": 1e400})");
  const ApiError error = api_error_of([&] { (void)request.json(); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "invalid_json");
  EXPECT_EQ(std::string(error.what()).find("json.exception"), std::string::npos);
}

TEST(Response, Factories) {
  const Response json = Response::json({{"ok", true}}, 201);
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.body, R"({"ok":true})");
  EXPECT_EQ(json.content_type, "application/json");

  const Response text = Response::text("a,b\n", "text/csv", 202);
  EXPECT_EQ(text.status, 202);
  EXPECT_EQ(text.body, "a,b\n");
  EXPECT_EQ(text.content_type, "text/csv");

  const Response empty = Response::no_content();
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.body, "");
}

TEST(Response, InvalidUtf8IsReplacedNotThrown) {
  const Response response = Response::json({{"name", std::string("a\xff")}});
  EXPECT_EQ(response.body, "{\"name\":\"a\xef\xbf\xbd\"}");
}

TEST(MediaType, LowerCasedWithoutParameters) {
  EXPECT_EQ(media_type(" Text/CSV ; charset=utf-8"), "text/csv");
  EXPECT_EQ(media_type("multipart/form-data; boundary=x"), "multipart/form-data");
  EXPECT_EQ(media_type(""), "");
}

}  // namespace
}  // namespace smartchurn::server
