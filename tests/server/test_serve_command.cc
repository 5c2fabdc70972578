// `smartchurn serve` as a process: it starts, answers, and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "api_fixture.h"
#include "serve_process.h"

namespace smartchurn::server::test {
namespace {

TEST(ServeCommand, StartsAnswersAndStopsOnSigterm) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--no-demo"});
  ASSERT_GT(serve.port(), 0) << serve.out() << serve.err();
  httplib::Client c = serve.client();
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);
  EXPECT_EQ(c.Get("/api/v1/health/ready")->status, 503);  // --no-demo: no model yet
  EXPECT_EQ(serve.terminate(20), 0) << serve.err();
}

// `make run` gives no --static-dir: the binary serves the dashboard built next to it (build/web).
TEST(ServeCommand, ServesTheDashboardBuiltNextToTheBinary) {
#ifndef SMARTCHURN_WEB_BUILT
  GTEST_SKIP() << "the dashboard is not built (SMARTCHURN_WEB off or Node.js too old)";
#else
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--no-demo"});
  ASSERT_GT(serve.port(), 0) << serve.out() << serve.err();
  EXPECT_NE(serve.out().find("(dashboard at /"), std::string::npos) << serve.out();
  httplib::Client c = serve.client();
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<title>SmartChurn</title>"), std::string::npos);
  // The dashboard routes in the fragment (/#/customers): a path without a file is a plain 404.
  auto route = c.Get("/customers");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 404);
  EXPECT_EQ(route->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(c.Get("/assets/missing.js")->status, 404);
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);  // the API still answers under /api/v1
  EXPECT_EQ(serve.terminate(20), 0) << serve.err();
#endif
}

TEST(ServeCommand, RefusesANetworkAddressWithoutTokens) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--host", "0.0.0.0"}, 20);
  EXPECT_EQ(serve.port(), 0);
  EXPECT_EQ(serve.wait_exit(20), 2);
  EXPECT_NE(serve.err().find("refusing to listen on 0.0.0.0 without API tokens"), std::string::npos)
      << serve.err();
}

// The bind check parses the address: a name that merely starts with "127." is the network.
TEST(ServeCommand, RefusesANameThatOnlyLooksLikeLoopbackWithoutTokens) {
  TempDir dir;
  ServeProcess serve(dir.file("data"), {"--host", "127.0.0.1.example"}, 20);
  EXPECT_EQ(serve.port(), 0);
  EXPECT_EQ(serve.wait_exit(20), 2);
  EXPECT_NE(serve.err().find("refusing to listen on 127.0.0.1.example without API tokens"),
            std::string::npos)
      << serve.err();
}

TEST(ServeCommand, AllowedHostsAreAcceptedAndABadEntryIsAUsageError) {
  TempDir dir;
  {
    ServeProcess serve(dir.file("data"), {"--no-demo", "--allowed-hosts", "churn.example,b:1"});
    ASSERT_GT(serve.port(), 0) << serve.err();
    httplib::Client c = serve.client();
    const std::string port = std::to_string(serve.port());
    EXPECT_EQ(c.Get("/api/v1/health/live", {{"Host", "churn.example:" + port}})->status, 200);
    EXPECT_EQ(c.Get("/api/v1/health/live", {{"Host", "b:1"}})->status, 200);
    EXPECT_EQ(c.Get("/api/v1/health/live", {{"Host", "evil.example:" + port}})->status, 403);
    EXPECT_EQ(serve.terminate(20), 0) << serve.err();
  }
  ServeProcess bad(dir.file("data"), {"--no-demo", "--allowed-hosts", "bad host"}, 20);
  EXPECT_EQ(bad.wait_exit(20), 2);
  EXPECT_NE(bad.err().find("--allowed-hosts: 'bad host'"), std::string::npos) << bad.err();
}

