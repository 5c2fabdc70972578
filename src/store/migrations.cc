#include "store/migrations.h"

#include <array>
#include <string>

#include "smartchurn/error.h"

namespace smartchurn::store_detail {
namespace {

// v1: a table per record family of store.h. Cross references between datasets, jobs and models
// are plain integers on purpose: deleting a dataset must leave its jobs and models intact. Only
// scores belong to their model (cascade); the prediction log keeps history of deleted models.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  column_count INTEGER NOT NULL,
  profile TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE training_jobs (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress REAL NOT NULL,
  step TEXT NOT NULL,
  error TEXT NOT NULL,
  leaderboard TEXT NOT NULL,
  model_id INTEGER,
  created_at TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL
);
CREATE INDEX training_jobs_status ON training_jobs (status);

CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL UNIQUE,
  algorithm TEXT NOT NULL,
  parameters TEXT NOT NULL,
  metrics TEXT NOT NULL,
  input_schema TEXT NOT NULL,
  bundle_path TEXT NOT NULL,
  bundle_sha256 TEXT NOT NULL,
  dataset_id INTEGER,
  job_id INTEGER,
  created_at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
-- At most one active model, whatever the code above does.
CREATE UNIQUE INDEX models_single_active ON models (active) WHERE active = 1;

-- The highest model version ever issued, so a deleted model's version is never reused.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('model_version', 0);

CREATE TABLE scored_customers (
  customer_id TEXT NOT NULL,
  model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  probability REAL NOT NULL,
  tier TEXT NOT NULL,
  inputs TEXT NOT NULL,
  scored_at TEXT NOT NULL,
  PRIMARY KEY (customer_id, model_id)
) WITHOUT ROWID;
CREATE INDEX scored_customers_model_probability ON scored_customers (model_id, probability);

CREATE TABLE prediction_log (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  model_id INTEGER NOT NULL,
  model_version INTEGER NOT NULL,
  customer_id TEXT NOT NULL,
  probability REAL NOT NULL,
  tier TEXT NOT NULL,
  input_sha256 TEXT NOT NULL
);
CREATE INDEX prediction_log_time ON prediction_log (time);

CREATE TABLE outcomes (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  churned INTEGER NOT NULL CHECK (churned IN (0, 1)),
  date TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX outcomes_customer ON outcomes (customer_id);
)sql";

// v2: the top reasons behind each stored score (JSON [{column, value, contribution}]), so the
// customer list and the overview can show retention actions without explaining again.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE scored_customers ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
)sql";

// Append only: migration i (0-based) produces version i + 1. Never edit a shipped entry.
constexpr std::array<const char*, 2> kMigrations = {kSchemaV1, kSchemaV2};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int read_schema_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

int migrate(SQLite::Database& db) {
  int version = read_schema_version(db);
  const int latest = latest_schema_version();
  if (version > latest) {
    throw Error(ErrorCode::kIncompatible, "the database at " + db.getFilename() +
                                              " has schema version " + std::to_string(version) +
                                              " but this build knows up to version " +
                                              std::to_string(latest) + "; use a newer smartchurn");
  }
  if (version < 0) {
    throw Error(ErrorCode::kIncompatible, "the database at " + db.getFilename() +
                                              " has an invalid schema version " +
                                              std::to_string(version));
  }
  while (version < latest) {
    // IMMEDIATE: take the write lock up front so two processes cannot both migrate.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read under the lock: another process may have migrated meanwhile.
    version = read_schema_version(db);
    if (version >= latest) break;
    db.exec(kMigrations[static_cast<std::size_t>(version)]);
    ++version;
    db.exec("PRAGMA user_version = " + std::to_string(version));
    transaction.commit();
  }
  return read_schema_version(db);
}

void stamp_schema_version(const std::string& db_path, int version) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace smartchurn::store_detail
