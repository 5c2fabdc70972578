#include "smartchurn/playbook.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "explain/default_playbook.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"
#include "smartchurn/json_limits.h"

namespace smartchurn {

namespace {

constexpr int kPlaybookFormat = 1;
constexpr const char* kTiers[] = {"low", "medium", "high"};

// Column names compare without case, spaces, '_' or '-': "MonthlyCharges" is "monthly_charges".
std::string column_key(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string lower_trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads one playbook, naming the file and the field of every defect.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw_bad_data((field.empty() ? "" : field + ": ") + message, {source_, 0, ""});
  }

  void only_keys(const nlohmann::json& j, const std::string& field,
                 std::initializer_list<const char*> allowed) const {
    for (const auto& [key, value] : j.items()) {
      const std::string& name = key;  // clang 14 cannot capture a structured binding
      bool known =
          std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
      if (!known) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(field.empty() ? key : field + "." + key, "unknown field (expected " + list + ")");
      }
    }
  }

  std::string text(const nlohmann::json& j, const std::string& key, const std::string& field,
                   bool required) const {
    if (!j.contains(key)) {
      if (required) fail(field + key, "is required");
      return "";
    }
    if (!j[key].is_string() || j[key].get_ref<const std::string&>().empty()) {
      fail(field + key, "must be a non-empty string");
    }
    return j[key].get<std::string>();
  }

  double number(const nlohmann::json& value, const std::string& field) const {
    if (!value.is_number()) fail(field, "must be a number, not " + value.dump());
    return value.get<double>();
  }

  // A string or a non-empty array of non-empty strings.
  std::vector<std::string> texts(const nlohmann::json& value, const std::string& field) const {
    if (value.is_string() && !value.get_ref<const std::string&>().empty()) {
      return {value.get<std::string>()};
    }
    if (!value.is_array() || value.empty())
      fail(field, "must be a string or a non-empty list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string() || value[i].get_ref<const std::string&>().empty()) {
        fail(field + "[" + std::to_string(i) + "]", "must be a non-empty string");
      }
      out.push_back(value[i].get<std::string>());
    }
    return out;
  }

  RetentionAction action(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_object()) fail(field, "must be an object");
    only_keys(j, field, {"id", "title", "description", "cost"});
    RetentionAction a;
    a.id = text(j, "id", field + ".", true);
    for (char c : a.id) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
        fail(field + ".id", "'" + a.id + "' may hold only letters, digits, '_' and '-'");
      }
    }
    a.title = text(j, "title", field + ".", true);
    a.description = text(j, "description", field + ".", false);
    if (!j.contains("cost")) fail(field + ".cost", "is required");
    a.cost = number(j["cost"], field + ".cost");
    if (a.cost < 0) fail(field + ".cost", "must not be negative");
    return a;
  }

  PlaybookRule rule(const nlohmann::json& j, const std::string& field,
                    const std::set<std::string>& action_ids) const {
    if (!j.is_object()) fail(field, "must be an object");
    only_keys(j, field, {"tiers", "column", "values", "range", "action"});
    PlaybookRule r;
    if (!j.contains("tiers")) fail(field + ".tiers", "is required");
    r.tiers = texts(j["tiers"], field + ".tiers");
    for (std::size_t i = 0; i < r.tiers.size(); ++i) {
      if (std::none_of(std::begin(kTiers), std::end(kTiers),
                       [&](const char* t) { return r.tiers[i] == t; })) {
        fail(field + ".tiers[" + std::to_string(i) + "]",
             "'" + r.tiers[i] + "' is not a tier (low, medium, high)");
      }
    }
    if (j.contains("column")) r.columns = texts(j["column"], field + ".column");
    if (j.contains("values")) {
      if (!j["values"].is_array()) fail(field + ".values", "must be a list of strings");
      r.values = texts(j["values"], field + ".values");
    }
    if (j.contains("range")) {
      const auto& range = j["range"];
      if (!range.is_object() || range.empty())
        fail(field + ".range", "must be an object with min and/or max");
      only_keys(range, field + ".range", {"min", "max"});
      if (range.contains("min")) r.min = number(range["min"], field + ".range.min");
      if (range.contains("max")) r.max = number(range["max"], field + ".range.max");
      if (r.min && r.max && !(*r.min < *r.max)) fail(field + ".range", "min must be below max");
    }
    if (!r.values.empty() && (r.min || r.max)) fail(field, "give values or range, not both");
    if (r.columns.empty() && (!r.values.empty() || r.min || r.max)) {
      fail(field, "values and range need a column");
    }
    r.action = text(j, "action", field + ".", true);
    if (!action_ids.count(r.action)) {
      std::string list;
      for (const auto& id : action_ids) list += (list.empty() ? "" : ", ") + id;
      fail(field + ".action", "unknown action '" + r.action + "' (defined: " + list + ")");
    }
    return r;
  }

 private:
  std::string source_;
};

bool condition_holds(const PlaybookRule& rule, const Reason& reason) {
  if (!rule.values.empty()) {
    const std::string value = reason.value.empty() ? "(missing)" : lower_trimmed(reason.value);
    return std::any_of(rule.values.begin(), rule.values.end(),
                       [&](const std::string& v) { return lower_trimmed(v) == value; });
  }
  if (rule.min || rule.max) {
    auto number = parse_number(reason.value);
    if (!number) return false;
    return (!rule.min || *number >= *rule.min) && (!rule.max || *number < *rule.max);
  }
  return true;
}

