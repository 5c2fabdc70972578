// The REST API in-process: every route, its answers and its errors.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "api_fixture.h"

namespace smartchurn::server::test {
namespace {

TEST_F(ApiTest, HealthAndReadiness) {
  EXPECT_EQ(call("GET", "/api/v1/health/live").status, 200);
  Reply ready = call("GET", "/api/v1/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json["model_version"], 1);
}

TEST_F(ApiTest, TheDemoSeedLeavesATrainedActiveModelAndScoredCustomers) {
  Reply models = call("GET", "/api/v1/models");
  ASSERT_EQ(models.json["models"].size(), 1u);
  EXPECT_TRUE(models.json["models"][0]["active"].get<bool>());
  Reply summary = call("GET", "/api/v1/dashboard/summary");
  ASSERT_EQ(summary.status, 200);
  const auto& s = summary.json;
  EXPECT_GT(s["customers_scored"].get<int>(), 1400);
  EXPECT_EQ(s["tiers"]["low"].get<int>() + s["tiers"]["medium"].get<int>() +
                s["tiers"]["high"].get<int>(),
            s["customers_scored"].get<int>());
  int in_histogram = 0;
  for (const auto& bin : s["histogram"]) in_histogram += bin["customers"].get<int>();
  EXPECT_EQ(in_histogram, s["customers_scored"].get<int>());
  EXPECT_EQ(s["revenue"]["column"], "monthly_charges");
  EXPECT_GT(s["revenue"]["expected_monthly_loss"].get<double>(), 0);
  EXPECT_EQ(s["segments"].size(), 3u);
  EXPECT_EQ(s["trend"]["by"], "signup_month");
  EXPECT_GT(s["trend"]["months"].size(), 12u);
  EXPECT_EQ(s["active_model"]["version"], 1);
}

TEST_F(ApiTest, DatasetsUploadListShowDelete) {
  Reply created = upload("/api/v1/datasets", demo_csv());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["rows"], 300);
  EXPECT_TRUE(created.json["profile"].contains("column_profiles") ||
              created.json["profile"].contains("columns"));
  std::string id = std::to_string(created.json["id"].get<int>());
  EXPECT_EQ(created.header("Location"), "/api/v1/datasets/" + id);
  EXPECT_EQ(call("GET", "/api/v1/datasets").json["datasets"].size(), 2u);  // demo + this one
  EXPECT_EQ(call("GET", "/api/v1/datasets/" + id).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/datasets/" + id).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/datasets/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/datasets/" + id).status, 404);
}

TEST_F(ApiTest, ABadUploadIsRefusedWithItsReasonAndNothingIsStored) {
  std::string bad = dir_.file("ragged.csv");
  std::ofstream(bad) << "a,b,churn\n1,2,Yes\n3,No\n";
  Reply r = upload("/api/v1/datasets", bad);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.json["error"]["message"].get<std::string>().find("line 3"), std::string::npos)
      << r.body;
  EXPECT_EQ(call("GET", "/api/v1/datasets").json["datasets"].size(), 1u);
}

TEST_F(ApiTest, TrainingRegistersANewModelWithItsLeaderboard) {
  Reply created = upload("/api/v1/datasets", demo_csv());
  auto job = train({{"dataset_id", created.json["id"]},
                    {"target", "churn"},
                    {"id_column", "customer_id"},
                    {"models", {"lr", "gbm"}},
                    {"folds", 3}});
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["progress"], 1.0);
  EXPECT_EQ(job["leaderboard"]["models"].size(), 2u);
  // Every model, not only the saved one, carries its cross-validated curves for the dashboard.
  for (const auto& m : job["leaderboard"]["models"]) {
    EXPECT_TRUE(m["out_of_fold"].contains("roc_curve")) << m["name"];
    EXPECT_EQ(m["out_of_fold"]["thresholds"].size(), 101u) << m["name"];
    EXPECT_NEAR(m["out_of_fold"]["metrics"]["roc_auc"].get<double>(),
                m["cv"]["roc_auc"]["mean"].get<double>(), 0.05);
  }
  int model_id = job["model_id"];
  Reply model = call("GET", "/api/v1/models/" + std::to_string(model_id));
  ASSERT_EQ(model.status, 200);
  EXPECT_EQ(model.json["version"], 2);
  EXPECT_FALSE(model.json["active"].get<bool>());  // the demo model stays active
  EXPECT_FALSE(model.json["feature_importance"].empty());
  EXPECT_TRUE(model.json["metrics"]["out_of_fold"].contains("roc_curve"));
}

