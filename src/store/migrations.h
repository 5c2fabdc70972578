// The store's schema: an ordered list of migrations, migration N taking the database from
// PRAGMA user_version N-1 to N, each in its own transaction.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace smartchurn::store_detail {

// The schema version this build writes and understands.
int latest_schema_version();

int read_schema_version(SQLite::Database& db);

// Applies every migration above the database's version. Throws Error(kIncompatible) naming both
// versions when the database is newer than this build. Returns the resulting version.
int migrate(SQLite::Database& db);

// Stamps `version` into the database file at `db_path` (tests use it to fake a newer database).
void stamp_schema_version(const std::string& db_path, int version);

}  // namespace smartchurn::store_detail
