// Internals shared by the Store's source files: the connection, its lock, and the helpers that turn
// SQLite failures into smartchurn::Error and JSON / optional fields into column values.
//
// Concurrency: one connection guarded by one std::mutex. Every public method holds the lock for
// its whole body, so a batched write (one transaction) briefly blocks readers; with SQLite doing
// ~500k rows/s inside a transaction that is simpler and safer than a pool of reader connections.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "smartchurn/error.h"
#include "smartchurn/store.h"

namespace smartchurn {

// Translates a SQLite failure into an Error: kIo for disk-full / read-only / cannot-open / I/O
// errors, kInternal otherwise, with SQLite's own message after `what`.
[[noreturn]] void throw_sql_error(const std::string& what, const SQLite::Exception& e);

struct Store::Impl {
  Impl(std::string dir, SQLite::Database database, int version)
      : directory(std::move(dir)), db(std::move(database)), schema_version(version) {}

  std::string directory;
  mutable std::mutex mutex;
  mutable SQLite::Database db;
  int schema_version = 0;
  // Rows in prediction_log: counted once at open, then kept by log_predictions and
  // prune_predictions (under the lock), so /metrics never counts the table.
  std::atomic<int64_t> prediction_rows{0};

  // Runs `body` under the lock; SQLite and JSON failures leave as smartchurn::Error. `what` names
  // the operation for the message, e.g. "add_model".
  template <typename Body>
  auto locked(const char* what, Body&& body) const -> decltype(body()) {
    std::lock_guard<std::mutex> lock(mutex);
    try {
      return body();
    } catch (const SQLite::Exception& e) {
      throw_sql_error(std::string("store: ") + what, e);
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kInternal,
                  std::string("store: ") + what + ": bad JSON field: " + e.what());
    }
  }
};

namespace store_detail {

std::string json_text(const nlohmann::json& value);
nlohmann::json parse_json(const std::string& text);
// `text` when set, else the current time: records may carry their own timestamps.
std::string or_now(const std::string& text);

inline void bind_optional(SQLite::Statement& statement, int index,
                          const std::optional<int64_t>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);  // NULL
  }
}

inline std::optional<int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

}  // namespace store_detail
}  // namespace smartchurn
