// Hostile request bodies against the real `smartchurn serve` process: it must answer each with a
// 4xx naming the problem and keep serving, never crash.
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

#include "api_fixture.h"
#include "serve_process.h"

namespace smartchurn::server::test {
namespace {

std::string nested(const std::string& opener, int levels) {
  std::string body;
  body.reserve(opener.size() * static_cast<std::size_t>(levels));
  for (int i = 0; i < levels; ++i) body += opener;
  return body;
}

TEST(AttackBodies, DeepNestingUnderTheSizeCapIsRefusedAndTheServerStaysUp) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--demo-rows", "400"});
  ASSERT_GT(serve.port(), 0) << serve.err();
  ASSERT_TRUE(serve.wait_ready()) << serve.err();
  httplib::Client c = serve.client();
  // 200-600 KB bodies nested 100,000 deep: once a SIGSEGV in the recursive copy and dump.
  const std::string bodies[] = {nested("[", 200000), nested("{\"a\":", 100000),
                                "{\"customers\": " + nested("[", 100000)};
  for (const char* path :
       {"/api/v1/predict", "/api/v1/training-jobs", "/api/v1/what-if", "/api/v1/outcomes"}) {
    for (const std::string& body : bodies) {
      const auto reply = c.Post(path, body, "application/json");
      ASSERT_TRUE(reply) << path << ": no answer (" << httplib::to_string(reply.error()) << ")\n"
                         << serve.err();
      EXPECT_EQ(reply->status, 400) << path << " " << reply->body;
    }
  }
  const auto live = c.Get("/api/v1/health/live");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(serve.terminate(), 0) << serve.err();
}

}  // namespace
}  // namespace smartchurn::server::test
