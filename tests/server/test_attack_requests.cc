// Hostile requests against the real `smartchurn serve` process: cross-site writes, DNS rebinding,
// spreadsheet formulas in ids and very wide files are refused or neutralised, and change nothing.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "api_fixture.h"
#include "sanitizer_build.h"
#include "serve_process.h"

namespace smartchurn::server::test {
namespace {

constexpr const char* kFormulaIds[] = {
    "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "-1+1", "@SUM(1)", "\tTAB", "\rCR"};

// A customers file in the demo's columns, one row per id.
std::string customers_csv(const std::vector<std::string>& ids) {
  std::string csv =
      "customer_id,signup_month,gender,senior_citizen,partner,dependents,region,tenure_months,"
      "contract,payment_method,paperless_billing,internet_service,phone_service,streaming_tv,"
      "online_security,tech_support,monthly_charges,total_charges,support_calls_90d,"
      "late_payments_12m,data_usage_gb,satisfaction_score\n";
  for (const std::string& id : ids) {
    std::string quoted = "\"";
    for (char c : id) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    csv += quoted +
           "\",2025-03,Female,0,Yes,No,North,19,Month-to-month,Electronic check,Yes,Fiber optic,"
           "Yes,Yes,No,No,89.5,1700.5,3,1,120.0,2\n";
  }
  return csv;
}

// A file with `columns` columns and two rows (about 6 bytes a cell).
std::string wide_csv(std::size_t columns) {
  std::string csv;
  for (int line = 0; line < 3; ++line) {
    for (std::size_t c = 0; c < columns; ++c) {
      if (c > 0) csv += ',';
      csv += line == 0 ? "c" + std::to_string(c) : std::to_string(c % 97);
    }
    csv += '\n';
  }
  return csv;
}

httplib::MultipartFormDataItems file_form(const std::string& csv) {
  return {{"file", csv, "customers.csv", "text/csv"}};
}

std::string error_code(const httplib::Result& reply) {
  return nlohmann::json::parse(reply->body)["error"]["code"].get<std::string>();
}

nlohmann::json get_json(httplib::Client& c, const std::string& path) {
  const auto reply = c.Get(path);
  EXPECT_TRUE(reply && reply->status == 200) << path;
  return reply ? nlohmann::json::parse(reply->body) : nlohmann::json();
}

// A copy: a range-for over a member of a temporary would dangle.
nlohmann::json models_of(httplib::Client& c) { return get_json(c, "/api/v1/models")["models"]; }

int64_t active_model_id(httplib::Client& c) {
  for (const auto& model : models_of(c)) {
    if (model["active"] == true) return model["id"];
  }
  return 0;
}

// Peak resident memory of the process, from /proc (VmHWM, in kB).
std::size_t peak_rss_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) / 1024;
  }
  return 0;
}

class AttackRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    serve_ = std::make_unique<ServeProcess>(dir_.file("data"),
                                            std::vector<std::string>{"--demo-rows", "400"});
    ASSERT_GT(serve_->port(), 0) << serve_->err();
    ASSERT_TRUE(serve_->wait_ready()) << serve_->err();
    own_origin_ = "http://127.0.0.1:" + std::to_string(serve_->port());
  }
  void TearDown() override { EXPECT_EQ(serve_->terminate(), 0) << serve_->err(); }

  TempDir dir_;
  std::unique_ptr<ServeProcess> serve_;
  std::string own_origin_;
};