// The connection limits are flags and config keys; the flag wins over the config file.
TEST(ServeCommand, HeaderLimitComesFromTheFlagOrTheConfigFile) {
  TempDir dir;
  const std::string config = dir.file("serve.json");
  std::ofstream(config) << R"({"max_header_kb": 1, "write_timeout_seconds": 5})";
  const httplib::Headers two_kib = {{"X-Padding", std::string(2048, 'a')}};
  {
    ServeProcess serve(dir.file("data"), {"--no-demo", "--config", config});
    ASSERT_GT(serve.port(), 0) << serve.err();
    httplib::Client c = serve.client();
    EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);
    auto refused = c.Get("/api/v1/health/live", two_kib);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 431);
    EXPECT_EQ(serve.terminate(20), 0) << serve.err();
  }
  {
    ServeProcess serve(dir.file("data"), {"--no-demo", "--config", config, "--max-header-kb", "4"});
    ASSERT_GT(serve.port(), 0) << serve.err();
    EXPECT_EQ(serve.client().Get("/api/v1/health/live", two_kib)->status, 200);
    EXPECT_EQ(serve.terminate(20), 0) << serve.err();
  }
  std::ofstream(config) << R"({"max_event_streams": 0})";
  ServeProcess bad(dir.file("data"), {"--no-demo", "--config", config}, 20);
  EXPECT_EQ(bad.wait_exit(20), 3);
  EXPECT_NE(bad.err().find("'max_event_streams' must be an integer from 1 to 10000"),
            std::string::npos)
      << bad.err();
}

// A table of `columns` columns and two rows, the first field of each `field_bytes` long.
std::string table(std::size_t columns, std::size_t field_bytes) {
  std::string csv;
  for (std::size_t c = 0; c < columns; ++c) csv += (c ? ",c" : "c") + std::to_string(c);
  for (int row = 0; row < 2; ++row) {
    csv += "\n" + std::string(field_bytes, 'x');
    for (std::size_t c = 1; c < columns; ++c) csv += "," + std::to_string(row);
  }
  return csv + "\n";
}

int upload_status(ServeProcess& serve, const std::string& csv, std::string* message = nullptr) {
  httplib::Client c = serve.client();
  const auto reply = c.Post("/api/v1/datasets", {{"file", csv, "t.csv", "text/csv"}});
  if (!reply) return 0;
  if (message && reply->status != 201) {
    *message = nlohmann::json::parse(reply->body)["error"]["message"].get<std::string>();
  }
  return reply->status;
}

TEST(ServeCommand, TableLimitsComeFromTheFlagOrTheConfigFile) {
  TempDir dir;
  const std::string config = dir.file("serve.json");
  std::ofstream(config) << R"({"max_columns": 5, "max_field_kb": 1})";
  {
    ServeProcess serve(dir.file("data"), {"--no-demo", "--config", config});
    ASSERT_GT(serve.port(), 0) << serve.err();
    std::string message;
    EXPECT_EQ(upload_status(serve, table(8, 4), &message), 422);
    EXPECT_NE(message.find("at most 5 columns"), std::string::npos) << message;
    EXPECT_EQ(upload_status(serve, table(5, 2048), &message), 422);
    EXPECT_NE(message.find("field longer than 1024 bytes"), std::string::npos) << message;
    EXPECT_EQ(upload_status(serve, table(5, 1000)), 201);
    EXPECT_EQ(serve.terminate(20), 0) << serve.err();
  }
  {  // flags win over the file
    ServeProcess serve(dir.file("data"), {"--no-demo", "--config", config, "--max-columns", "10",
                                          "--max-field-kb", "4"});
    ASSERT_GT(serve.port(), 0) << serve.err();
    EXPECT_EQ(upload_status(serve, table(8, 2048)), 201);
    EXPECT_EQ(serve.terminate(20), 0) << serve.err();
  }
  std::ofstream(config) << R"({"max_columns": 0})";
  ServeProcess bad(dir.file("data"), {"--no-demo", "--config", config}, 20);
  EXPECT_EQ(bad.wait_exit(20), 3);
  EXPECT_NE(bad.err().find("'max_columns' must be an integer from 1 to 1000000"), std::string::npos)
      << bad.err();
}

TEST(ServeCommand, ABadPlaybookStopsItNamingTheFileAndField) {
  TempDir dir;
  const std::string playbook = dir.file("playbook.json");
  std::ofstream(playbook)
      << R"({"format": 1, "actions": [{"id": "call", "title": "Call", "cost": 5}],
    "rules": [{"tiers": ["high"], "action": "visit"}]})";
  ServeProcess serve(dir.file("data"), {"--no-demo", "--playbook", playbook}, 20);
  EXPECT_EQ(serve.wait_exit(20), 3);
  EXPECT_NE(serve.err().find(playbook + ": rules[0].action: unknown action 'visit'"),
            std::string::npos)
      << serve.err();
}

}  // namespace
}  // namespace smartchurn::server::test
