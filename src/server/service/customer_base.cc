#include "server/service/customer_base.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "server/explanations.h"
#include "server/records.h"
#include "smartchurn/bundle.h"  // timestamp_utc

namespace smartchurn::server {

namespace {

// Reasons kept with each stored score: enough for a playbook's reasons_considered.
constexpr std::size_t kStoredReasons = 5;

// The dashboard summary's histogram, segments and revenue column.
constexpr int kHistogramBins = 20;
constexpr std::size_t kSegmentColumns = 3;  // categorical columns shown as segments
constexpr std::size_t kMaxSegmentLevels = 12;

std::string lowercase_name(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A monthly revenue column: configured, or a numeric column named like "monthly charges".
std::string find_revenue_column(const Schema& schema, const std::string& configured) {
  if (!configured.empty()) return schema.index_of(configured) >= 0 ? configured : "";
  for (const auto& c : schema.columns) {
    std::string n = lowercase_name(c.name);
    bool money = n.find("charge") != std::string::npos || n.find("revenue") != std::string::npos ||
                 n.find("fee") != std::string::npos || n.find("bill") != std::string::npos;
    if (c.type == ColumnType::kNumeric && n.find("month") != std::string::npos && money) {
      return c.name;
    }
  }
  return "";
}

// A column holding months as YYYY-MM (or dates YYYY-MM-DD), for trends over time.
std::string find_month_column(const Schema& schema) {
  for (const auto& c : schema.columns) {
    if (c.type != ColumnType::kCategorical || c.levels.empty()) continue;
    bool months = std::all_of(c.levels.begin(), c.levels.end(), [](const std::string& v) {
      return (v.size() == 7 || v.size() == 10) && v[4] == '-' &&
             std::isdigit(static_cast<unsigned char>(v[0]));
    });
    if (months) return c.name;
  }
  return "";
}

struct CustomerGroup {
  std::size_t count = 0, high = 0;
  double probability_sum = 0;
  void add(const ScoredCustomer& customer) {
    ++count;
    probability_sum += customer.probability;
    high += customer.tier == "high";
  }
  nlohmann::json json(const std::string& key_name, const std::string& key) const {
    return {{key_name, key},
            {"customers", count},
            {"mean_churn_probability", count ? probability_sum / double(count) : 0.0},
            {"high_risk", high}};
  }
};

}  // namespace

nlohmann::json stored_inputs(const Dataset& data, std::size_t row) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& c : data.columns) {
    if (c.is_missing_at(row)) {
      out[c.name()] = nullptr;
    } else if (c.type() == ColumnType::kNumeric) {
      out[c.name()] = c.values[row];
    } else {
      out[c.name()] = c.text_at(row);
    }
  }
  return out;
}

CustomerBase::CustomerBase(Store& store, const ModelRegistry& registry, const Playbook& playbook,
                           CustomerBaseOptions options)
    : store_(store), registry_(registry), playbook_(playbook), options_(std::move(options)) {}

nlohmann::json CustomerBase::customers(const CustomerQuery& query) const {
  int64_t total = 0;
  auto rows = store_.query_customers(query, &total);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : rows) {
    auto action = stored_action(c);
    list.push_back(
        {{"customer_id", c.customer_id},
         {"churn_probability", c.probability},
         {"risk_tier", c.tier},
         {"model_id", c.model_id},
         {"scored_at", c.scored_at},
         {"recommended_action", action && action->action ? nlohmann::json(action->action->id)
                                                         : nlohmann::json(nullptr)}});
  }
  return {{"total", total}, {"limit", query.limit}, {"offset", query.offset}, {"customers", list}};
}

nlohmann::json CustomerBase::customer(const std::string& customer_id) const {
  auto history = store_.customer_history(customer_id);
  if (history.empty()) return nullptr;
  auto model = registry_.active();
  nlohmann::json scores = nlohmann::json::array();
  const ScoredCustomer* current = nullptr;
  for (const auto& s : history) {
    scores.push_back({{"model_id", s.model_id},
                      {"churn_probability", s.probability},
                      {"risk_tier", s.tier},
                      {"scored_at", s.scored_at}});
    if (model && s.model_id == model->record.id && !current) current = &s;
  }
  if (!current) current = &history.front();
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& o : store_.outcomes_for(customer_id)) {
    outcomes.push_back({{"churned", o.churned}, {"date", o.date}, {"recorded_at", o.recorded_at}});
  }
  nlohmann::json out = {{"customer_id", customer_id},
                        {"churn_probability", current->probability},
                        {"risk_tier", current->tier},
                        {"model_id", current->model_id},
                        {"inputs", current->inputs},
                        {"history", scores},
                        {"outcomes", outcomes},
                        {"base_value", nullptr},
                        {"reasons", nullptr},
                        {"recommended_action", recommendation_json(stored_action(*current))}};
  // Every reason, explained now from the stored inputs by the model that scored them.
  // The inputs were stored by this very model, so they fit its schema: a failure is a bug and is
  // reported, not hidden.
  if (model && current->model_id == model->record.id && model->explainer) {
    auto e = explain_records(model->bundle, *model->explainer, {current->inputs},
                             RecordPaths{"inputs", false})[0];
    nlohmann::json explained =
        explanation_json(e, current->inputs, e.reasons.size(), current->tier, playbook_);
    for (auto& [key, value] : explained.items()) out[key] = value;
  }
  return out;
}

