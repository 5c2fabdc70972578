#include <gtest/gtest.h>

#include <string>

#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/migrations.h"
#include "unit/error_code_of.h"
#include "unit/store/store_test_support.h"

namespace smartchurn {
namespace {

using store_detail::latest_schema_version;
using test::StoreTest;

TEST(Migrations, FreshDatabaseGetsEveryTableAndTheLatestVersion) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  EXPECT_EQ(store_detail::read_schema_version(db), 0);
  EXPECT_EQ(store_detail::migrate(db), 2);
  EXPECT_EQ(latest_schema_version(), 2);
  for (const char* table : {"datasets", "training_jobs", "models", "counters", "scored_customers",
                            "prediction_log", "outcomes"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
  EXPECT_EQ(store_detail::migrate(db), 2);  // idempotent
}

TEST(Migrations, SecondActiveModelIsRejectedByTheSchemaItself) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  store_detail::migrate(db);
  const char* insert =
      "INSERT INTO models (name, version, algorithm, parameters, metrics, input_schema, "
      "bundle_path, bundle_sha256, created_at, active) VALUES ('m', %d, 'lr', 'null', 'null', "
      "'null', '', '', '', 1)";
  char sql[512];
  std::snprintf(sql, sizeof sql, insert, 1);
  db.exec(sql);
  std::snprintf(sql, sizeof sql, insert, 2);
  EXPECT_THROW(db.exec(sql), SQLite::Exception);
}

TEST_F(StoreTest, DatabaseFromANewerBuildIsRefusedNamingBothVersions) {
  { Store store(dir_); }
  store_detail::stamp_schema_version(db_path(), 7);
  try {
    Store store(dir_);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIncompatible);
    EXPECT_NE(e.message().find("schema version 7"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("up to version 2"), std::string::npos) << e.message();
  }
}

// A database of version 1 (before stored reasons) keeps its scores; they get no reasons.
TEST_F(StoreTest, AVersionOneDatabaseMigratesWithItsScores) {
  { Store store(dir_); }
  {
    // Back to version 1 by hand: the v1 scores table, a model and a score.
    SQLite::Database db(db_path(), SQLite::OPEN_READWRITE);
    db.exec("DROP TABLE scored_customers");
    db.exec(
        "CREATE TABLE scored_customers (customer_id TEXT NOT NULL, model_id INTEGER NOT NULL "
        "REFERENCES models (id) ON DELETE CASCADE, probability REAL NOT NULL, tier TEXT NOT "
        "NULL, inputs TEXT NOT NULL, scored_at TEXT NOT NULL, PRIMARY KEY (customer_id, "
        "model_id)) WITHOUT ROWID");
    db.exec(
        "INSERT INTO models (name, version, algorithm, parameters, metrics, input_schema, "
        "bundle_path, bundle_sha256, created_at, active) VALUES ('m', 1, 'gbm', 'null', "
        "'null', 'null', '', '', '', 1)");
    db.exec(
        "INSERT INTO scored_customers VALUES ('C1', 1, 0.7, 'high', '{\"tenure\": 2}', "
        "'2024-01-01T00:00:00Z')");
  }
  store_detail::stamp_schema_version(db_path(), 1);
  Store store(dir_);
  EXPECT_EQ(store.schema_version(), 2);
  auto scores = store.all_scores(1);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_EQ(scores[0].customer_id, "C1");
  EXPECT_EQ(scores[0].inputs["tenure"], 2);
  EXPECT_EQ(scores[0].reasons, nlohmann::json::array());
}

TEST_F(StoreTest, DatabaseAtTheCurrentVersionOpensWithoutMigrating) {
  int64_t id = 0;
  {
    Store store(dir_);
    id = store.add_model(test::model_named("m"));
  }
  store_detail::stamp_schema_version(db_path(), latest_schema_version());
  Store store(dir_);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(store.get_model(id)->name, "m");
}

}  // namespace
}  // namespace smartchurn
