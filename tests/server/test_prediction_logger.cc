// The background prediction-log writer: failed batches are not counted as written, and the log is
// kept within its retention.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_fixture.h"
#include "server/prediction_logger.h"
#include "smartchurn/store.h"

namespace smartchurn::server::test {
namespace {

std::vector<PredictionLogEntry> entries(int count, const std::string& prefix) {
  std::vector<PredictionLogEntry> out;
  for (int i = 0; i < count; ++i) {
    out.push_back({0, "", 1, 1, prefix + std::to_string(i), 0.5, "medium", "cafe"});
  }
  return out;
}

TEST(PredictionLogger, AFailedBatchIsCountedAsFailedNotWritten) {
  TempDir dir;
  Store store(dir.path());
  PredictionLogger logger(store, {0, 0});
  {
    // Another connection makes every insert fail, as a full disk would.
    SQLite::Database db(dir.file("smartchurn.db"), SQLite::OPEN_READWRITE);
    db.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON prediction_log "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  }
  logger.log(entries(3, "lost"));
  logger.flush();
  EXPECT_EQ(logger.written(), 0u);
  EXPECT_EQ(logger.failed(), 3u);
  EXPECT_EQ(store.prediction_count(), 0);
  {
    SQLite::Database db(dir.file("smartchurn.db"), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER refuse");
  }
  logger.log(entries(2, "kept"));
  logger.flush();
  EXPECT_EQ(logger.written(), 2u);
  EXPECT_EQ(logger.failed(), 3u);
  EXPECT_EQ(store.prediction_count(), 2);
}

TEST(PredictionLogger, KeepsTheNewestRowsWithinItsRetention) {
  TempDir dir;
  Store store(dir.path());
  const int64_t limit = 5;
  const int total = static_cast<int>(PredictionLogger::kPruneBatch) * 2 + 7;
  {
    PredictionLogger logger(store, {limit, 0});
    logger.log(entries(total, "c"));
    logger.flush();
    EXPECT_EQ(logger.written(), static_cast<std::size_t>(total));
  }
  EXPECT_EQ(store.prediction_count(), limit);
  const auto left = store.recent_predictions(10);
  ASSERT_EQ(left.size(), static_cast<std::size_t>(limit));
  EXPECT_EQ(left.front().customer_id, "c" + std::to_string(total - 1));
  EXPECT_EQ(left.back().customer_id, "c" + std::to_string(total - limit));
}

TEST(PredictionLogger, PrunesALogLeftOverItsRetentionAtStart) {
  TempDir dir;
  Store store(dir.path());
  store.log_predictions(entries(20, "old"));
  PredictionLogger logger(store, {8, 0});
  logger.log(entries(1, "new"));
  logger.flush();
  EXPECT_EQ(store.prediction_count(), 8);
}

}  // namespace
}  // namespace smartchurn::server::test
