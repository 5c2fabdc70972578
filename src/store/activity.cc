// What happened after training: the prediction log and observed outcomes, written in batches.
#include <algorithm>
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
    impl_->prediction_rows += static_cast<int64_t>(entries.size());
  });
}

int64_t Store::prune_predictions(const PredictionRetention& retention, int64_t max_delete,
                                 const std::string& now) {
  if (max_delete <= 0) return 0;
  return impl_->locked("prune_predictions", [&] {
    int64_t deleted = 0;
    const int64_t excess = retention.max_rows > 0 ? impl_->prediction_rows - retention.max_rows : 0;
    if (excess > 0) {
      // Ids grow with insertion, so the smallest are the oldest entries.
      SQLite::Statement oldest(impl_->db,
                               "DELETE FROM prediction_log WHERE id IN "
                               "(SELECT id FROM prediction_log ORDER BY id LIMIT ?)");
      oldest.bind(1, std::min(excess, max_delete));
      deleted += oldest.exec();
    }
    if (retention.max_days > 0 && deleted < max_delete) {
      SQLite::Statement expired(
          impl_->db,
          "DELETE FROM prediction_log WHERE id IN (SELECT id FROM prediction_log WHERE time < "
          "strftime('%Y-%m-%dT%H:%M:%SZ', ?, ?) ORDER BY time LIMIT ?)");
      expired.bind(1, store_detail::or_now(now));
      expired.bind(2, "-" + std::to_string(retention.max_days) + " days");
      expired.bind(3, max_delete - deleted);
      deleted += expired.exec();
    }
    impl_->prediction_rows -= deleted;
    return deleted;
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

int64_t Store::prediction_count() const { return impl_->prediction_rows.load(); }

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
