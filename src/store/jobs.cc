// Training job records.
#include <string>

#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/store_impl.h"

namespace smartchurn {
namespace {

constexpr const char* kJobColumns =
    "id, dataset_id, request, status, progress, step, error, leaderboard, model_id, created_at, "
    "started_at, finished_at";

TrainingJobRecord read_job(SQLite::Statement& row) {
  TrainingJobRecord record;
  record.id = row.getColumn(0).getInt64();
  record.dataset_id = row.getColumn(1).getInt64();
  record.request = store_detail::parse_json(row.getColumn(2).getString());
  record.status = job_status_from_string(row.getColumn(3).getString());
  record.progress = row.getColumn(4).getDouble();
  record.step = row.getColumn(5).getString();
  record.error = row.getColumn(6).getString();
  record.leaderboard = store_detail::parse_json(row.getColumn(7).getString());
  record.model_id = store_detail::optional_int(row.getColumn(8));
  record.created_at = row.getColumn(9).getString();
  record.started_at = row.getColumn(10).getString();
  record.finished_at = row.getColumn(11).getString();
  return record;
}

// Binds every field but the id and created_at to parameters 1..10.
void bind_job_fields(SQLite::Statement& statement, const TrainingJobRecord& record) {
  statement.bind(1, record.dataset_id);
  statement.bind(2, store_detail::json_text(record.request));
  statement.bind(3, to_string(record.status));
  statement.bind(4, record.progress);
  statement.bind(5, record.step);
  statement.bind(6, record.error);
  statement.bind(7, store_detail::json_text(record.leaderboard));
  store_detail::bind_optional(statement, 8, record.model_id);
  statement.bind(9, record.started_at);
  statement.bind(10, record.finished_at);
}

}  // namespace

int64_t Store::add_job(const TrainingJobRecord& record) {
  return impl_->locked("add_job", [&] {
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO training_jobs (dataset_id, request, status, progress, "
                             "step, error, leaderboard, model_id, started_at, finished_at, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_job_fields(insert, record);
    insert.bind(11, store_detail::or_now(record.created_at));
    insert.exec();
    return impl_->db.getLastInsertRowid();
  });
}

void Store::update_job(const TrainingJobRecord& record) {
  impl_->locked("update_job", [&] {
    SQLite::Statement update(impl_->db,
                             "UPDATE training_jobs SET dataset_id = ?, request = ?, status = ?, "
                             "progress = ?, step = ?, error = ?, leaderboard = ?, model_id = ?, "
                             "started_at = ?, finished_at = ?, created_at = ? WHERE id = ?");
    bind_job_fields(update, record);
    update.bind(11, store_detail::or_now(record.created_at));
    update.bind(12, record.id);
    if (update.exec() == 0) throw_usage("training job " + std::to_string(record.id) + " not found");
  });
}

std::optional<TrainingJobRecord> Store::get_job(int64_t id) const {
  return impl_->locked("get_job", [&]() -> std::optional<TrainingJobRecord> {
    SQLite::Statement select(
        impl_->db, std::string("SELECT ") + kJobColumns + " FROM training_jobs WHERE id = ?");
    select.bind(1, id);
    if (!select.executeStep()) return std::nullopt;
    return read_job(select);
  });
}

std::vector<TrainingJobRecord> Store::list_jobs(int64_t limit) const {
  if (limit < 0) throw_usage("list_jobs: limit must not be negative");
  return impl_->locked("list_jobs", [&] {
    SQLite::Statement select(impl_->db, std::string("SELECT ") + kJobColumns +
                                            " FROM training_jobs ORDER BY id DESC LIMIT ?");
    select.bind(1, limit);
    std::vector<TrainingJobRecord> out;
    while (select.executeStep()) out.push_back(read_job(select));
    return out;
  });
}

int Store::fail_unfinished_jobs() {
  return impl_->locked("fail_unfinished_jobs", [&] {
    SQLite::Statement update(impl_->db,
                             "UPDATE training_jobs SET status = 'failed', "
                             "error = 'interrupted: the server restarted', finished_at = ? "
                             "WHERE status IN ('queued', 'running')");
    update.bind(1, timestamp_utc());
    return update.exec();
  });
}

}  // namespace smartchurn