std::size_t CustomerBase::add_outcomes(std::vector<Outcome> outcomes) {
  const std::string now = timestamp_utc();
  for (auto& outcome : outcomes) {
    if (outcome.date.empty()) outcome.date = now.substr(0, 10);
    outcome.recorded_at = now;
  }
  store_.add_outcomes(outcomes);
  return outcomes.size();
}

nlohmann::json CustomerBase::dashboard_summary() const {
  auto model = registry_.active();
  if (!model) return {{"customers_scored", 0}, {"active_model", nullptr}};
  const Bundle& b = model->bundle;
  auto scores = store_.all_scores(model->record.id);

  std::map<std::string, std::size_t> tiers{{"low", 0}, {"medium", 0}, {"high", 0}};
  std::vector<std::size_t> histogram(kHistogramBins, 0);
  double probability_sum = 0;
  const std::string revenue = find_revenue_column(b.schema, options_.revenue_column);
  double revenue_at_risk = 0, high_risk_revenue = 0, total_revenue = 0;
  for (const auto& s : scores) {
    ++tiers[s.tier];
    probability_sum += s.probability;
    histogram[std::min<std::size_t>(kHistogramBins - 1,
                                    std::size_t(s.probability * kHistogramBins))]++;
    if (!revenue.empty() && s.inputs.contains(revenue) && s.inputs[revenue].is_number()) {
      double r = s.inputs[revenue].get<double>();
      total_revenue += r;
      revenue_at_risk += r * s.probability;
      if (s.tier == "high") high_risk_revenue += r;
    }
  }
  // Retention actions: how many customers the playbook sends to each, and the revenue they hold.
  struct ActionTotals {
    std::size_t customers = 0;
    double monthly_revenue = 0, expected_monthly_loss = 0;
  };
  std::map<std::string, ActionTotals> by_action;
  std::size_t without_action = 0;
  for (const auto& s : scores) {
    auto action = stored_action(s);
    if (!action || !action->action) {
      ++without_action;
      continue;
    }
    ActionTotals& t = by_action[action->action->id];
    ++t.customers;
    if (!revenue.empty() && s.inputs.contains(revenue) && s.inputs[revenue].is_number()) {
      t.monthly_revenue += s.inputs[revenue].get<double>();
      t.expected_monthly_loss += s.inputs[revenue].get<double>() * s.probability;
    }
  }
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : playbook_.actions()) {
    auto it = by_action.find(a.id);
    if (it == by_action.end()) continue;
    const ActionTotals& t = it->second;
    actions.push_back(
        {{"id", a.id},
         {"title", a.title},
         {"cost_per_customer", a.cost},
         {"customers", t.customers},
         {"total_cost", a.cost * double(t.customers)},
         {"monthly_revenue",
          revenue.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.monthly_revenue)},
         {"expected_monthly_loss",
          revenue.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.expected_monthly_loss)}});
  }
  std::stable_sort(actions.begin(), actions.end(), [](const auto& x, const auto& y) {
    return x["customers"].template get<std::size_t>() > y["customers"].template get<std::size_t>();
  });

  nlohmann::json bins = nlohmann::json::array();
  for (int i = 0; i < kHistogramBins; ++i) {
    bins.push_back({{"lower", double(i) / kHistogramBins},
                    {"upper", double(i + 1) / kHistogramBins},
                    {"customers", histogram[std::size_t(i)]}});
  }

  // Segments: the categorical inputs the model leans on most (importance summed per column).
  std::map<std::string, double> importance_by_column;
  auto importance = b.model->feature_importance();
  const auto& features = b.pipeline.features();
  for (std::size_t i = 0; i < features.size() && i < importance.size(); ++i) {
    for (const auto& source : features[i].sources) importance_by_column[source] += importance[i];
  }
  std::vector<std::pair<double, std::string>> candidates;
  for (const auto& name : b.pipeline.input_columns()) {
    int index = b.schema.index_of(name);
    if (index < 0) continue;
    const auto& c = b.schema.columns[std::size_t(index)];
    bool discrete = (c.type == ColumnType::kCategorical && c.levels.size() <= kMaxSegmentLevels) ||
                    c.type == ColumnType::kBoolean;
    if (discrete) candidates.push_back({importance_by_column[name], name});
  }
  std::sort(candidates.begin(), candidates.end(), std::greater<>());
  if (candidates.size() > kSegmentColumns) candidates.resize(kSegmentColumns);
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& [weight, column] : candidates) {
    std::map<std::string, CustomerGroup> groups;
    for (const auto& s : scores) {
      auto it = s.inputs.find(column);
      std::string key = it == s.inputs.end() || it->is_null() ? "(missing)"
                        : it->is_string()                     ? it->get<std::string>()
                                                              : it->dump();
      groups[key].add(s);
    }
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [key, g] : groups) values.push_back(g.json("value", key));
    segments.push_back({{"column", column}, {"values", values}});
  }

  // Trends: customers and mean risk per signup month when the data has one, else per scoring month.
  const std::string month = find_month_column(b.schema);
  std::map<std::string, CustomerGroup> by_month;
  for (const auto& s : scores) {
    std::string key;
    if (!month.empty() && s.inputs.contains(month) && s.inputs[month].is_string()) {
      key = s.inputs[month].get<std::string>().substr(0, 7);
    } else {
      key = s.scored_at.substr(0, 7);
    }
    by_month[key].add(s);
  }
  nlohmann::json trend = nlohmann::json::array();
  for (const auto& [key, g] : by_month) trend.push_back(g.json("month", key));

  const auto& r = model->record;
  return {
      {"customers_scored", scores.size()},
      {"predicted_churn_rate", scores.empty() ? 0.0 : probability_sum / double(scores.size())},
      {"high_risk_customers", tiers["high"]},
      {"tiers", tiers},
      {"risk_tiers", {{"medium", b.tiers.medium}, {"high", b.tiers.high}}},
      {"revenue", revenue.empty() ? nlohmann::json(nullptr)
                                  : nlohmann::json{{"column", revenue},
                                                   {"monthly_total", total_revenue},
                                                   {"expected_monthly_loss", revenue_at_risk},
                                                   {"high_risk_monthly", high_risk_revenue}}},
      {"histogram", bins},
      {"actions",
       {{"playbook", playbook_.name().empty() ? playbook_.source() : playbook_.name()},
        {"currency", playbook_.currency()},
        {"customers_without_action", without_action},
        {"by_action", actions}}},
      {"segments", segments},
      {"trend", {{"by", month.empty() ? "scoring month" : month}, {"months", trend}}},
      {"active_model",
       {{"id", r.id},
        {"name", r.name},
        {"version", r.version},
        {"algorithm", r.algorithm},
        {"created_at", r.created_at},
        {"roc_auc",
         r.metrics.contains("cv") ? r.metrics["cv"]["roc_auc"]["mean"] : nlohmann::json(nullptr)}}},
  };
}

