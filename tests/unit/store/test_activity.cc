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

TEST_F(StoreTest, PredictionCountIsKeptAcrossLogPruneAndReopen) {
  {
    Store store(dir_);
    std::vector<PredictionLogEntry> entries;
    for (int i = 0; i < 10; ++i) entries.push_back(entry_at("2024-01-01T00:00:00Z", "C"));
    store.log_predictions(entries);
    EXPECT_EQ(store.prediction_count(), 10);
    EXPECT_EQ(store.prune_predictions({4, 0}, 100), 6);
    EXPECT_EQ(store.prediction_count(), 4);
  }
  Store reopened(dir_);  // counted from the table once at open
  EXPECT_EQ(reopened.prediction_count(), 4);
}

TEST_F(StoreTest, PruneByRowsDeletesTheOldestInBatchesOfAtMostMaxDelete) {
  Store store(dir_);
  std::vector<PredictionLogEntry> entries;
  for (int i = 0; i < 7; ++i) {
    entries.push_back(entry_at("2024-01-01T00:00:00Z", "C" + std::to_string(i)));
  }
  store.log_predictions(entries);
  const PredictionRetention keep_three{3, 0};
  EXPECT_EQ(store.prune_predictions(keep_three, 2), 2);
  EXPECT_EQ(store.prune_predictions(keep_three, 2), 2);
  EXPECT_EQ(store.prune_predictions(keep_three, 2), 0);
  const auto left = store.recent_predictions(10);
  ASSERT_EQ(left.size(), 3u);
  EXPECT_EQ(left[0].customer_id, "C6");
  EXPECT_EQ(left[2].customer_id, "C4");
  EXPECT_EQ(store.prune_predictions({0, 0}, 100), 0);  // no limits: nothing goes
  EXPECT_EQ(store.prune_predictions(keep_three, 0), 0);
}

TEST_F(StoreTest, PruneByDaysDeletesEntriesOlderThanTheCutoff) {
  Store store(dir_);
  store.log_predictions({entry_at("2024-01-01T00:00:00Z", "old"),
                         entry_at("2024-03-30T23:59:59Z", "edge"),
                         entry_at("2024-04-10T00:00:00Z", "new")});
  // 10 days before 2024-04-09T12:00:00Z is 2024-03-30T12:00:00Z.
  EXPECT_EQ(store.prune_predictions({0, 10}, 100, "2024-04-09T12:00:00Z"), 1);
  EXPECT_EQ(store.prediction_count(), 2);
  const auto left = store.recent_predictions(10);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[1].customer_id, "edge");
  EXPECT_EQ(store.prune_predictions({0, 1}, 1, "2024-04-09T12:00:00Z"), 1);
  EXPECT_EQ(store.recent_predictions(10)[0].customer_id, "new");
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
