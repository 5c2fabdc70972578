// Explanations and retention actions of ChurnService: reasons with /predict and the what-if
// endpoint. The reasons stored with each scored customer: service/customer_base.cc.
#include "server/explanations.h"

#include <fmt/format.h>

#include <algorithm>

#include "server/churn_service.h"
#include "server/records.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

nlohmann::json value_of(const nlohmann::json& record, const std::string& column) {
  auto it = record.find(column);
  return it == record.end() ? nlohmann::json(nullptr) : *it;
}

}  // namespace

const Explainer& ChurnService::explainer_of(const LoadedModel& model) const {
  if (!model.explainer) {
    throw_conflict(
        fmt::format("model {} cannot be explained: {}", model.record.id, model.explainer_error));
  }
  return *model.explainer;
}

nlohmann::json explanation_json(const Explanation& e, const nlohmann::json& record, std::size_t top,
                                const std::string& tier, const Playbook& playbook) {
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
          {"recommended_action", recommendation_json(playbook.recommend(tier, e.reasons))}};
}

nlohmann::json ChurnService::what_if(const WhatIfRequest& request) {
  auto model = active();
  if (!model) throw_unavailable("no model is active yet; train one first");
  const Bundle& b = model->bundle;
  const auto& inputs = b.required_columns();
  const std::size_t top = request.explain_top.value_or(inputs.size());
  const nlohmann::json& customer = request.customer;
  nlohmann::json changed = customer;
  for (const auto& [column, value] : request.changes) {
    if (std::find(inputs.begin(), inputs.end(), column) == inputs.end()) {
      const std::string field = "changes." + column;
      throw Error(ErrorCode::kUsage, field + " is not an input column of the model",
                  {"", 0, field});
    }
    changed[column] = value;
  }
  // Each record is read as /predict reads it; a bad field is named where the caller put it.
  auto read = [&](const nlohmann::json& record, bool is_changed) {
    try {
      const RecordPaths paths{"customer", false};
      const double p = score_records(b, *model->scorer, {record}, paths)[0];
      return std::make_pair(p, explain_records(b, explainer_of(*model), {record}, paths)[0]);
    } catch (const Error& e) {
      const std::string prefix = "customer.";
      const std::string& field = e.where().column;
      if (!is_changed || e.code() != ErrorCode::kUsage || field.rfind(prefix, 0) != 0) throw;
      const std::string column = field.substr(prefix.size());
      if (!request.changes.contains(column)) throw;
      std::string message = e.message();
      if (message.rfind(prefix, 0) == 0) message = "changes." + message.substr(prefix.size());
      throw Error(ErrorCode::kUsage, message, {"", 0, "changes." + column});
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
                       {"changed", request.changes.contains(r.column)},
                       {"text", reason_sentence(r)}});
  }
  nlohmann::json changed_columns = nlohmann::json::array();
  for (const auto& [column, value] : request.changes) changed_columns.push_back(column);
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