TEST_F(AttackRequests, CrossSiteUploadAndActivationAreRefusedAndChangeNothing) {
  httplib::Client c = serve_->client();
  // A second, inactive model to switch to: trained through the API from the server's own page
  // (a same-origin JSON write).
  const int64_t dataset = get_json(c, "/api/v1/datasets")["datasets"][0]["id"];
  const nlohmann::json job_request = {
      {"dataset_id", dataset}, {"target", "churn"}, {"models", {"lr"}}, {"folds", 2}};
  const auto started = c.Post("/api/v1/training-jobs", {{"Origin", own_origin_}},
                              job_request.dump(), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const std::string job = "/api/v1/training-jobs/" +
                          std::to_string(nlohmann::json::parse(started->body)["id"].get<int64_t>());
  for (int wait = 0; wait < 600 && get_json(c, job)["status"] != "succeeded"; ++wait) {
    ASSERT_NE(get_json(c, job)["status"], "failed") << get_json(c, job).dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const nlohmann::json datasets_before = get_json(c, "/api/v1/datasets");
  const int64_t active_before = active_model_id(c);
  int64_t other_model = 0;
  for (const auto& model : models_of(c)) {
    if (model["active"] != true) other_model = model["id"];
  }
  ASSERT_GT(other_model, 0) << get_json(c, "/api/v1/models").dump();

  const httplib::Headers evil = {{"Origin", "http://evil.example"}};
  const auto upload = c.Post("/api/v1/datasets", evil, file_form(customers_csv({"A1"})));
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 403) << upload->body;
  EXPECT_EQ(error_code(upload), "cross_site_request");
  // What fetch(..., {mode: "no-cors"}) sends: text/plain, no Origin check possible by CORS.
  const auto activate =
      c.Post("/api/v1/models/" + std::to_string(other_model) + "/activate", evil, "", "text/plain");
  ASSERT_TRUE(activate);
  EXPECT_EQ(activate->status, 403) << activate->body;
  const httplib::Headers cross_site = {{"Sec-Fetch-Site", "cross-site"}};
  const auto no_origin = c.Post("/api/v1/models/" + std::to_string(other_model) + "/activate",
                                cross_site, "", "text/plain");
  ASSERT_TRUE(no_origin);
  EXPECT_EQ(no_origin->status, 403) << no_origin->body;

  EXPECT_EQ(get_json(c, "/api/v1/datasets"), datasets_before);
  EXPECT_EQ(active_model_id(c), active_before);
  EXPECT_TRUE(c.Get("/api/v1/health/live"));
  // No CORS header tells a browser it may read an answer cross-site.
  for (const auto& [name, value] : upload->headers) {
    EXPECT_EQ(name.rfind("Access-Control-", 0), std::string::npos) << name;
  }
}

TEST_F(AttackRequests, ADnsRebindingHostIsRefusedEvenForReads) {
  httplib::Client c = serve_->client();
  const std::string port = std::to_string(serve_->port());
  const auto rebound = c.Get("/api/v1/customers", {{"Host", "evil.example:" + port}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403) << rebound->body;
  EXPECT_EQ(error_code(rebound), "host_not_allowed");
  EXPECT_EQ(c.Get("/", {{"Host", "evil.example:" + port}})->status, 403);  // dashboard files too
  const auto local = c.Get("/api/v1/customers", {{"Host", "localhost:" + port}});
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
}

TEST_F(AttackRequests, SameOriginAndCurlLikeWritesStillWork) {
  httplib::Client c = serve_->client();
  const std::size_t before = get_json(c, "/api/v1/datasets")["datasets"].size();
  const auto own = c.Post("/api/v1/datasets", {{"Origin", own_origin_}},
                          file_form(customers_csv({"A1", "A2", "A3"})));
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 201) << own->body;
  const auto curl = c.Post("/api/v1/datasets", file_form(customers_csv({"B1", "B2"})));
  ASSERT_TRUE(curl);
  EXPECT_EQ(curl->status, 201) << curl->body;
  EXPECT_EQ(get_json(c, "/api/v1/datasets")["datasets"].size(), before + 2);
}

TEST_F(AttackRequests, FormulaCellsFromPredictBatchComeOutNeutralised) {
  httplib::Client c = serve_->client();
  const std::vector<std::string> ids(std::begin(kFormulaIds), std::end(kFormulaIds));
  const std::string csv = customers_csv(ids);
  const auto scored = c.Post("/api/v1/predict/batch", csv, "text/csv");
  ASSERT_TRUE(scored);
  ASSERT_EQ(scored->status, 200) << scored->body;
  std::istringstream lines(scored->body);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("customer_id,churn_probability", 0), 0u) << line;
  const std::string& body = scored->body;
  EXPECT_NE(body.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), std::string::npos) << body;
  for (const char* cell : {"\n'+cmd,", "\n'-1+1,", "\n'@SUM(1),", "\n'\tTAB,", "\n\"'\rCR\","}) {
    EXPECT_NE(body.find(cell), std::string::npos) << cell << " in\n" << body;
  }
  const auto raw = c.Post("/api/v1/predict/batch?raw_csv=true", csv, "text/csv");
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->status, 200) << raw->body;
  for (const char* cell : {"\n+cmd,", "\n-1+1,", "\n@SUM(1),", "\n\tTAB,", "\n\"\rCR\","}) {
    EXPECT_NE(raw->body.find(cell), std::string::npos) << cell << " in\n" << raw->body;
  }
  EXPECT_EQ(raw->body.find("'"), std::string::npos) << raw->body;
}

TEST_F(AttackRequests, VeryWideUploadsGetA422QuicklyAndMemoryStaysModest) {
  httplib::Client c = serve_->client();
  for (std::size_t columns : {std::size_t{10'000}, std::size_t{100'000}}) {
    const auto reply = c.Post("/api/v1/datasets", file_form(wide_csv(columns)));
    ASSERT_TRUE(reply) << columns << " columns: no answer\n" << serve_->err();
    EXPECT_EQ(reply->status, 422) << columns << " columns: " << reply->body;
    const auto error = nlohmann::json::parse(reply->body)["error"];
    EXPECT_NE(error["message"].get<std::string>().find("at most 2000 columns"), std::string::npos)
        << reply->body;
    EXPECT_NE(error["message"].get<std::string>().find("line 1"), std::string::npos) << reply->body;
  }
  // Under the cap a wide file is read in blocks that follow its size.
  const auto under_cap = c.Post("/api/v1/datasets", file_form(wide_csv(1'900)));
  ASSERT_TRUE(under_cap);
  EXPECT_EQ(under_cap->status, 201) << under_cap->body.substr(0, 500);
  // Peak memory stays modest (AddressSanitizer's shadow memory adds to it).
  EXPECT_LT(peak_rss_mb(serve_->pid()), 400u * test_build::kSanitizerMemoryFactor);
  EXPECT_EQ(c.Get("/api/v1/health/live")->status, 200);
}

}  // namespace
}  // namespace smartchurn::server::test
