// What happened after training: the prediction log and observed outcomes, written in batches.
#include <string>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/store_impl.h"

namespace smartchurn {
namespace {

int64_t count_rows(SQLite::Database& db, const char* table) {
  return db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
}

}  // namespace

void Store::log_predictions(const std::vector<PredictionLogEntry>& entries) {
  if (entries.empty()) return;
  impl_->locked("log_predictions", [&] {
    const std::string now = timestamp_utc();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO prediction_log (time, model_id, model_version, "
                             "customer_id, probability, tier, input_sha256) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& entry : entries) {
      insert.bind(1, entry.time.empty() ? now : entry.time);
      insert.bind(2, entry.model_id);
      insert.bind(3, entry.model_version);
      insert.bind(4, entry.customer_id);
      insert.bind(5, entry.probability);
      insert.bind(6, entry.tier);
      insert.bind(7, entry.input_sha256);
      insert.exec();
      insert.reset();
    }
    transaction.commit();
  });
}

std::vector<PredictionLogEntry> Store::recent_predictions(int64_t limit) const {
  if (limit < 0) throw_usage("recent_predictions: limit must not be negative");
  return impl_->locked("recent_predictions", [&] {
    SQLite::Statement select(impl_->db,
                             "SELECT id, time, model_id, model_version, customer_id, probability, "
                             "tier, input_sha256 FROM prediction_log "
                             "ORDER BY time DESC, id DESC LIMIT ?");
    select.bind(1, limit);
    std::vector<PredictionLogEntry> out;
    while (select.executeStep()) {
      PredictionLogEntry entry;
      entry.id = select.getColumn(0).getInt64();
      entry.time = select.getColumn(1).getString();
      entry.model_id = select.getColumn(2).getInt64();
      entry.model_version = select.getColumn(3).getInt64();
      entry.customer_id = select.getColumn(4).getString();
      entry.probability = select.getColumn(5).getDouble();
      entry.tier = select.getColumn(6).getString();
      entry.input_sha256 = select.getColumn(7).getString();
      out.push_back(std::move(entry));
    }
    return out;
  });
}

int64_t Store::prediction_count() const {
  return impl_->locked("prediction_count", [&] { return count_rows(impl_->db, "prediction_log"); });
}

void Store::add_outcomes(const std::vector<Outcome>& outcomes) {
  if (outcomes.empty()) return;
  impl_->locked("add_outcomes", [&] {
    const std::string now = timestamp_utc();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO outcomes (customer_id, churned, date, recorded_at) "
                             "VALUES (?, ?, ?, ?)");
    for (const auto& outcome : outcomes) {
      insert.bind(1, outcome.customer_id);
      insert.bind(2, outcome.churned ? 1 : 0);
      insert.bind(3, outcome.date);
      insert.bind(4, outcome.recorded_at.empty() ? now : outcome.recorded_at);
      insert.exec();
      insert.reset();
    }
    transaction.commit();
  });
}

std::vector<Outcome> Store::outcomes_for(const std::string& customer_id) const {
  return impl_->locked("outcomes_for", [&] {
    SQLite::Statement select(impl_->db,
                             "SELECT customer_id, churned, date, recorded_at FROM outcomes "
                             "WHERE customer_id = ? ORDER BY date, id");
    select.bind(1, customer_id);
    std::vector<Outcome> out;
    while (select.executeStep()) {
      Outcome outcome;
      outcome.customer_id = select.getColumn(0).getString();
      outcome.churned = select.getColumn(1).getInt() != 0;
      outcome.date = select.getColumn(2).getString();
      outcome.recorded_at = select.getColumn(3).getString();
      out.push_back(std::move(outcome));
    }
    return out;
  });
}

int64_t Store::outcome_count() const {
  return impl_->locked("outcome_count", [&] { return count_rows(impl_->db, "outcomes"); });
}

}  // namespace smartchurn