void CustomerBase::score_dataset_into_store(const LoadedModel& model, const std::string& csv_path) {
  const Bundle& b = model.bundle;
  std::vector<RejectedRow> rejects;
  Dataset data =
      read_with_schema(csv_path, b.schema, b.optional_columns(), rejects, options_.table_limits);
  auto probabilities = model.scorer->score(data);
  const Column* id = b.id_column(data);
  if (!id) return;  // customers without ids cannot be listed
  auto reasons = stored_reasons(model, data, probabilities);
  std::vector<ScoredCustomer> scores;
  const std::string now = timestamp_utc();
  for (std::size_t r = 0; r < data.rows(); ++r) {
    scores.push_back({id->text_at(r), model.record.id, probabilities[r],
                      b.tiers.tier(probabilities[r]), stored_inputs(data, r), now,
                      std::move(reasons[r])});
  }
  store_.upsert_scores(scores);
}

std::vector<nlohmann::json> CustomerBase::stored_reasons(
    const LoadedModel& model, const Dataset& data, const std::vector<double>& probabilities) const {
  std::vector<nlohmann::json> out(data.rows(), nlohmann::json::array());
  if (!model.explainer) return out;
  // Only tiers that a reason can give an action need their reasons.
  std::set<std::string> tiers;
  for (const auto& rule : playbook_.rules()) {
    if (!rule.columns.empty()) tiers.insert(rule.tiers.begin(), rule.tiers.end());
  }
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < data.rows(); ++r) {
    if (tiers.count(model.bundle.tiers.tier(probabilities[r]))) rows.push_back(r);
  }
  const auto explanations = model.explainer->explain(data, rows, options_.explain_threads);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& reasons = explanations[i].reasons;
    for (std::size_t k = 0; k < reasons.size() && k < kStoredReasons; ++k) {
      out[rows[i]].push_back({{"column", reasons[k].column},
                              {"value", reasons[k].value},
                              {"contribution", reasons[k].contribution}});
    }
  }
  return out;
}

std::optional<Recommendation> CustomerBase::stored_action(const ScoredCustomer& score) const {
  std::vector<Reason> reasons;
  if (score.reasons.is_array()) {
    for (const auto& r : score.reasons) {
      reasons.push_back(
          {r.value("column", ""), r.value("value", ""), r.value("contribution", 0.0)});
    }
  }
  return playbook_.recommend(score.tier, reasons);
}

}  // namespace smartchurn::server
