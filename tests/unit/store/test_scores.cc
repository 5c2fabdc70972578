#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "unit/error_code_of.h"
#include "unit/store/store_test_support.h"

namespace smartchurn {
namespace {

using test::code_of;
using test::score_of;
using test::StoreTest;

std::vector<std::string> ids_of(const std::vector<ScoredCustomer>& scores) {
  std::vector<std::string> ids;
  for (const auto& score : scores) ids.push_back(score.customer_id);
  return ids;
}

using Ids = std::vector<std::string>;

// Model a (active) scores six customers, model b one; ids chosen to exercise case and wildcards.
class CustomerQueryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = std::make_unique<Store>(dir_);
    a_ = store_->add_model(test::model_named("a"));
    b_ = store_->add_model(test::model_named("b"));
    store_->activate_model(a_);
    store_->upsert_scores({score_of("C-001", a_, 0.9, "high"), score_of("C-002", a_, 0.2, "low"),
                           score_of("C-003", a_, 0.55, "medium"), score_of("X_1", a_, 0.7, "high"),
                           score_of("X%2", a_, 0.1, "low"), score_of("c-010", a_, 0.9, "high"),
                           score_of("C-001", b_, 0.3, "low")});
  }

  Ids query(const CustomerQuery& q, int64_t* total) {
    return ids_of(store_->query_customers(q, total));
  }

  std::unique_ptr<Store> store_;
  int64_t a_ = 0, b_ = 0;
};

TEST_F(CustomerQueryTest, DefaultsToTheActiveModelByDescendingProbability) {
  int64_t total = -1;
  EXPECT_EQ(query({}, &total), (Ids{"C-001", "c-010", "X_1", "C-003", "C-002", "X%2"}));
  EXPECT_EQ(total, 6);
}

TEST_F(CustomerQueryTest, SortsByEveryWhitelistedKey) {
  CustomerQuery q;
  q.sort = "probability";
  EXPECT_EQ(query(q, nullptr), (Ids{"X%2", "C-002", "C-003", "X_1", "C-001", "c-010"}));
  q.sort = "customer_id";
  EXPECT_EQ(query(q, nullptr), (Ids{"C-001", "C-002", "C-003", "X%2", "X_1", "c-010"}));
  q.sort = "-customer_id";
  EXPECT_EQ(query(q, nullptr), (Ids{"c-010", "X_1", "X%2", "C-003", "C-002", "C-001"}));
}

TEST_F(CustomerQueryTest, UnknownSortIsAUsageErrorAndNeverReachesSql) {
  CustomerQuery q;
  q.sort = "probability; DROP TABLE scored_customers";
  EXPECT_EQ(code_of([&] { store_->query_customers(q, nullptr); }), ErrorCode::kUsage);
  q.sort = "tier";
  EXPECT_EQ(code_of([&] { store_->query_customers(q, nullptr); }), ErrorCode::kUsage);
  EXPECT_EQ(store_->all_scores(a_).size(), 6u);
}

TEST_F(CustomerQueryTest, FiltersByTier) {
  CustomerQuery q;
  q.tier = "high";
  int64_t total = 0;
  EXPECT_EQ(query(q, &total), (Ids{"C-001", "c-010", "X_1"}));
  EXPECT_EQ(total, 3);
  q.tier = "none";
  EXPECT_TRUE(query(q, &total).empty());
  EXPECT_EQ(total, 0);
}

TEST_F(CustomerQueryTest, SearchIsASubstringWithWildcardsTakenLiterally) {
  CustomerQuery q;
  int64_t total = 0;
  q.search = "_";
  EXPECT_EQ(query(q, &total), (Ids{"X_1"}));
  EXPECT_EQ(total, 1);
  q.search = "%";
  EXPECT_EQ(query(q, &total), (Ids{"X%2"}));
  q.search = "\\";
  EXPECT_TRUE(query(q, &total).empty());
  q.search = "c-0";  // ASCII case-insensitive
  q.sort = "customer_id";
  EXPECT_EQ(query(q, &total), (Ids{"C-001", "C-002", "C-003", "c-010"}));
  EXPECT_EQ(total, 4);
  q.search = "01";
  EXPECT_EQ(query(q, &total), (Ids{"C-001", "c-010"}));
}

TEST_F(CustomerQueryTest, TierAndSearchCombine) {
  CustomerQuery q;
  q.tier = "high";
  q.search = "c-";
  int64_t total = 0;
  EXPECT_EQ(query(q, &total), (Ids{"C-001", "c-010"}));
  EXPECT_EQ(total, 2);
}

TEST_F(CustomerQueryTest, PagesAndCountsBeforePaging) {
  CustomerQuery q;
  q.limit = 2;
  q.offset = 2;
  int64_t total = 0;
  EXPECT_EQ(query(q, &total), (Ids{"X_1", "C-003"}));
  EXPECT_EQ(total, 6);
  q.offset = 6;
  EXPECT_TRUE(query(q, &total).empty());
  EXPECT_EQ(total, 6);
  q.limit = 0;
  q.offset = 0;
  EXPECT_TRUE(query(q, &total).empty());
  q.limit = -1;
  EXPECT_EQ(code_of([&] { store_->query_customers(q, &total); }), ErrorCode::kUsage);
}

