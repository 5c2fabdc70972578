// Retention playbooks: which action to take for a customer, from the risk tier and the reasons
// behind the risk. A playbook is a JSON file (schema in docs/playbook.md); a default for
// telecom-like data ships built in (playbooks/telecom.json holds the same text).
//
// Matching: the customer's reasons that raise the risk (contribution > 0) are tried most
// important first, at most `reasons_considered` of them; for each, the first rule (in file order)
// whose tiers include the customer's tier, whose columns include the reason's column and whose
// condition holds for the value gives the action. When no reason matches, the first rule without
// columns whose tiers include the tier does. Otherwise there is no action.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smartchurn/explain.h"

namespace smartchurn {

struct RetentionAction {
  std::string id;           // short and stable: what batch output and the API carry
  std::string title;        // for people: "Offer a one-year contract"
  std::string description;  // optional
  double cost = 0.0;        // per customer, in the playbook's currency
};

struct PlaybookRule {
  std::vector<std::string> tiers;    // low, medium, high
  std::vector<std::string> columns;  // empty: a fallback rule for the tiers
  std::vector<std::string> values;   // the value is one of these (case-insensitive; "(missing)")
  std::optional<double> min, max;    // or a number with min <= value < max
  std::string action;                // an action id
};

// The action chosen for one customer and the reason that chose it.
struct Recommendation {
  const RetentionAction* action = nullptr;
  std::string column;  // the matching reason's column; empty for a fallback rule
  std::string value;
};

class Playbook {
 public:
  // Reads and validates a playbook file. Errors: kIo when unreadable, kBadData naming the file
  // and the field ("playbook.json: rules[2].action: unknown action 'x' (defined: a, b)").
  static Playbook load(const std::string& path);
  // Validates a parsed playbook; `source` names it in errors.
  static Playbook from_json(const nlohmann::json& j, const std::string& source);
  // The built-in playbook for telecom-like data (contract, tenure, internet service, payment,
  // charges, support columns).
  static const Playbook& telecom_default();

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }  // file path or "built-in"
  const std::string& currency() const { return currency_; }
  const std::vector<RetentionAction>& actions() const { return actions_; }
  const std::vector<PlaybookRule>& rules() const { return rules_; }
  const RetentionAction* action(const std::string& id) const;  // null when unknown

  // The action for a customer in `tier` with `reasons` (most important first); nullopt when no
  // rule applies.
  std::optional<Recommendation> recommend(const std::string& tier,
                                          std::span<const Reason> reasons) const;

  nlohmann::json to_json() const;

 private:
  std::string name_, source_, currency_;
  std::size_t reasons_considered_ = 3;
  std::vector<RetentionAction> actions_;
  std::vector<PlaybookRule> rules_;
};

// {"id", "title", "cost", "reason": "Contract = Month-to-month"} or null, for APIs.
nlohmann::json recommendation_json(const std::optional<Recommendation>& recommendation);

}  // namespace smartchurn
