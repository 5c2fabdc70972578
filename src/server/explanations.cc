// Explanations and retention actions of ChurnService: reasons with /predict, the what-if
// endpoint, and the top reasons stored with each scored customer for the list and the overview.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "server/churn_service.h"
#include "server/api_error.h"
#include "server/records.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

// Reasons kept with each stored score: enough for a playbook's reasons_considered.
constexpr std::size_t kStoredReasons = 5;

nlohmann::json value_of(const nlohmann::json& record, const std::string& column) {
  auto it = record.find(column);
  return it == record.end() ? nlohmann::json(nullptr) : *it;
}

// Reads `explain` ({"explain": K}) as a count of reasons: a whole number of at least 1.
std::size_t explain_count(const nlohmann::json& value) {
  if (!value.is_number_integer() || value.get<int64_t>() < 1) {
    throw ApiError(400, "invalid_field",
                   "explain must be a whole number of at least 1 (reasons to return)", "explain");
  }
  return value.get<std::size_t>();
}

}  // namespace

std::size_t explain_top_of(const nlohmann::json& body) {
  return body.contains("explain") ? explain_count(body["explain"]) : 0;
}

const Explainer& ChurnService::explainer_of(const LoadedModel& model) const {
  if (!model.explainer) {
    throw ApiError(
        409, "not_explainable",
        fmt::format("model {} cannot be explained: {}", model.record.id, model.explainer_error));
  }
  return *model.explainer;
}

nlohmann::json ChurnService::explanation_json(const Explanation& e, const nlohmann::json& record,
                                              std::size_t top, const std::string& tier) const {
  nlohmann::json reasons = nlohmann::json::array();
  for (std::size_t k = 0; k < e.reasons.size() && k < top; ++k) {
    const Reason& r = e.reasons[k];
    reasons.push_back({{"column", r.column},
                       {"value", value_of(record, r.column)},
                       {"contribution", r.contribution},
                       {"probability_effect", probability_effect(e.log_odds, r.contribution)},
                       {"text", reason_sentence(r)}});
  }
  return {{"base_value", e.base_value},
          {"reasons", reasons},
          {"recommended_action", recommendation_json(playbook_.recommend(tier, e.reasons))}};
}

std::vector<nlohmann::json> ChurnService::stored_reasons(
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

std::optional<Recommendation> ChurnService::stored_action(const ScoredCustomer& score) const {
  std::vector<Reason> reasons;
  if (score.reasons.is_array()) {
    for (const auto& r : score.reasons) {
      reasons.push_back(
          {r.value("column", ""), r.value("value", ""), r.value("contribution", 0.0)});
    }
  }
  return playbook_.recommend(score.tier, reasons);
}

nlohmann::json ChurnService::what_if(const nlohmann::json& body) {
  auto model = active();
  if (!model) throw ApiError(503, "no_active_model", "no model is active yet; train one first");
  if (!body.is_object()) throw ApiError(400, "invalid_json", "the body must be a JSON object");
  if (!body.contains("customer") || !body["customer"].is_object()) {
    throw ApiError(400, "invalid_field",
                   "customer must be a JSON object with the customer's fields", "customer");
  }
  const nlohmann::json changes = body.value("changes", nlohmann::json::object());
  if (!changes.is_object()) {
    throw ApiError(400, "invalid_field", "changes must be a JSON object of column: new value",
                   "changes");
  }
  const Bundle& b = model->bundle;
  const auto& inputs = b.required_columns();
  std::size_t top = body.contains("explain") ? explain_count(body["explain"]) : inputs.size();
  const nlohmann::json& customer = body["customer"];
  nlohmann::json changed = customer;
  for (const auto& [column, value] : changes.items()) {
    if (std::find(inputs.begin(), inputs.end(), column) == inputs.end()) {
      throw ApiError(400, "invalid_field",
                     "changes." + column + " is not an input column of the model",
                     "changes." + column);
    }
    changed[column] = value;
  }
  // Each record is read as /predict reads it; a bad field is named where the caller put it.
  auto read = [&](const nlohmann::json& record, bool is_changed) {
    try {
      const double p = score_records(b, *model->scorer, {record})[0];
      return std::make_pair(p, explain_records(b, explainer_of(*model), {record})[0]);
    } catch (const ApiError& e) {
      if (e.status() != 400 || e.field().empty()) throw;
      const std::string where = is_changed && changes.contains(e.field()) ? "changes" : "customer";
      throw ApiError(400, e.code(), where + "." + std::string(e.what()), where + "." + e.field());
    }
  };
  const auto [before_p, before] = read(customer, false);
  const auto [after_p, after] = read(changed, true);
  const std::string before_tier = b.tiers.tier(before_p), after_tier = b.tiers.tier(after_p);

  nlohmann::json reasons = nlohmann::json::array();
  for (std::size_t k = 0; k < after.reasons.size() && k < top; ++k) {
    const Reason& r = after.reasons[k];
    auto was = std::find_if(before.reasons.begin(), before.reasons.end(),
                            [&](const Reason& x) { return x.column == r.column; });
    const double before_contribution = was == before.reasons.end() ? 0.0 : was->contribution;
    reasons.push_back({{"column", r.column},
                       {"value", value_of(changed, r.column)},
                       {"contribution", r.contribution},
                       {"probability_effect", probability_effect(after.log_odds, r.contribution)},
                       {"before_value", value_of(customer, r.column)},
                       {"before_contribution", before_contribution},
                       {"change", r.contribution - before_contribution},
                       {"changed", changes.contains(r.column)},
                       {"text", reason_sentence(r)}});
  }
  nlohmann::json changed_columns = nlohmann::json::array();
  for (const auto& [column, value] : changes.items()) changed_columns.push_back(column);
  return {
      {"model_version", model->record.version},
      {"churn_probability", after_p},
      {"risk_tier", after_tier},
      {"base_value", after.base_value},
      {"reasons", reasons},
      {"recommended_action", recommendation_json(playbook_.recommend(after_tier, after.reasons))},
      {"probability_change", after_p - before_p},
      {"changed_columns", changed_columns},
      {"before",
       {{"churn_probability", before_p},
        {"risk_tier", before_tier},
        {"recommended_action",
         recommendation_json(playbook_.recommend(before_tier, before.reasons))}}}};
}

}  // namespace smartchurn::server
