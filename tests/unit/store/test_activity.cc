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
using test::StoreTest;

PredictionLogEntry entry_at(const std::string& time, const std::string& customer) {
  return PredictionLogEntry{0, time, 3, 2, customer, 0.75, "high", "cafe"};
}

TEST_F(StoreTest, PredictionLogRoundTripsNewestFirst) {
  Store store(dir_);
  store.log_predictions({entry_at("2024-01-02T00:00:00Z", "B"),
                         entry_at("2024-01-01T00:00:00Z", "A"),
                         entry_at("2024-01-03T00:00:00Z", "")});
  store.log_predictions({entry_at("2024-01-03T00:00:00Z", "D")});
  EXPECT_EQ(store.prediction_count(), 4);

  const auto recent = store.recent_predictions(10);
  ASSERT_EQ(recent.size(), 4u);
  EXPECT_EQ(recent[0].customer_id, "D");  // same time as the third: the later entry first
  EXPECT_EQ(recent[1].customer_id, "");
  EXPECT_EQ(recent[2].customer_id, "B");
  EXPECT_EQ(recent[3].customer_id, "A");
  EXPECT_GT(recent[0].id, recent[1].id);
  EXPECT_EQ(recent[3].time, "2024-01-01T00:00:00Z");
  EXPECT_EQ(recent[3].model_id, 3);
  EXPECT_EQ(recent[3].model_version, 2);
  EXPECT_EQ(recent[3].probability, 0.75);
  EXPECT_EQ(recent[3].tier, "high");
  EXPECT_EQ(recent[3].input_sha256, "cafe");

  EXPECT_EQ(store.recent_predictions(2).size(), 2u);
  EXPECT_EQ(code_of([&] { store.recent_predictions(-1); }), ErrorCode::kUsage);
}

TEST_F(StoreTest, PredictionLogFillsAMissingTime) {
  Store store(dir_);
  store.log_predictions({entry_at("", "A")});
  store.log_predictions({});
  EXPECT_EQ(store.prediction_count(), 1);
  EXPECT_EQ(store.recent_predictions(1)[0].time.size(), std::string("2024-01-01T00:00:00Z").size());
}

TEST_F(StoreTest, OutcomesRoundTripByDate) {
  Store store(dir_);
  store.add_outcomes({Outcome{"C1", true, "2024-05-01", "2024-05-02T00:00:00Z"},
                      Outcome{"C2", false, "2024-04-01", ""},
                      Outcome{"C1", false, "2024-03-01", "2024-03-02T00:00:00Z"}});
  EXPECT_EQ(store.outcome_count(), 3);
  const auto c1 = store.outcomes_for("C1");
  ASSERT_EQ(c1.size(), 2u);
  EXPECT_EQ(c1[0].customer_id, "C1");
  EXPECT_FALSE(c1[0].churned);
  EXPECT_EQ(c1[0].date, "2024-03-01");
  EXPECT_EQ(c1[0].recorded_at, "2024-03-02T00:00:00Z");
  EXPECT_TRUE(c1[1].churned);
  EXPECT_EQ(c1[1].date, "2024-05-01");
  const auto c2 = store.outcomes_for("C2");
  ASSERT_EQ(c2.size(), 1u);
  EXPECT_FALSE(c2[0].recorded_at.empty());
  EXPECT_TRUE(store.outcomes_for("C3").empty());
}

}  // namespace
}  // namespace smartchurn