bool tier_matches(const PlaybookRule& rule, const std::string& tier) {
  return std::find(rule.tiers.begin(), rule.tiers.end(), tier) != rule.tiers.end();
}

}  // namespace

Playbook Playbook::from_json(const nlohmann::json& j, const std::string& source) {
  Reader reader(source);
  if (!j.is_object()) reader.fail("", "a playbook is a JSON object with actions and rules");
  reader.only_keys(j, "", {"format", "name", "currency", "reasons_considered", "actions", "rules"});
  if (!j.contains("format"))
    reader.fail("format", "is required (" + std::to_string(kPlaybookFormat) + ")");
  if (!j["format"].is_number_integer() || j["format"].get<int>() != kPlaybookFormat) {
    reader.fail("format", "this smartchurn reads playbook format " +
                              std::to_string(kPlaybookFormat) + ", not " + j["format"].dump());
  }
  Playbook p;
  p.source_ = source;
  p.name_ = reader.text(j, "name", "", false);
  p.currency_ = reader.text(j, "currency", "", false);
  if (j.contains("reasons_considered")) {
    const auto& n = j["reasons_considered"];
    if (!n.is_number_integer() || n.get<int>() < 1) {
      reader.fail("reasons_considered", "must be a whole number of at least 1");
    }
    p.reasons_considered_ = n.get<std::size_t>();
  }
  if (!j.contains("actions") || !j["actions"].is_array() || j["actions"].empty()) {
    reader.fail("actions", "must be a non-empty list of actions");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < j["actions"].size(); ++i) {
    const std::string field = "actions[" + std::to_string(i) + "]";
    RetentionAction a = reader.action(j["actions"][i], field);
    if (!ids.insert(a.id).second) reader.fail(field + ".id", "'" + a.id + "' is defined twice");
    p.actions_.push_back(std::move(a));
  }
  if (!j.contains("rules") || !j["rules"].is_array() || j["rules"].empty()) {
    reader.fail("rules", "must be a non-empty list of rules");
  }
  for (std::size_t i = 0; i < j["rules"].size(); ++i) {
    p.rules_.push_back(reader.rule(j["rules"][i], "rules[" + std::to_string(i) + "]", ids));
  }
  return p;
}

Playbook Playbook::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io("cannot open the playbook " + path + ": " + std::strerror(errno));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (const auto at = util::json_too_deep(text, util::kMaxJsonDepth)) {
    throw_bad_data("nested deeper than " + std::to_string(util::kMaxJsonDepth) +
                       " levels (at byte " + std::to_string(*at + 1) + ")",
                   {path, 0, ""});
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw_bad_data("not valid JSON (error at byte " + std::to_string(e.byte) + ")", {path, 0, ""});
  }
  return from_json(j, path);
}

const Playbook& Playbook::telecom_default() {
  static const Playbook playbook =
      from_json(nlohmann::json::parse(explain::kDefaultPlaybook), "built-in");
  return playbook;
}

const RetentionAction* Playbook::action(const std::string& id) const {
  for (const auto& a : actions_) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::optional<Recommendation> Playbook::recommend(const std::string& tier,
                                                  std::span<const Reason> reasons) const {
  std::size_t considered = 0;
  for (const auto& reason : reasons) {
    if (reason.contribution <= 0) continue;
    if (considered++ == reasons_considered_) break;
    const std::string key = column_key(reason.column);
    for (const auto& rule : rules_) {
      if (!tier_matches(rule, tier) || rule.columns.empty()) continue;
      bool column = std::any_of(rule.columns.begin(), rule.columns.end(),
                                [&](const std::string& c) { return column_key(c) == key; });
      if (column && condition_holds(rule, reason)) {
        return Recommendation{action(rule.action), reason.column, reason.value};
      }
    }
  }
  for (const auto& rule : rules_) {
    if (rule.columns.empty() && tier_matches(rule, tier)) {
      return Recommendation{action(rule.action), "", ""};
    }
  }
  return std::nullopt;
}

nlohmann::json Playbook::to_json() const {
  nlohmann::json actions = nlohmann::json::array(), rules = nlohmann::json::array();
  for (const auto& a : actions_) {
    nlohmann::json j = {{"id", a.id}, {"title", a.title}, {"cost", a.cost}};
    if (!a.description.empty()) j["description"] = a.description;
    actions.push_back(j);
  }
  for (const auto& r : rules_) {
    nlohmann::json j = {{"tiers", r.tiers}, {"action", r.action}};
    if (!r.columns.empty()) j["column"] = r.columns;
    if (!r.values.empty()) j["values"] = r.values;
    if (r.min || r.max) {
      j["range"] = nlohmann::json::object();
      if (r.min) j["range"]["min"] = *r.min;
      if (r.max) j["range"]["max"] = *r.max;
    }
    rules.push_back(j);
  }
  nlohmann::json j = {{"format", kPlaybookFormat},
                      {"reasons_considered", reasons_considered_},
                      {"actions", actions},
                      {"rules", rules}};
  if (!name_.empty()) j["name"] = name_;
  if (!currency_.empty()) j["currency"] = currency_;
  return j;
}

nlohmann::json recommendation_json(const std::optional<Recommendation>& r) {
  if (!r || !r->action) return nullptr;
  nlohmann::json j = {
      {"id", r->action->id}, {"title", r->action->title}, {"cost", r->action->cost}};
  if (!r->action->description.empty()) j["description"] = r->action->description;
  j["reason"] = r->column.empty() ? nlohmann::json(nullptr)
                                  : nlohmann::json(reason_sentence({r->column, r->value, 1.0}));
  return j;
}

}  // namespace smartchurn
