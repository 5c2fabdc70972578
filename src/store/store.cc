// The Store's connection, its error translation, and the dataset records.
#include "smartchurn/store.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "store/migrations.h"
#include "store/store_impl.h"

namespace smartchurn {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr const char* kDatabaseFile = "smartchurn.db";

bool is_io_failure(int code) {
  switch (code & 0xff) {  // the primary code of an extended one
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_NOTADB:
      return true;
    default:
      return false;
  }
}

SQLite::Database open_database(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
  // journal_mode answers with a row; WAL lets readers in other processes run beside a writer.
  db.execAndGet("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  return db;
}

DatasetRecord read_dataset(SQLite::Statement& row, bool with_profile) {
  DatasetRecord record;
  record.id = row.getColumn(0).getInt64();
  record.name = row.getColumn(1).getString();
  record.path = row.getColumn(2).getString();
  record.sha256 = row.getColumn(3).getString();
  record.rows = row.getColumn(4).getInt64();
  record.columns = row.getColumn(5).getInt64();
  record.created_at = row.getColumn(6).getString();
  if (with_profile) record.profile = store_detail::parse_json(row.getColumn(7).getString());
  return record;
}

constexpr const char* kDatasetColumns =
    "id, name, path, sha256, row_count, column_count, created_at";

}  // namespace

void throw_sql_error(const std::string& what, const SQLite::Exception& e) {
  const int code = e.getExtendedErrorCode() != -1 ? e.getExtendedErrorCode() : e.getErrorCode();
  throw Error(is_io_failure(code) ? ErrorCode::kIo : ErrorCode::kInternal, what + ": " + e.what());
}

namespace store_detail {

// Invalid UTF-8 (e.g. a Latin-1 CSV cell) becomes U+FFFD instead of failing the whole write.
std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse_json(const std::string& text) { return nlohmann::json::parse(text); }

std::string or_now(const std::string& text) { return text.empty() ? timestamp_utc() : text; }

}  // namespace store_detail

const char* to_string(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued:
      return "queued";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kSucceeded:
      return "succeeded";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
  }
  return "failed";
}

JobStatus job_status_from_string(const std::string& text) {
  for (JobStatus status : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded,
                           JobStatus::kFailed, JobStatus::kCancelled}) {
    if (text == to_string(status)) return status;
  }
  throw_usage("unknown job status '" + text +
              "'; expected queued, running, succeeded, failed or cancelled");
}

Store::Store(const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec || !std::filesystem::is_directory(directory)) {
    throw_io("cannot create the store directory " + directory +
             (ec ? ": " + ec.message() : std::string(": not a directory")));
  }
  const std::string path = (std::filesystem::path(directory) / kDatabaseFile).string();
  try {
    SQLite::Database db = open_database(path);
    const int version = store_detail::migrate(db);
    impl_ = std::make_unique<Impl>(directory, std::move(db), version);
    impl_->prediction_rows = impl_->db.execAndGet("SELECT COUNT(*) FROM prediction_log").getInt64();
  } catch (const SQLite::Exception& e) {
    throw_sql_error("cannot open the store database " + path, e);
  }
}

Store::~Store() = default;

int Store::schema_version() const { return impl_->schema_version; }

const std::string& Store::directory() const { return impl_->directory; }

int64_t Store::add_dataset(const DatasetRecord& record) {
  return impl_->locked("add_dataset", [&] {
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO datasets (name, path, sha256, row_count, column_count, "
                             "profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, record.name);
    insert.bind(2, record.path);
    insert.bind(3, record.sha256);
    insert.bind(4, record.rows);
    insert.bind(5, record.columns);
    insert.bind(6, store_detail::json_text(record.profile));
    insert.bind(7, store_detail::or_now(record.created_at));
    insert.exec();
    return impl_->db.getLastInsertRowid();
  });
}

std::vector<DatasetRecord> Store::list_datasets() const {
  return impl_->locked("list_datasets", [&] {
    SQLite::Statement select(
        impl_->db, std::string("SELECT ") + kDatasetColumns + " FROM datasets ORDER BY id DESC");
    std::vector<DatasetRecord> out;
    while (select.executeStep()) out.push_back(read_dataset(select, false));
    return out;
  });
}

std::optional<DatasetRecord> Store::get_dataset(int64_t id) const {
  return impl_->locked("get_dataset", [&]() -> std::optional<DatasetRecord> {
    SQLite::Statement select(impl_->db, std::string("SELECT ") + kDatasetColumns +
                                            ", profile FROM datasets WHERE id = ?");
    select.bind(1, id);
    if (!select.executeStep()) return std::nullopt;
    return read_dataset(select, true);
  });
}

bool Store::delete_dataset(int64_t id) {
  return impl_->locked("delete_dataset", [&] {
    SQLite::Statement remove(impl_->db, "DELETE FROM datasets WHERE id = ?");
    remove.bind(1, id);
    return remove.exec() > 0;
  });
}

}  // namespace smartchurn
