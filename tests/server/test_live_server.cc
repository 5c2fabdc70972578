// The server over a real socket: restart keeps everything, activation under load loses no request,
// tokens and roles, live training progress.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_fixture.h"
#include "server/http_server.h"
#include "smartchurn/demo.h"

namespace smartchurn::server::test {
namespace {

// A store, service and HTTP server on a free port, in one data directory.
class LiveServer {
 public:
  explicit LiveServer(const std::string& data_dir, Tokens tokens = Tokens::allow_all())
      : tokens_(std::move(tokens)) {
    store_ = std::make_unique<Store>(data_dir);
    ServiceOptions options;
    options.data_dir = data_dir;
    options.demo_rows = 1000;
    service_ = std::make_unique<ChurnService>(*store_, options);
    service_->start(true);
    add_api_routes(router_, *service_, metrics_);
    ServerOptions server_options;
    server_options.port = 0;
    server_options.upload_dir = data_dir + "/uploads";
    std::filesystem::create_directories(server_options.upload_dir);
    http_ = std::make_unique<HttpServer>(router_, tokens_, metrics_, server_options);
    http_->bind();
    thread_ = std::thread([this] { http_->serve(); });
  }
  ~LiveServer() {
    http_->stop();
    thread_.join();
  }
  int port() const { return http_->port(); }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port());
    c.set_read_timeout(60, 0);
    return c;
  }
  ChurnService& service() { return *service_; }

 private:
  Tokens tokens_;  // HttpServer keeps a reference
  std::unique_ptr<Store> store_;
  std::unique_ptr<ChurnService> service_;
  Metrics metrics_;
  Router router_;
  std::unique_ptr<HttpServer> http_;
  std::thread thread_;
};

nlohmann::json post_json(httplib::Client& c, const std::string& path, const std::string& body,
                         int expected = 200) {
  auto r = c.Post(path, body, "application/json");
  EXPECT_TRUE(r);
  if (!r) return nullptr;
  EXPECT_EQ(r->status, expected) << r->body;
  return r->body.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(r->body);
}

TEST(LiveServer, RestartKeepsTheActiveModelAndGivesIdenticalPredictions) {
  TempDir dir;
  nlohmann::json before, models_before;
  {
    LiveServer server(dir.file("data"));
    auto c = server.client();
    before = post_json(c, "/api/v1/predict", kDemoCustomerJson);
    models_before = nlohmann::json::parse(c.Get("/api/v1/models")->body);
  }
  LiveServer again(dir.file("data"));
  auto c = again.client();
  auto after = post_json(c, "/api/v1/predict", kDemoCustomerJson);
  EXPECT_EQ(after, before);
  EXPECT_EQ(nlohmann::json::parse(c.Get("/api/v1/models")->body), models_before);
  auto customers = nlohmann::json::parse(c.Get("/api/v1/customers?limit=1")->body);
  EXPECT_GT(customers["total"].get<int>(), 900);
}

TEST(LiveServer, ActivationUnderConcurrentPredictionsLosesNoRequest) {
  TempDir dir;
  LiveServer server(dir.file("data"));
  auto c = server.client();
  // A second model to switch to and from.
  auto job = post_json(c, "/api/v1/training-jobs",
                       R"({"dataset_id": 1, "target": "churn", "id_column": "customer_id",
                           "models": ["lr"], "folds": 2})",
                       202);
  server.service().follow_job(job["id"], [](const JobEvent&) { return true; });
  auto finished = nlohmann::json::parse(c.Get("/api/v1/training-jobs/" + job["id"].dump())->body);
  ASSERT_EQ(finished["status"], "succeeded") << finished.dump();
  std::string second = finished["model_id"].dump();

  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto client = server.client();
      while (!done) {
        auto r = client.Post("/api/v1/predict", kDemoCustomerJson, "application/json");
        (r && r->status == 200 ? ok : failed)++;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    auto r = c.Post("/api/v1/models/" + std::string(i % 2 ? "1" : second) + "/activate");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
  }
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 20);
}

