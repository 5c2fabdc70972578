// The scored customer base: the list, one customer, the dashboard summary and recorded outcomes.
#include <fmt/format.h>

#include "server/request_fields.h"
#include "server/routes/route_groups.h"
#include "smartchurn/error.h"

namespace smartchurn::server {

namespace {

constexpr int64_t kMaxPageSize = 1000;

CustomerQuery parse_customer_query(const Request& r) {
  CustomerQuery q;
  q.tier = r.query_value("tier").value_or("");
  if (!q.tier.empty() && q.tier != "low" && q.tier != "medium" && q.tier != "high") {
    throw_field("tier", "tier must be low, medium or high");
  }
  q.search = r.query_value("q").value_or("");
  q.segment_column = r.query_value("segment").value_or("");
  q.segment_value = r.query_value("segment_value").value_or("");
  if (!q.segment_column.empty() && !r.query_value("segment_value")) {
    throw_field("segment_value", "segment needs a segment_value");
  }
  q.sort = r.query_value("sort").value_or("-churn_probability");
  if (q.sort == "churn_probability" || q.sort == "-churn_probability") {
    q.sort = q.sort[0] == '-' ? "-probability" : "probability";
  } else if (q.sort != "customer_id" && q.sort != "-customer_id") {
    throw_field("sort",
                "sort must be churn_probability, -churn_probability, customer_id or -customer_id");
  }
  q.limit = integer_query(r, "limit", 50, 1, kMaxPageSize);
  q.offset = integer_query(r, "offset", 0, 0, INT64_MAX / 2);
  return q;
}

}  // namespace

std::vector<Outcome> parse_outcomes(const nlohmann::json& body) {
  // Either {"outcomes": [...]} or the list itself.
  const nlohmann::json* list = &body;
  if (body.is_object()) {
    refuse_unknown_members(body, {"outcomes"});
    list = &required_member(body, "outcomes", "outcomes");
  }
  if (!list->is_array() || list->empty()) {
    throw_field("outcomes", "outcomes must be a non-empty array, not " + json_kind(*list));
  }
  std::vector<Outcome> outcomes;
  outcomes.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string item = index_path("outcomes", i);
    const auto& o = (*list)[i];
    if (!o.is_object()) throw_field(item, item + " must be an object, not " + json_kind(o));
    refuse_unknown_members(o, {"customer_id", "churned", "date"}, item);
    Outcome outcome;
    const std::string id_field = member_path(item, "customer_id");
    const auto& id = required_member(o, "customer_id", id_field);
    if (id.is_number_integer()) {
      outcome.customer_id = id.dump();  // as written: 18446744073709551615 stays itself
    } else {
      outcome.customer_id = string_value(id, id_field);
      if (outcome.customer_id.empty()) throw_field(id_field, id_field + " must not be empty");
    }
    const std::string churned_field = member_path(item, "churned");
    outcome.churned = boolean_value(required_member(o, "churned", churned_field), churned_field);
    if (const auto* date = optional_member(o, "date")) {
      const std::string date_field = member_path(item, "date");
      outcome.date = string_value(*date, date_field);
      if (!is_calendar_date(outcome.date)) {
        throw_field(date_field, fmt::format("{} must be a calendar date YYYY-MM-DD, not '{}'",
                                            date_field, outcome.date));
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

void add_customer_routes(Router& router, ChurnService& service) {
  router.add(
      {"GET", api_path("/customers"), Role::kViewer, BodyKind::kNone,
       [&](Request& r) { return Response::json(service.customers(parse_customer_query(r))); },
       Cost::kSlow});
  // Any id the list shows (@, +, = and spaces too): a free-form, percent-decoded parameter.
  Route one_customer{"GET", api_path("/customers/{id:text}"), Role::kViewer, BodyKind::kNone,
                     [&](Request& r) {
                       const std::string& id = r.params.at("id");
                       auto customer = service.customer(id);
                       if (customer.is_null()) {
                         throw_not_found(fmt::format("customer '{}' has no score", id));
                       }
                       return Response::json(customer);
                     }};
  router.add(std::move(one_customer));
  router.add({"GET", api_path("/dashboard/summary"), Role::kViewer, BodyKind::kNone,
              [&](Request&) { return Response::json(service.dashboard_summary()); }, Cost::kSlow});
  router.add({"POST", api_path("/outcomes"), Role::kAnalyst, BodyKind::kJson,
              [&](Request& r) {
                const std::size_t recorded = service.add_outcomes(parse_outcomes(r.json()));
                return Response::json({{"recorded", recorded}}, 201);
              },
              Cost::kSlow});
}

}  // namespace smartchurn::server
