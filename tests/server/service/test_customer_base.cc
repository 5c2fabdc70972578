#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "server/api_fixture.h"  // TempDir
#include "server/service/customer_base.h"
#include "server/service/service_test_data.h"
#include "smartchurn/trainer.h"

namespace smartchurn::server::test {
namespace {

constexpr std::size_t kCustomerBaseRows = 300;  // rows in the file; a few repeat a customer

// Every stored customer of the query's model, in the query's order.
std::vector<nlohmann::json> every_customer(const CustomerBase& customers, CustomerQuery query) {
  query.limit = 10000;
  return customers.customers(query)["customers"].get<std::vector<nlohmann::json>>();
}

// A customer base over a store with one trained, active model and its data set scored into it.
class CustomerBaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const DatasetRecord dataset =
        add_demo_dataset(store_, dir_.file("demo.csv"), kCustomerBaseRows);
    const TrainingRequest request = quick_training_request(dataset.id);
    ReadOptions read;
    read.id_columns = request.id_columns;
    read.na_tokens = request.na_values;
    TrainOptions options = train_options(request);
    options.threads = 1;
    options.global_view = false;  // not needed here: saves a fit
    const Dataset data = read_dataset(dataset.path, read);
    std::set<std::string> ids;
    const Column& id_column = data.column("customer_id");
    for (std::size_t r = 0; r < data.rows(); ++r) ids.insert(id_column.text_at(r));
    customer_count_ = ids.size();
    ASSERT_GT(customer_count_, kCustomerBaseRows / 2);
    const TrainResult result = train(data, options);
    const std::string bundle_path = registry_.bundle_path_for_job(1);
    save_bundle(result.bundle, bundle_path);
    TrainingJobRecord job;
    job.dataset_id = dataset.id;
    model_id_ = registry_.add(bundle_path, result.bundle, job, "demo");
    ASSERT_TRUE(registry_.activate(model_id_));
    model_ = registry_.active();
    customers_.score_dataset_into_store(*model_, dataset.path);
  }

  TempDir dir_;
  Store store_{dir_.file("data")};
  ModelRegistry registry_{store_, dir_.file("models")};
  CustomerBase customers_{store_, registry_, Playbook::telecom_default(), {}};
  std::size_t customer_count_ = 0;  // distinct ids in the file: each is stored once
  int64_t model_id_ = 0;
  std::shared_ptr<const LoadedModel> model_;
};

TEST_F(CustomerBaseTest, ScoringADataSetStoresEveryCustomerWithTheModelsTier) {
  const auto page = customers_.customers({});
  EXPECT_EQ(page["total"], customer_count_);
  EXPECT_EQ(page["limit"], 50);
  EXPECT_EQ(page["customers"].size(), 50u);
  const auto all = every_customer(customers_, {});
  ASSERT_EQ(all.size(), customer_count_);
  std::set<std::string> ids;
  for (const auto& c : all) {
    ids.insert(c["customer_id"].get<std::string>());
    EXPECT_EQ(c["model_id"], model_id_);
    EXPECT_EQ(c["risk_tier"], model_->bundle.tiers.tier(c["churn_probability"].get<double>()));
  }
  EXPECT_EQ(ids.size(), customer_count_);
}

TEST_F(CustomerBaseTest, CustomersAreFilteredByTierSortedAndPaged) {
  const auto all = every_customer(customers_, {});
  std::map<std::string, std::size_t> by_tier;
  for (const auto& c : all) ++by_tier[c["risk_tier"].get<std::string>()];
  ASSERT_GT(by_tier["high"], 0u);
  ASSERT_GT(by_tier["low"], 0u);

  CustomerQuery high;
  high.tier = "high";
  const auto high_risk = every_customer(customers_, high);
  EXPECT_EQ(high_risk.size(), by_tier["high"]);
  for (std::size_t i = 0; i < high_risk.size(); ++i) {
    EXPECT_EQ(high_risk[i]["risk_tier"], "high");
    // The default order: the riskiest first.
    if (i > 0) {
      EXPECT_GE(high_risk[i - 1]["churn_probability"], high_risk[i]["churn_probability"]);
    }
  }

  CustomerQuery by_id;
  by_id.sort = "customer_id";
  const auto sorted = every_customer(customers_, by_id);
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_LT(sorted[i - 1]["customer_id"].get<std::string>(),
              sorted[i]["customer_id"].get<std::string>());
  }
  CustomerQuery page = by_id;
  page.limit = 10;
  page.offset = 5;
  const auto paged = customers_.customers(page);
  EXPECT_EQ(paged["total"], customer_count_);  // counted before paging
  ASSERT_EQ(paged["customers"].size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(paged["customers"][i], sorted[5 + i]);

  CustomerQuery search;
  search.search = sorted[7]["customer_id"].get<std::string>();
  const auto found = every_customer(customers_, search);
  ASSERT_FALSE(found.empty());
  for (const auto& c : found) {
    EXPECT_NE(c["customer_id"].get<std::string>().find(search.search), std::string::npos);
  }
}

