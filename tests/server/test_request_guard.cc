// The Host and Origin checks in process: what each bind lets through and what it refuses.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "server/request_guard.h"
#include "server/router.h"
#include "smartchurn/error.h"

namespace smartchurn::server {
namespace {

constexpr int kPort = 8080;

Request request(const std::string& method, std::map<std::string, std::string> headers) {
  Request r;
  r.method = method;
  r.path = "/api/v1/datasets";
  r.headers = std::move(headers);
  return r;
}

RequestGuard loopback_guard(bool tokens = false, std::vector<std::string> allowed = {}) {
  return RequestGuard({"127.0.0.1", kPort, std::move(allowed), tokens});
}

// The refusal's code, or "" when the request goes on.
std::string refusal(const RequestGuard& guard, const Request& r) {
  const auto response = guard.check(r);
  if (!response) return "";
  EXPECT_EQ(response->status, 403);
  return nlohmann::json::parse(response->body)["error"]["code"].get<std::string>();
}

TEST(LoopbackAddress, ParsesAddressesInsteadOfMatchingAPrefix) {
  for (const char* host :
       {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_address(host)) << host;
  }
  for (const char* host : {"127.0.0.1.example", "127.evil.com", "0.0.0.0", "::", "10.0.0.1",
                           "128.0.0.1", "example.com", "", "localhost.evil.com", "::2"}) {
    EXPECT_FALSE(is_loopback_address(host)) << host;
  }
  EXPECT_TRUE(is_wildcard_address("0.0.0.0"));
  EXPECT_TRUE(is_wildcard_address("::"));
  EXPECT_FALSE(is_wildcard_address("127.0.0.1"));
}

TEST(RequestGuard, HostMustNameTheServerOnALoopbackBind) {
  const RequestGuard guard = loopback_guard();
  for (const char* host : {"127.0.0.1:8080", "localhost:8080", "LocalHost:8080", "[::1]:8080",
                           "127.0.0.1", "localhost", "[::1]"}) {
    EXPECT_EQ(refusal(guard, request("GET", {{"host", host}})), "") << host;
  }
  for (const char* host :
       {"evil.example:8080", "evil.example", "127.0.0.1:8081", "localhost:80",
        "127.0.0.1.example:8080", "[::1]:9999", "::1", "127.0.0.1:", "a b", "127.0.0.1:8080:1"}) {
    EXPECT_EQ(refusal(guard, request("GET", {{"host", host}})), "host_not_allowed") << host;
  }
}

TEST(RequestGuard, ARequestWithoutHostIsRefusedWhileHostIsChecked) {
  // HTTP/1.1 requires Host and every browser sends it; a request built by hand without one is
  // refused too, so tests that install the guard give a Host.
  const auto response = loopback_guard().check(request("GET", {}));
  ASSERT_TRUE(response);
  EXPECT_NE(response->body.find("no Host header"), std::string::npos) << response->body;
  EXPECT_NE(response->body.find("http://127.0.0.1:8080/"), std::string::npos) << response->body;
  EXPECT_NE(response->body.find("--allowed-hosts"), std::string::npos) << response->body;
}

TEST(RequestGuard, AllowedHostsAddNamesWithTheBoundPortOrTheirOwn) {
  const RequestGuard guard = loopback_guard(false, {"churn.example.com", "proxy:8443", "[::2]"});
  for (const char* host : {"churn.example.com", "churn.example.com:8080", "CHURN.example.com",
                           "proxy:8443", "[::2]:8080"}) {
    EXPECT_EQ(refusal(guard, request("GET", {{"host", host}})), "") << host;
  }
  for (const char* host : {"churn.example.com:9000", "proxy:8080", "proxy", "evil.example"}) {
    EXPECT_EQ(refusal(guard, request("GET", {{"host", host}})), "host_not_allowed") << host;
  }
  EXPECT_THROW(loopback_guard(false, {"bad host"}), Error);
  EXPECT_THROW(loopback_guard(false, {"host:99999"}), Error);
  EXPECT_THROW(loopback_guard(false, {"::1"}), Error);  // IPv6 must be bracketed
}

TEST(RequestGuard, AWildcardBindChecksHostOnlyWithAllowedHosts) {
  const RequestGuard open({"0.0.0.0", kPort, {}, true});
  EXPECT_EQ(refusal(open, request("GET", {{"host", "anything.example:8080"}})), "");
  EXPECT_EQ(refusal(open, request("GET", {})), "");
  const RequestGuard listed({"::", kPort, {"churn.example.com"}, true});
  EXPECT_EQ(refusal(listed, request("GET", {{"host", "churn.example.com"}})), "");
  EXPECT_EQ(refusal(listed, request("GET", {{"host", "127.0.0.1:8080"}})), "");
  EXPECT_EQ(refusal(listed, request("GET", {{"host", "evil.example"}})), "host_not_allowed");
}

TEST(RequestGuard, StateChangingRequestsFromAForeignOriginAreRefusedWithoutTokens) {
  const RequestGuard guard = loopback_guard();
  const std::map<std::string, std::string> base = {{"host", "127.0.0.1:8080"},
                                                   {"content-type", "application/json"}};
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    auto headers = base;
    headers["origin"] = "http://evil.example";
    EXPECT_EQ(refusal(guard, request(method, headers)), "cross_site_request") << method;
  }
  auto get = base;
  get["origin"] = "http://evil.example";
  EXPECT_EQ(refusal(guard, request("GET", get)), "");  // reading needs CORS, which is off
  for (const char* origin :
       {"null", "http://127.0.0.1:8081", "http://127.0.0.1", "https://evil.example:8080",
        "http://127.0.0.1:8080.evil.example", "file://"}) {
    auto headers = base;
    headers["origin"] = origin;
    EXPECT_EQ(refusal(guard, request("POST", headers)), "cross_site_request") << origin;
  }
  for (const char* origin : {"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080",
                             "HTTP://127.0.0.1:8080"}) {
    auto headers = base;
    headers["origin"] = origin;
    EXPECT_EQ(refusal(guard, request("POST", headers)), "") << origin;
  }
}

TEST(RequestGuard, WithoutOriginSecFetchSiteDecidesAndCurlGoesThrough) {
  const RequestGuard guard = loopback_guard();
  const std::map<std::string, std::string> curl = {{"host", "127.0.0.1:8080"},
                                                   {"content-type", "text/csv"}};
  EXPECT_EQ(refusal(guard, request("POST", curl)), "");
  for (const char* site : {"cross-site", "same-site", "Cross-Site"}) {
    auto headers = curl;
    headers["sec-fetch-site"] = site;
    EXPECT_EQ(refusal(guard, request("POST", headers)), "cross_site_request") << site;
  }
  for (const char* site : {"same-origin", "none"}) {
    auto headers = curl;
    headers["sec-fetch-site"] = site;
    EXPECT_EQ(refusal(guard, request("POST", headers)), "") << site;
  }
}

TEST(RequestGuard, WithTokensOnlyFormLikeCrossSiteRequestsAreRefused) {
  const RequestGuard guard = loopback_guard(true);
  std::map<std::string, std::string> headers = {{"host", "127.0.0.1:8080"},
                                                {"origin", "http://evil.example"},
                                                {"content-type", "application/json"}};
  EXPECT_EQ(refusal(guard, request("POST", headers)), "");  // the token check decides
  for (const char* type :
       {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", " Multipart/Form-Data", ""}) {
    headers["content-type"] = type;
    EXPECT_EQ(refusal(guard, request("POST", headers)), "cross_site_request") << type;
  }
  headers.erase("content-type");
  EXPECT_EQ(refusal(guard, request("POST", headers)), "cross_site_request");
}

TEST(RequestGuard, TheRefusalSaysWhatToDo) {
  const auto response = loopback_guard().check(
      request("POST", {{"host", "127.0.0.1:8080"}, {"origin", "http://evil.example"}}));
  ASSERT_TRUE(response);
  const auto error = nlohmann::json::parse(response->body)["error"];
  EXPECT_EQ(error["field"], "Origin");
  const std::string message = error["message"];
  EXPECT_NE(message.find("'http://evil.example'"), std::string::npos) << message;
  EXPECT_NE(message.find("http://127.0.0.1:8080/"), std::string::npos) << message;
  EXPECT_NE(message.find("--allowed-hosts"), std::string::npos) << message;
  EXPECT_NE(message.find("--tokens"), std::string::npos) << message;
}

TEST(RequestGuard, RouterDispatchScreensEveryRequest) {
  Router router;
  router.add({"POST", "/api/v1/datasets", Role::kViewer, BodyKind::kNone,
              [](Request&) { return Response::no_content(); }});
  router.set_guard(loopback_guard().as_router_guard());
  Request own = request("POST", {{"host", "localhost:8080"}, {"origin", "http://localhost:8080"}});
  own.role = Role::kAdmin;
  EXPECT_EQ(router.dispatch(own).status, 204);
  Request foreign =
      request("POST", {{"host", "localhost:8080"}, {"origin", "http://evil.example"}});
  foreign.role = Role::kAdmin;
  EXPECT_EQ(router.dispatch(foreign).status, 403);
  Request rebound = request("POST", {{"host", "evil.example:8080"}});
  rebound.role = Role::kAdmin;
  EXPECT_EQ(router.dispatch(rebound).status, 403);
}

}  // namespace
}  // namespace smartchurn::server
