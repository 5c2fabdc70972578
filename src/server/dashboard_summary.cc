// The overview numbers of the dashboard, computed from the active model's scored customers.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "server/churn_service.h"

namespace smartchurn::server {

namespace {

constexpr int kHistogramBins = 20;
constexpr std::size_t kSegmentColumns = 3;   // categorical columns shown as segments
constexpr std::size_t kMaxSegmentLevels = 12;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A monthly revenue column: configured, or a numeric column named like "monthly charges".
std::string revenue_column(const Schema& schema, const std::string& configured) {
  if (!configured.empty()) return schema.index_of(configured) >= 0 ? configured : "";
  for (const auto& c : schema.columns) {
    std::string n = lower(c.name);
    bool money = n.find("charge") != std::string::npos || n.find("revenue") != std::string::npos ||
                 n.find("fee") != std::string::npos || n.find("bill") != std::string::npos;
    if (c.type == ColumnType::kNumeric && n.find("month") != std::string::npos && money) return c.name;
  }
  return "";
}

// A column holding months as YYYY-MM (or dates YYYY-MM-DD), for trends over time.
std::string month_column(const Schema& schema) {
  for (const auto& c : schema.columns) {
    if (c.type != ColumnType::kCategorical || c.levels.empty()) continue;
    bool months = std::all_of(c.levels.begin(), c.levels.end(), [](const std::string& v) {
      return (v.size() == 7 || v.size() == 10) && v[4] == '-' && std::isdigit(static_cast<unsigned char>(v[0]));
    });
    if (months) return c.name;
  }
  return "";
}

struct Group {
  std::size_t count = 0, high = 0;
  double probability_sum = 0;
  nlohmann::json json(const std::string& key_name, const std::string& key) const {
    return {{key_name, key},
            {"customers", count},
            {"mean_churn_probability", count ? probability_sum / double(count) : 0.0},
            {"high_risk", high}};
  }
};

}  // namespace

nlohmann::json ChurnService::dashboard_summary() const {
  auto model = active();
  if (!model) return {{"customers_scored", 0}, {"active_model", nullptr}};
  const Bundle& b = model->bundle;
  auto scores = store_.all_scores(model->record.id);

  std::map<std::string, std::size_t> tiers{{"low", 0}, {"medium", 0}, {"high", 0}};
  std::vector<std::size_t> histogram(kHistogramBins, 0);
  double probability_sum = 0;
  const std::string revenue = revenue_column(b.schema, options_.revenue_column);
  double revenue_at_risk = 0, high_risk_revenue = 0, total_revenue = 0;
  for (const auto& s : scores) {
    ++tiers[s.tier];
    probability_sum += s.probability;
    histogram[std::min<std::size_t>(kHistogramBins - 1, std::size_t(s.probability * kHistogramBins))]++;
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
    actions.push_back({{"id", a.id},
                       {"title", a.title},
                       {"cost_per_customer", a.cost},
                       {"customers", t.customers},
                       {"total_cost", a.cost * double(t.customers)},
                       {"monthly_revenue", revenue.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(t.monthly_revenue)},
                       {"expected_monthly_loss", revenue.empty()
                                                     ? nlohmann::json(nullptr)
                                                     : nlohmann::json(t.expected_monthly_loss)}});
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
    std::map<std::string, Group> groups;
    for (const auto& s : scores) {
      auto it = s.inputs.find(column);
      std::string key = it == s.inputs.end() || it->is_null() ? "(missing)"
                        : it->is_string()                    ? it->get<std::string>()
                                                             : it->dump();
      Group& g = groups[key];
      ++g.count;
      g.probability_sum += s.probability;
      g.high += s.tier == "high";
    }
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [key, g] : groups) values.push_back(g.json("value", key));
    segments.push_back({{"column", column}, {"values", values}});
  }

  // Trends: customers and mean risk per signup month when the data has one, else per scoring month.
  const std::string month = month_column(b.schema);
  std::map<std::string, Group> by_month;
  for (const auto& s : scores) {
    std::string key;
    if (!month.empty() && s.inputs.contains(month) && s.inputs[month].is_string()) {
      key = s.inputs[month].get<std::string>().substr(0, 7);
    } else {
      key = s.scored_at.substr(0, 7);
    }
    Group& g = by_month[key];
    ++g.count;
    g.probability_sum += s.probability;
    g.high += s.tier == "high";
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
      {"actions", {{"playbook", playbook_.name().empty() ? playbook_.source() : playbook_.name()},
                   {"currency", playbook_.currency()},
                   {"customers_without_action", without_action},
                   {"by_action", actions}}},
      {"segments", segments},
      {"trend", {{"by", month.empty() ? "scoring month" : month}, {"months", trend}}},
      {"active_model", {{"id", r.id},
                        {"name", r.name},
                        {"version", r.version},
                        {"algorithm", r.algorithm},
                        {"created_at", r.created_at},
                        {"roc_auc", r.metrics.contains("cv") ? r.metrics["cv"]["roc_auc"]["mean"]
                                                             : nlohmann::json(nullptr)}}},
  };
}

}  // namespace smartchurn::server