TEST_F(ApiTest, TrainingRequestsAreValidatedField_by_field) {
  auto error_field = [&](const nlohmann::json& body) {
    Reply r = call_json("POST", "/api/v1/training-jobs", body);
    EXPECT_EQ(r.status / 100, 4) << r.body;
    return r.json["error"].value("field", "");
  };
  EXPECT_EQ(error_field({{"target", "churn"}}), "dataset_id");
  EXPECT_EQ(error_field({{"dataset_id", 1}}), "target");
  EXPECT_EQ(error_field({{"dataset_id", 1}, {"target", "churn"}, {"models", {"svm"}}}), "models");
  EXPECT_EQ(error_field({{"dataset_id", 1}, {"target", "churn"}, {"folds", 1}}), "folds");
  Reply missing =
      call_json("POST", "/api/v1/training-jobs", {{"dataset_id", 999}, {"target", "churn"}});
  EXPECT_EQ(missing.status, 404);
  Reply not_json = call("POST", "/api/v1/training-jobs", "dataset_id=1", "text/plain");
  EXPECT_EQ(not_json.status, 415);
  Reply broken = call("POST", "/api/v1/training-jobs", "{\"dataset_id\": ");
  EXPECT_EQ(broken.status, 400);
}

TEST_F(ApiTest, AFailingJobReportsItsErrorWithoutAServerPath) {
  // "Yes" read as missing passes the request's checks (made on the stored profile) but leaves
  // targets blank, which training refuses.
  Reply created = upload("/api/v1/datasets", demo_csv());
  ASSERT_EQ(created.status, 201) << created.body;
  auto job =
      train({{"dataset_id", created.json["id"]}, {"target", "churn"}, {"na_values", {"Yes"}}});
  EXPECT_EQ(job["status"], "failed");
  const std::string error = job["error"];
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
  EXPECT_EQ(error.find(dir_.path()), std::string::npos) << error;
  EXPECT_EQ(error.find(".csv"), std::string::npos) << error;
  EXPECT_EQ(call("DELETE", "/api/v1/training-jobs/" + std::to_string(job["id"].get<int>())).status,
            409);
  EXPECT_EQ(call("GET", "/api/v1/training-jobs/12345").status, 404);
}

TEST_F(ApiTest, PredictOneCustomerAndMany) {
  auto customer = demo_customer(1);
  Reply one = call_json("POST", "/api/v1/predict", customer);
  ASSERT_EQ(one.status, 200) << one.body;
  double p = one.json["churn_probability"];
  EXPECT_GE(p, 0.0);
  EXPECT_LE(p, 1.0);
  EXPECT_EQ(one.json["customer_id"], customer["customer_id"]);
  EXPECT_EQ(one.json["model_version"], 1);
  EXPECT_EQ(one.json["risk_tier"], p >= 0.6 ? "high" : p >= 0.3 ? "medium" : "low");

  Reply many = call_json("POST", "/api/v1/predict",
                         {{"customers", {customer, demo_customer(2), demo_customer(3)}}});
  ASSERT_EQ(many.status, 200) << many.body;
  ASSERT_EQ(many.json["predictions"].size(), 3u);
  EXPECT_DOUBLE_EQ(many.json["predictions"][0]["churn_probability"].get<double>(), p);
}

TEST_F(ApiTest, PredictNamesTheBadField) {
  auto customer = demo_customer(1);
  customer.erase("contract");
  Reply missing = call_json("POST", "/api/v1/predict", customer);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json["error"]["field"], "contract");

  customer = demo_customer(1);
  customer["tenure_months"] = "twelve";
  Reply wrong = call_json("POST", "/api/v1/predict", customer);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json["error"]["field"], "tenure_months");
  EXPECT_NE(wrong.json["error"]["message"].get<std::string>().find("must be a number"),
            std::string::npos);

  customer = demo_customer(1);
  customer["partner"] = "maybe";
  Reply boolean =
      call_json("POST", "/api/v1/predict", {{"customers", {demo_customer(2), customer}}});
  EXPECT_EQ(boolean.status, 400);
  EXPECT_EQ(boolean.json["error"]["field"], "customers[1].partner");

  EXPECT_EQ(call_json("POST", "/api/v1/predict", nlohmann::json::array()).status, 400);
  EXPECT_EQ(call_json("POST", "/api/v1/predict", {{"customers", "x"}}).status, 400);
  std::vector<nlohmann::json> too_many(1001, demo_customer(1));
  EXPECT_EQ(call_json("POST", "/api/v1/predict", {{"customers", too_many}}).status, 413);
}