TEST(LiveServer, TokensAndRoles) {
  TempDir dir;
  std::string tokens_file = dir.file("tokens");
  std::ofstream(tokens_file)
      << "# token role name\nview-token viewer dashboard\nadmin-token admin ops\n";
  LiveServer server(dir.file("data"), Tokens::load(tokens_file));
  auto c = server.client();
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);  // health needs no token
  EXPECT_EQ(c.Get("/api/v1/models")->status, 401);
  httplib::Headers viewer{{"Authorization", "Bearer view-token"}};
  httplib::Headers admin{{"Authorization", "Bearer admin-token"}};
  EXPECT_EQ(c.Get("/api/v1/models", viewer)->status, 200);
  EXPECT_EQ(c.Post("/api/v1/predict", viewer, kDemoCustomerJson, "application/json")->status, 200);
  EXPECT_EQ(c.Post("/api/v1/models/1/activate", viewer, "", "application/json")->status, 403);
  EXPECT_EQ(c.Post("/api/v1/models/1/activate", admin, "", "application/json")->status, 200);
  EXPECT_EQ(c.Get("/api/v1/models", httplib::Headers{{"Authorization", "Bearer nope"}})->status,
            401);
}

TEST(LiveServer, TrainingProgressArrivesAsServerSentEvents) {
  TempDir dir;
  LiveServer server(dir.file("data"));
  auto c = server.client();
  auto job = post_json(
      c, "/api/v1/training-jobs",
      R"({"dataset_id": 1, "target": "churn", "models": ["lr", "gbm"], "folds": 3})", 202);
  std::string stream;
  auto r = c.Get("/api/v1/training-jobs/" + job["id"].dump() + "/events",
                 [&](const char* data, size_t length) {
                   stream.append(data, length);
                   return true;
                 });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(stream.find("event: progress"), std::string::npos) << stream.substr(0, 500);
  auto done = stream.find("event: done");
  ASSERT_NE(done, std::string::npos) << stream.substr(0, 500);
  EXPECT_NE(stream.find("\"status\":\"succeeded\"", done), std::string::npos);
}

TEST(LiveServer, UploadOverHttpThenBatchScoreAsCsv) {
  TempDir dir;
  LiveServer server(dir.file("data"));
  auto c = server.client();
  std::string csv =
      "customer_id,signup_month,gender,senior_citizen,partner,dependents,region,"
      "tenure_months,contract,payment_method,paperless_billing,internet_service,"
      "phone_service,streaming_tv,online_security,tech_support,monthly_charges,"
      "total_charges,support_calls_90d,late_payments_12m,data_usage_gb,"
      "satisfaction_score\n"
      "Z1,2025-03,Female,0,Yes,No,North,19,Month-to-month,Electronic check,Yes,"
      "Fiber optic,Yes,Yes,No,No,89.5,1700.5,3,1,120,2\n";
  auto r = c.Post("/api/v1/predict/batch", csv, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body.rfind("customer_id,churn_probability,risk_tier,recommended_action\nZ1,", 0), 0u)
      << r->body;
  EXPECT_EQ(c.Get("/api/v1/customers/Z1")->status, 200);
}

TEST(LiveServer, BatchJobStreamsTheScoredFileAndCountsRejects) {
  TempDir dir;
  LiveServer server(dir.file("data"));
  auto c = server.client();
  std::ostringstream demo;
  write_demo_data(demo, {20000, 5});
  std::string csv = demo.str();
  csv += "BAD1,2025-01\n";  // ragged: rejected, the rest scored
  auto queued = c.Post("/api/v1/predict/batch?async=true", csv, "text/csv");
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->status, 202) << queued->body;
  const std::string job = "/api/v1/predict/batch/" +
                          std::to_string(nlohmann::json::parse(queued->body)["id"].get<int>());
  nlohmann::json status;
  for (int i = 0; i < 600; ++i) {
    status = nlohmann::json::parse(c.Get(job)->body);
    if (status["status"] != "queued" && status["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status["status"], "succeeded") << status.dump();
  EXPECT_EQ(status["rows"], 20000);
  EXPECT_EQ(status["rejected_rows"], 1);
  auto result = c.Get(job + "/result");  // sent from the file, piece by piece
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(std::count(result->body.begin(), result->body.end(), '\n'), 20001);
  EXPECT_EQ(result->body.rfind("customer_id,churn_probability,risk_tier,recommended_action\n", 0),
            0u);
}

}  // namespace
}  // namespace smartchurn::server::test
