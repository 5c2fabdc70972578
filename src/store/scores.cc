// Scored customers: batched upserts and the filtered, sorted, paged customer list.
#include <string>
#include <vector>

#include "smartchurn/bundle.h"
#include "smartchurn/error.h"
#include "smartchurn/store.h"
#include "store/store_impl.h"

namespace smartchurn {
namespace {

constexpr const char* kScoreColumns =
    "customer_id, model_id, probability, tier, inputs, scored_at, reasons FROM scored_customers";

ScoredCustomer read_score(SQLite::Statement& row) {
  ScoredCustomer score;
  score.customer_id = row.getColumn(0).getString();
  score.model_id = row.getColumn(1).getInt64();
  score.probability = row.getColumn(2).getDouble();
  score.tier = row.getColumn(3).getString();
  score.inputs = store_detail::parse_json(row.getColumn(4).getString());
  score.scored_at = row.getColumn(5).getString();
  score.reasons = store_detail::parse_json(row.getColumn(6).getString());
  return score;
}

std::vector<ScoredCustomer> read_scores(SQLite::Statement& select) {
  std::vector<ScoredCustomer> out;
  while (select.executeStep()) out.push_back(read_score(select));
  return out;
}

// The ORDER BY clause for a whitelisted sort key; user text never reaches the SQL. The customer id
// breaks ties so pages do not overlap.
const char* order_by(const std::string& sort) {
  if (sort == "-probability") return "probability DESC, customer_id ASC";
  if (sort == "probability") return "probability ASC, customer_id ASC";
  if (sort == "customer_id") return "customer_id ASC";
  if (sort == "-customer_id") return "customer_id DESC";
  throw_usage("unknown sort '" + sort +
              "'; expected probability, -probability, customer_id or -customer_id");
}

// A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped by a backslash.
std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// The WHERE clause of a customer query and the text parameters after the model id (?1).
struct CustomerFilter {
  std::string where = "WHERE model_id = ?";
  std::vector<std::string> texts;
};

CustomerFilter customer_filter(const CustomerQuery& query) {
  CustomerFilter filter;
  if (!query.tier.empty()) {
    filter.where += " AND tier = ?";
    filter.texts.push_back(query.tier);
  }
  if (!query.search.empty()) {
    filter.where += " AND customer_id LIKE ? ESCAPE '\\'";
    filter.texts.push_back(contains_pattern(query.search));
  }
  if (!query.segment_column.empty()) {
    // The input as the dashboard summary names segment values: text as is, other JSON values as
    // written (1, true), and a missing or null input as "(missing)".
    filter.where +=
        " AND COALESCE((SELECT CASE type WHEN 'text' THEN value WHEN 'null' THEN NULL"
        " WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(value AS TEXT) END"
        " FROM json_each(inputs) WHERE key = ?), '(missing)') = ?";
    filter.texts.push_back(query.segment_column);
    filter.texts.push_back(query.segment_value);
  }
  return filter;
}

// Binds the model id and the filter's texts; returns the next free parameter index.
int bind_filter(SQLite::Statement& statement, int64_t model_id, const CustomerFilter& filter) {
  int index = 1;
  statement.bind(index++, model_id);
  for (const auto& text : filter.texts) statement.bind(index++, text);
  return index;
}

}  // namespace

void Store::upsert_scores(const std::vector<ScoredCustomer>& scores) {
  if (scores.empty()) return;
  impl_->locked("upsert_scores", [&] {
    const std::string now = timestamp_utc();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement upsert(impl_->db,
                             "INSERT INTO scored_customers (customer_id, model_id, probability, "
                             "tier, inputs, scored_at, reasons) VALUES (?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (customer_id, model_id) DO UPDATE SET "
                             "probability = excluded.probability, tier = excluded.tier, "
                             "inputs = excluded.inputs, scored_at = excluded.scored_at, "
                             "reasons = excluded.reasons");
    for (const auto& score : scores) {
      upsert.bind(1, score.customer_id);
      upsert.bind(2, score.model_id);
      upsert.bind(3, score.probability);
      upsert.bind(4, score.tier);
      upsert.bind(5, store_detail::json_text(score.inputs));
      upsert.bind(6, score.scored_at.empty() ? now : score.scored_at);
      upsert.bind(7, store_detail::json_text(score.reasons));
      upsert.exec();
      upsert.reset();
    }
    transaction.commit();
  });
}

std::vector<ScoredCustomer> Store::query_customers(const CustomerQuery& query,
                                                   int64_t* total) const {
  if (total) *total = 0;
  if (query.limit < 0 || query.offset < 0) {
    throw_usage("query_customers: limit and offset must not be negative");
  }
  const char* order = order_by(query.sort);
  const CustomerFilter filter = customer_filter(query);
  return impl_->locked("query_customers", [&]() -> std::vector<ScoredCustomer> {
    int64_t model_id = 0;
    if (query.model_id) {
      model_id = *query.model_id;
    } else {
      SQLite::Statement active(impl_->db, "SELECT id FROM models WHERE active = 1");
      if (!active.executeStep()) return {};  // no active model: nothing to list
      model_id = active.getColumn(0).getInt64();
    }
    if (total) {
      SQLite::Statement count(impl_->db, "SELECT COUNT(*) FROM scored_customers " + filter.where);
      bind_filter(count, model_id, filter);
      count.executeStep();
      *total = count.getColumn(0).getInt64();
    }
    SQLite::Statement select(impl_->db, std::string("SELECT ") + kScoreColumns + " " +
                                            filter.where + " ORDER BY " + order +
                                            " LIMIT ? OFFSET ?");
    const int next = bind_filter(select, model_id, filter);
    select.bind(next, query.limit);
    select.bind(next + 1, query.offset);
    return read_scores(select);
  });
}

std::vector<ScoredCustomer> Store::all_scores(int64_t model_id) const {
  return impl_->locked("all_scores", [&] {
    SQLite::Statement select(impl_->db, std::string("SELECT ") + kScoreColumns +
                                            " WHERE model_id = ? ORDER BY customer_id");
    select.bind(1, model_id);
    return read_scores(select);
  });
}

std::vector<ScoredCustomer> Store::customer_history(const std::string& customer_id) const {
  return impl_->locked("customer_history", [&] {
    SQLite::Statement select(impl_->db,
                             std::string("SELECT ") + kScoreColumns +
                                 " WHERE customer_id = ? ORDER BY scored_at DESC, model_id DESC");
    select.bind(1, customer_id);
    return read_scores(select);
  });
}

}  // namespace smartchurn