TEST_F(ApiTest, DeeplyNestedBodiesAreRefusedBeforeTheyAreParsed) {
  // 100,000 levels once crashed the server (recursive copy and dump of the parsed value).
  for (const std::string& opener : {std::string("["), std::string("{\"a\":")}) {
    std::string body;
    for (int i = 0; i < 100000; ++i) body += opener;
    for (const char* path : {"/api/v1/predict", "/api/v1/training-jobs", "/api/v1/what-if"}) {
      Reply reply = call("POST", path, body);
      EXPECT_EQ(reply.status, 400) << path;
      EXPECT_EQ(reply.json["error"]["code"], "invalid_json");
      EXPECT_NE(reply.json["error"]["message"].get<std::string>().find("deeper than 64"),
                std::string::npos);
    }
  }
  Reply customers = call("POST", "/api/v1/predict",
                         R"({"customers": [{"tenure_months": )" + std::string(70, '[') + "}]}");
  EXPECT_EQ(customers.status, 400);
}

TEST_F(ApiTest, MalformedJsonIsDescribedWithoutLibraryText) {
  Reply reply = call("POST", "/api/v1/predict", R"({"tenure_months": 3,,})");
  EXPECT_EQ(reply.status, 400);
  const std::string message = reply.json["error"]["message"];
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
  EXPECT_NE(message.find("byte 21"), std::string::npos) << message;
}

TEST_F(ApiTest, UnseenCategoriesStillScore) {
  auto customer = demo_customer(1);
  customer["contract"] = "Three year";
  EXPECT_EQ(call_json("POST", "/api/v1/predict", customer).status, 200);
}

TEST_F(ApiTest, BatchScoringReturnsCsvOrJsonAndStoresTheRows) {
  Reply csv = upload("/api/v1/predict/batch", demo_csv());
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind("customer_id,churn_probability,risk_tier,recommended_action\n", 0), 0u);
  auto customer = demo_customer(5)["customer_id"].get<std::string>();
  Reply stored = call("GET", "/api/v1/customers/" + customer);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.json["inputs"]["contract"], demo_customer(5)["contract"]);
}

