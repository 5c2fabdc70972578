// A service with a seeded demo store in a temporary directory, and in-process calls to its routes.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "server/churn_service.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/routes.h"
#include "smartchurn/store.h"
#include "test_support/temp_dir.h"

namespace smartchurn::server::test {

using smartchurn::test::TempDir;

// One customer in the demo data set's columns, as a /predict body.
inline constexpr const char* kDemoCustomerJson =
    R"({"customer_id": "X1", "signup_month": "2025-03", "gender": "Female",
  "senior_citizen": "0", "partner": "Yes", "dependents": "No", "region": "North", "tenure_months": 19,
  "contract": "Month-to-month", "payment_method": "Electronic check", "paperless_billing": "Yes",
  "internet_service": "Fiber optic", "phone_service": "Yes", "streaming_tv": "Yes",
  "online_security": "No", "tech_support": "No", "monthly_charges": 89.5, "total_charges": 1700.5,
  "support_calls_90d": 3, "late_payments_12m": 1, "data_usage_gb": 120.0, "satisfaction_score": 2})";

struct Reply {
  int status = 0;
  nlohmann::json json;
  std::string body;
  std::string header(const std::string& name) const;
  std::vector<std::pair<std::string, std::string>> headers;
};

class ApiTest : public ::testing::Test {
 protected:
  // Seeds the demo store (smaller than the real demo, to keep tests quick).
  void SetUp() override;
  void TearDown() override;

  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& content_type = "application/json", Role role = Role::kAdmin);
  Reply call_json(const std::string& method, const std::string& path, const nlohmann::json& body,
                  Role role = Role::kAdmin) {
    return call(method, path, body.dump(), "application/json", role);
  }
  // Posts a file to an upload route as the HTTP layer would hand it over.
  Reply upload(const std::string& path, const std::string& file_path, Role role = Role::kAdmin);
  // Starts a training job and waits for it to end; returns the final job.
  nlohmann::json train(const nlohmann::json& request);
  // A customer record from the demo data (line `row` of the file), as JSON with its types.
  nlohmann::json demo_customer(std::size_t row = 1);
  std::string demo_csv() const { return dir_.file("demo.csv"); }

  // Every error body the test received: TearDown checks that none shows a server path or a JSON
  // library's text, and that each 400 names a code and a message.
  std::vector<std::pair<int, std::string>> error_bodies_;

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ChurnService> service_;
  Metrics metrics_;
  Router router_;
};

}  // namespace smartchurn::server::test
