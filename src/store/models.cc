// The model registry: versions, the single active model, deletion rules.
#include <string>

#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/store_impl.h"

namespace smartchurn {
namespace {

constexpr const char* kModelColumns =
    "id, name, version, algorithm, parameters, metrics, input_schema, bundle_path, bundle_sha256, "
    "dataset_id, job_id, created_at, active";

ModelRecord read_model(SQLite::Statement& row) {
  ModelRecord record;
  record.id = row.getColumn(0).getInt64();
  record.name = row.getColumn(1).getString();
  record.version = row.getColumn(2).getInt64();
  record.algorithm = row.getColumn(3).getString();
  record.parameters = store_detail::parse_json(row.getColumn(4).getString());
  record.metrics = store_detail::parse_json(row.getColumn(5).getString());
  record.schema = store_detail::parse_json(row.getColumn(6).getString());
  record.bundle_path = row.getColumn(7).getString();
  record.bundle_sha256 = row.getColumn(8).getString();
  record.dataset_id = store_detail::optional_int(row.getColumn(9));
  record.job_id = store_detail::optional_int(row.getColumn(10));
  record.created_at = row.getColumn(11).getString();
  record.active = row.getColumn(12).getInt() != 0;
  return record;
}

std::vector<ModelRecord> select_models(SQLite::Database& db, const std::string& where) {
  SQLite::Statement select(db, std::string("SELECT ") + kModelColumns + " FROM models " + where +
                                   " ORDER BY version DESC");
  std::vector<ModelRecord> out;
  while (select.executeStep()) out.push_back(read_model(select));
  return out;
}

}  // namespace

int64_t Store::add_model(const ModelRecord& record) {
  return impl_->locked("add_model", [&] {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    // The next version is above every version ever issued, so a deleted model's number stays
    // unique in the prediction log.
    const int64_t version =
        impl_->db
            .execAndGet(
                "SELECT MAX((SELECT value FROM counters WHERE name = 'model_version'), "
                "COALESCE((SELECT MAX(version) FROM models), 0)) + 1")
            .getInt64();
    if (record.active) impl_->db.exec("UPDATE models SET active = 0 WHERE active = 1");
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO models (name, version, algorithm, parameters, metrics, "
                             "input_schema, bundle_path, bundle_sha256, dataset_id, job_id, "
                             "created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, record.name);
    insert.bind(2, version);
    insert.bind(3, record.algorithm);
    insert.bind(4, store_detail::json_text(record.parameters));
    insert.bind(5, store_detail::json_text(record.metrics));
    insert.bind(6, store_detail::json_text(record.schema));
    insert.bind(7, record.bundle_path);
    insert.bind(8, record.bundle_sha256);
    store_detail::bind_optional(insert, 9, record.dataset_id);
    store_detail::bind_optional(insert, 10, record.job_id);
    insert.bind(11, store_detail::or_now(record.created_at));
    insert.bind(12, record.active ? 1 : 0);
    insert.exec();
    const int64_t id = impl_->db.getLastInsertRowid();
    SQLite::Statement counter(impl_->db,
                              "UPDATE counters SET value = ? WHERE name = 'model_version'");
    counter.bind(1, version);
    counter.exec();
    transaction.commit();
    return id;
  });
}

std::vector<ModelRecord> Store::list_models() const {
  return impl_->locked("list_models", [&] { return select_models(impl_->db, ""); });
}

std::optional<ModelRecord> Store::get_model(int64_t id) const {
  return impl_->locked("get_model", [&]() -> std::optional<ModelRecord> {
    SQLite::Statement select(impl_->db,
                             std::string("SELECT ") + kModelColumns + " FROM models WHERE id = ?");
    select.bind(1, id);
    if (!select.executeStep()) return std::nullopt;
    return read_model(select);
  });
}

std::optional<ModelRecord> Store::active_model() const {
  return impl_->locked("active_model", [&]() -> std::optional<ModelRecord> {
    auto models = select_models(impl_->db, "WHERE active = 1");
    if (models.empty()) return std::nullopt;
    return models.front();
  });
}

bool Store::activate_model(int64_t id) {
  return impl_->locked("activate_model", [&] {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement exists(impl_->db, "SELECT 1 FROM models WHERE id = ?");
    exists.bind(1, id);
    if (!exists.executeStep()) return false;
    // Off first, then on: the unique index on active = 1 never sees two active rows.
    SQLite::Statement others_off(impl_->db,
                                 "UPDATE models SET active = 0 WHERE active = 1 AND id <> ?");
    others_off.bind(1, id);
    others_off.exec();
    SQLite::Statement this_on(impl_->db, "UPDATE models SET active = 1 WHERE id = ?");
    this_on.bind(1, id);
    this_on.exec();
    transaction.commit();
    return true;
  });
}

bool Store::delete_model(int64_t id) {
  return impl_->locked("delete_model", [&] {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement state(impl_->db, "SELECT active FROM models WHERE id = ?");
    state.bind(1, id);
    if (!state.executeStep()) return false;
    if (state.getColumn(0).getInt() != 0) {
      throw_usage("model " + std::to_string(id) + " is active; activate another first");
    }
    SQLite::Statement scores(impl_->db, "DELETE FROM scored_customers WHERE model_id = ?");
    scores.bind(1, id);
    scores.exec();
    SQLite::Statement model(impl_->db, "DELETE FROM models WHERE id = ?");
    model.bind(1, id);
    model.exec();
    transaction.commit();
    return true;
  });
}

}  // namespace smartchurn