TEST_F(ApiTest, LargeOrAsyncBatchesRunAsAJob) {
  Reply queued = upload("/api/v1/predict/batch?async=true", demo_csv());
  ASSERT_EQ(queued.status, 202) << queued.body;
  std::string id = std::to_string(queued.json["id"].get<int>());
  EXPECT_EQ(queued.header("Location"), "/api/v1/predict/batch/" + id);
  nlohmann::json job;
  for (int i = 0; i < 200; ++i) {
    job = call("GET", "/api/v1/predict/batch/" + id).json;
    if (job["status"] == "succeeded" || job["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_EQ(job["rows"], 300);
  Reply result = call("GET", "/api/v1/predict/batch/" + id + "/result");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(std::count(result.body.begin(), result.body.end(), '\n'), 301);
  EXPECT_EQ(call("GET", "/api/v1/predict/batch/999").status, 404);
}

TEST_F(ApiTest, CustomersFilterSortAndPage) {
  Reply high = call("GET", "/api/v1/customers?tier=high&limit=5");
  ASSERT_EQ(high.status, 200) << high.body;
  EXPECT_LE(high.json["customers"].size(), 5u);
  double previous = 1.0;
  for (const auto& c : high.json["customers"]) {
    EXPECT_EQ(c["risk_tier"], "high");
    EXPECT_LE(c["churn_probability"].get<double>(), previous);
    previous = c["churn_probability"];
  }
  Reply ascending = call("GET", "/api/v1/customers?sort=customer_id&limit=3&offset=2");
  ASSERT_EQ(ascending.json["customers"].size(), 3u);
  EXPECT_LT(ascending.json["customers"][0]["customer_id"].get<std::string>(),
            ascending.json["customers"][1]["customer_id"].get<std::string>());
  EXPECT_EQ(call("GET", "/api/v1/customers?sort=name").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/customers?tier=extreme").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/customers?limit=0").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/customers/NOBODY").status, 404);
}

TEST_F(ApiTest, ActivationAndDeletionRules) {
  Reply created = upload("/api/v1/datasets", demo_csv());
  auto job = train({{"dataset_id", created.json["id"]},
                    {"target", "churn"},
                    {"id_column", "customer_id"},
                    {"models", {"lr"}},
                    {"folds", 2}});
  std::string second = std::to_string(job["model_id"].get<int>());
  EXPECT_EQ(call("DELETE", "/api/v1/models/1").status, 409);  // active
  Reply activated = call("POST", "/api/v1/models/" + second + "/activate");
  ASSERT_EQ(activated.status, 200) << activated.body;
  EXPECT_TRUE(activated.json["active"].get<bool>());
  EXPECT_EQ(call("GET", "/api/v1/health/ready").json["model_version"], 2);
  EXPECT_EQ(call_json("POST", "/api/v1/predict", demo_customer(1)).json["model_version"], 2);
  EXPECT_EQ(call("DELETE", "/api/v1/models/1").status, 204);  // rolled forward; old one deletable
  EXPECT_EQ(call("POST", "/api/v1/models/1/activate").status, 404);
}

TEST_F(ApiTest, OutcomesAreRecordedAndShownOnTheCustomer) {
  std::string id = demo_customer(1)["customer_id"];
  Reply batch = upload("/api/v1/predict/batch", demo_csv());
  ASSERT_EQ(batch.status, 200);
  Reply recorded =
      call_json("POST", "/api/v1/outcomes",
                {{"outcomes", {{{"customer_id", id}, {"churned", true}, {"date", "2026-11-01"}}}}});
  EXPECT_EQ(recorded.status, 201) << recorded.body;
  EXPECT_EQ(call("GET", "/api/v1/customers/" + id).json["outcomes"][0]["churned"], true);
  Reply bad = call_json("POST", "/api/v1/outcomes",
                        {{"outcomes", {{{"customer_id", id}, {"churned", "yes"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "outcomes[0].churned");
}

TEST_F(ApiTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(call("GET", "/api/v1/nothing").status, 404);
  Reply wrong = call("PUT", "/api/v1/models");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(wrong.header("Allow").find("GET"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v1/models/abc").status, 400);
}

TEST_F(ApiTest, RolesAreEnforced) {
  EXPECT_EQ(call_json("POST", "/api/v1/predict", demo_customer(1), Role::kViewer).status, 200);
  EXPECT_EQ(upload("/api/v1/datasets", demo_csv(), Role::kViewer).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/models/1/activate", "", "", Role::kAnalyst).status, 403);
  EXPECT_EQ(call("DELETE", "/api/v1/models/1", "", "", Role::kAnalyst).status, 403);
}

TEST_F(ApiTest, MetricsInPrometheusFormat) {
  Reply m = call("GET", "/api/v1/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("smartchurn_active_model_version 1"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("# TYPE smartchurn_training_jobs_running gauge"), std::string::npos);
}

// Every route the server answers is documented in docs/openapi.yaml, with its method.
TEST_F(ApiTest, EveryRouteIsInTheOpenApiSpec) {
  std::ifstream in(std::string(SMARTCHURN_SOURCE_DIR) + "/docs/openapi.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string spec = text.str();
  for (const auto& route : router_.routes()) {
    // /metrics is also at the root, where Prometheus looks: the spec gives that path two servers.
    const bool under_api = route.pattern.starts_with(kApiPrefix);
    std::string path =
        under_api ? route.pattern.substr(std::string(kApiPrefix).size()) : route.pattern;
    // "{id:text}" (a free-form parameter) is written "{id}" in the spec.
    for (auto at = path.find(":text}"); at != std::string::npos; at = path.find(":text}")) {
      path.erase(at, 5);
    }
    auto at = spec.find("\n  " + path + ":\n");
    ASSERT_NE(at, std::string::npos) << path << " is not in docs/openapi.yaml";
    auto next = spec.find("\n  /", at + 1);
    std::string block = spec.substr(at, next == std::string::npos ? std::string::npos : next - at);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(block.find("\n    " + method + ":"), std::string::npos)
        << route.method << " " << path << " is not in docs/openapi.yaml";
  }
}

}  // namespace
}  // namespace smartchurn::server::test