TEST_F(CustomerBaseTest, ACustomerShowsItsScoreReasonsAndTheOutcomesRecorded) {
  const auto listed = customers_.customers({})["customers"][0];
  const std::string id = listed["customer_id"];
  const auto before = customers_.customer(id);
  ASSERT_TRUE(before.is_object());
  EXPECT_EQ(before["churn_probability"], listed["churn_probability"]);
  EXPECT_EQ(before["risk_tier"], listed["risk_tier"]);
  EXPECT_EQ(before["history"].size(), 1u);
  EXPECT_TRUE(before["inputs"].contains("tenure_months"));
  // The active model scored it, so every input column is explained now.
  ASSERT_TRUE(before["reasons"].is_array());
  EXPECT_EQ(before["reasons"].size(), model_->bundle.required_columns().size());
  EXPECT_TRUE(before["base_value"].is_number());
  EXPECT_TRUE(before["outcomes"].empty());
  EXPECT_TRUE(customers_.customer("nobody-has-this-id").is_null());

  std::vector<Outcome> outcomes(2);
  outcomes[0].customer_id = id;
  outcomes[0].churned = true;  // no date: today
  outcomes[1].customer_id = id;
  outcomes[1].date = "2020-01-15";
  EXPECT_EQ(customers_.add_outcomes(outcomes), 2u);
  EXPECT_EQ(store_.outcome_count(), 2);
  const auto after = customers_.customer(id)["outcomes"];
  ASSERT_EQ(after.size(), 2u);
  const auto today = after[1]["recorded_at"].get<std::string>().substr(0, 10);
  EXPECT_EQ(after[0]["date"], "2020-01-15");  // by date
  EXPECT_EQ(after[0]["churned"], false);
  EXPECT_EQ(after[1]["date"], today);
  EXPECT_EQ(after[1]["churned"], true);
  EXPECT_FALSE(after[0]["recorded_at"].get<std::string>().empty());
}

// Stored inputs that the model that scored them cannot read are a bug: the error reaches the
// caller (a logged 500 at the edge), it is not swallowed into a customer without reasons.
TEST_F(CustomerBaseTest, AFailureToExplainACustomerIsReportedNotHidden) {
  ScoredCustomer broken;
  broken.customer_id = "broken-inputs";
  broken.model_id = model_id_;
  broken.probability = 0.5;
  broken.tier = "medium";
  broken.inputs = {{"tenure_months", nlohmann::json::array({1, 2})}};
  broken.scored_at = "2026-01-01T00:00:00Z";
  store_.upsert_scores({broken});
  EXPECT_ANY_THROW(customers_.customer("broken-inputs"));
}

TEST_F(CustomerBaseTest, StoredReasonsAreKeptOnlyWhereThePlaybookLooksAtThem) {
  std::set<std::string> tiers_with_reason_rules;
  for (const auto& rule : Playbook::telecom_default().rules()) {
    if (!rule.columns.empty()) tiers_with_reason_rules.insert(rule.tiers.begin(), rule.tiers.end());
  }
  ASSERT_FALSE(tiers_with_reason_rules.empty());
  std::size_t explained = 0;
  for (const auto& score : store_.all_scores(model_id_)) {
    ASSERT_TRUE(score.reasons.is_array());
    EXPECT_LE(score.reasons.size(), 5u);
    if (tiers_with_reason_rules.count(score.tier)) {
      EXPECT_FALSE(score.reasons.empty()) << score.customer_id;
      explained += !score.reasons.empty();
    } else {
      EXPECT_TRUE(score.reasons.empty()) << score.customer_id;
    }
    EXPECT_TRUE(score.inputs.contains("monthly_charges"));
  }
  EXPECT_GT(explained, 0u);
}

TEST_F(CustomerBaseTest, TheSummaryAgreesWithTheStoredScores) {
  const auto scores = store_.all_scores(model_id_);
  ASSERT_EQ(scores.size(), customer_count_);
  std::size_t high = 0;
  double probability_sum = 0, revenue = 0;
  for (const auto& s : scores) {
    high += s.tier == "high";
    probability_sum += s.probability;
    if (s.inputs["monthly_charges"].is_number())
      revenue += s.inputs["monthly_charges"].get<double>();
  }

  const auto summary = customers_.dashboard_summary();
  EXPECT_EQ(summary["customers_scored"], customer_count_);
  EXPECT_EQ(summary["high_risk_customers"], high);
  EXPECT_EQ(summary["tiers"]["high"], high);
  EXPECT_EQ(summary["tiers"]["low"].get<std::size_t>() +
                summary["tiers"]["medium"].get<std::size_t>() +
                summary["tiers"]["high"].get<std::size_t>(),
            customer_count_);
  EXPECT_NEAR(summary["predicted_churn_rate"].get<double>(),
              probability_sum / double(customer_count_), 1e-9);
  std::size_t in_histogram = 0;
  for (const auto& bin : summary["histogram"]) in_histogram += bin["customers"].get<std::size_t>();
  EXPECT_EQ(in_histogram, customer_count_);
  // The demo's monthly_charges column is found as the revenue column.
  EXPECT_EQ(summary["revenue"]["column"], "monthly_charges");
  EXPECT_NEAR(summary["revenue"]["monthly_total"].get<double>(), revenue, 1e-6 * revenue);
  std::size_t with_action = 0;
  for (const auto& action : summary["actions"]["by_action"]) {
    with_action += action["customers"].get<std::size_t>();
  }
  EXPECT_EQ(with_action + summary["actions"]["customers_without_action"].get<std::size_t>(),
            customer_count_);
  std::size_t in_trend = 0;
  for (const auto& month : summary["trend"]["months"])
    in_trend += month["customers"].get<std::size_t>();
  EXPECT_EQ(in_trend, customer_count_);
  EXPECT_EQ(summary["active_model"]["id"], model_id_);
}

TEST(CustomerBase, WithoutAnActiveModelTheSummaryIsEmpty) {
  TempDir dir;
  Store store(dir.file("data"));
  ModelRegistry registry(store, dir.file("models"));
  const CustomerBase customers(store, registry, Playbook::telecom_default(), {});
  const auto summary = customers.dashboard_summary();
  EXPECT_EQ(summary["customers_scored"], 0);
  EXPECT_TRUE(summary["active_model"].is_null());
  EXPECT_EQ(customers.customers({})["total"], 0);
}

}  // namespace
}  // namespace smartchurn::server::test