TEST_F(CustomerQueryTest, AnExplicitModelOverridesTheActiveOne) {
  CustomerQuery q;
  q.model_id = b_;
  int64_t total = 0;
  const auto scores = store_->query_customers(q, &total);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_EQ(scores[0].customer_id, "C-001");
  EXPECT_EQ(scores[0].model_id, b_);
  EXPECT_EQ(scores[0].probability, 0.3);
  EXPECT_EQ(total, 1);
}

TEST_F(StoreTest, NoActiveModelListsNothing) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("a"));
  store.upsert_scores({score_of("C1", model, 0.5, "medium")});
  int64_t total = -1;
  EXPECT_TRUE(store.query_customers(CustomerQuery{}, &total).empty());
  EXPECT_EQ(total, 0);
}

TEST_F(StoreTest, ScoreRoundTripsAndUpsertReplaces) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("a"));
  ScoredCustomer score = score_of("C1", model, 0.123456789012345678, "low", "2024-01-01T00:00:00Z");
  score.inputs = {{"tenure", 12}, {"Contract", "Month-to-month"}, {"TotalCharges", nullptr}};
  score.reasons = {{{"column", "Contract"}, {"value", "Month-to-month"}, {"contribution", 0.61}}};
  store.upsert_scores({score, score_of("C2", model, 0.5, "medium")});

  auto all = store.all_scores(model);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].customer_id, "C1");
  EXPECT_EQ(all[0].model_id, model);
  EXPECT_EQ(all[0].probability, 0.123456789012345678);
  EXPECT_EQ(all[0].tier, "low");
  EXPECT_EQ(all[0].inputs, score.inputs);
  EXPECT_EQ(all[0].scored_at, "2024-01-01T00:00:00Z");
  EXPECT_EQ(all[0].reasons, score.reasons);
  EXPECT_FALSE(all[1].scored_at.empty());
  EXPECT_EQ(all[1].reasons, nlohmann::json::array());

  ScoredCustomer rescored = score_of("C1", model, 0.875, "high", "2024-02-02T00:00:00Z");
  store.upsert_scores({rescored});
  all = store.all_scores(model);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].probability, 0.875);
  EXPECT_EQ(all[0].tier, "high");
  EXPECT_EQ(all[0].inputs, rescored.inputs);
  EXPECT_EQ(all[0].scored_at, "2024-02-02T00:00:00Z");
  EXPECT_EQ(all[0].reasons, nlohmann::json::array());  // replaced with the new score's
  EXPECT_TRUE(store.all_scores(model + 1).empty());
}

TEST_F(StoreTest, InvalidUtf8InInputsIsReplacedNotFatal) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("a"));
  ScoredCustomer score = score_of("C1", model, 0.5, "low");
  score.inputs = {{"city", "S\xe3o Paulo"}};
  store.upsert_scores({score});
  EXPECT_EQ(store.all_scores(model)[0].inputs["city"], "S\xef\xbf\xbdo Paulo");
}

TEST_F(StoreTest, ScoresForAnUnknownModelAreRefusedAsAWhole) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("a"));
  const ErrorCode code = code_of([&] {
    store.upsert_scores({score_of("C1", model, 0.5, "low"), score_of("C2", model + 7, 0.5, "low")});
  });
  EXPECT_EQ(code, ErrorCode::kInternal);
  EXPECT_TRUE(store.all_scores(model).empty());  // the batch rolled back
}

TEST_F(StoreTest, HistoryListsACustomerAcrossModelsNewestFirst) {
  Store store(dir_);
  const int64_t a = store.add_model(test::model_named("a"));
  const int64_t b = store.add_model(test::model_named("b"));
  const int64_t c = store.add_model(test::model_named("c"));
  store.upsert_scores({score_of("C1", b, 0.2, "low", "2024-03-01T00:00:00Z"),
                       score_of("C1", a, 0.4, "medium", "2024-01-01T00:00:00Z"),
                       score_of("C1", c, 0.6, "medium", "2024-03-01T00:00:00Z"),
                       score_of("C2", a, 0.9, "high", "2024-06-01T00:00:00Z")});
  const auto history = store.customer_history("C1");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].model_id, c);  // same time as b: the newer model first
  EXPECT_EQ(history[1].model_id, b);
  EXPECT_EQ(history[2].model_id, a);
  EXPECT_EQ(history[2].probability, 0.4);
  EXPECT_TRUE(store.customer_history("nobody").empty());
}

TEST_F(StoreTest, OneCallWritesOneHundredThousandScores) {
  Store store(dir_);
  const int64_t model = store.add_model(test::model_named("big"));
  store.activate_model(model);
  constexpr int kRows = 100000;
  std::vector<ScoredCustomer> scores;
  scores.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "cust-%06d", i);
    scores.push_back(score_of(id, model, i / double(kRows), i % 2 ? "high" : "low"));
  }
  store.upsert_scores(scores);

  int64_t total = 0;
  CustomerQuery top;
  top.limit = 2;
  const auto first = store.query_customers(top, &total);
  EXPECT_EQ(total, kRows);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].customer_id, "cust-099999");
  EXPECT_EQ(first[1].customer_id, "cust-099998");
  CustomerQuery high;
  high.tier = "high";
  store.query_customers(high, &total);
  EXPECT_EQ(total, kRows / 2);
  EXPECT_EQ(store.all_scores(model).size(), static_cast<size_t>(kRows));
}

}  // namespace
}  // namespace smartchurn
