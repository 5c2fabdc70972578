// The built-in playbook: the text of playbooks/telecom.json (a unit test keeps the two equal).
#pragma once

namespace smartchurn::explain {

inline constexpr const char* kDefaultPlaybook = R"json({
  "format": 1,
  "name": "Telecom retention (built-in default)",
  "currency": "USD",
  "reasons_considered": 3,
  "actions": [
    {"id": "offer_one_year_contract", "title": "Offer a one-year contract with a loyalty discount",
     "description": "Month-to-month customers leave far more often; a discounted annual contract locks in a year.",
     "cost": 80},
    {"id": "onboarding_call", "title": "Welcome call and onboarding check",
     "description": "New customers churn most in their first year; check that the service works as sold.",
     "cost": 15},
    {"id": "fiber_service_review", "title": "Fiber service quality check and speed upgrade",
     "description": "Fiber customers churn over price and reliability; review the line and offer an upgrade.",
     "cost": 40},
    {"id": "automatic_payment_credit", "title": "Bill credit for switching to automatic payment",
     "description": "Manual payers (electronic or mailed check, late payments) leave more often than automatic payers.",
     "cost": 10},
    {"id": "plan_review_discount", "title": "Plan review with a discount on the monthly charge",
     "description": "High monthly charges drive churn; offer a better-fitting plan or a discount.",
     "cost": 50},
    {"id": "support_bundle_trial", "title": "Three months of free tech support and online security",
     "description": "Customers without support add-ons churn more; a free trial shows their value.",
     "cost": 30},
    {"id": "support_escalation", "title": "Callback from a senior support agent",
     "description": "Repeated support calls signal an unsolved problem.",
     "cost": 25},
    {"id": "satisfaction_follow_up", "title": "Satisfaction follow-up call",
     "description": "A low satisfaction score is worth a personal call to hear what went wrong.",
     "cost": 15},
    {"id": "retention_specialist_call", "title": "Call from a retention specialist",
     "description": "High risk without a specific lever: a specialist finds the right offer.",
     "cost": 20},
    {"id": "personalised_email_offer", "title": "Personalised e-mail offer",
     "description": "Medium risk: a low-cost reminder of the customer's benefits and a small offer.",
     "cost": 2}
  ],
  "rules": [
    {"tiers": ["high", "medium"], "column": "Contract", "values": ["Month-to-month"],
     "action": "offer_one_year_contract"},
    {"tiers": ["high", "medium"], "column": ["tenure", "tenure_months"], "range": {"max": 12},
     "action": "onboarding_call"},
    {"tiers": ["high", "medium"], "column": "InternetService", "values": ["Fiber optic"],
     "action": "fiber_service_review"},
    {"tiers": ["high", "medium"], "column": "PaymentMethod", "values": ["Electronic check", "Mailed check"],
     "action": "automatic_payment_credit"},
    {"tiers": ["high", "medium"], "column": "late_payments_12m", "range": {"min": 1},
     "action": "automatic_payment_credit"},
    {"tiers": ["high", "medium"], "column": "MonthlyCharges", "range": {"min": 70},
     "action": "plan_review_discount"},
    {"tiers": ["high", "medium"], "column": ["TechSupport", "OnlineSecurity", "OnlineBackup", "DeviceProtection"],
     "values": ["No"], "action": "support_bundle_trial"},
    {"tiers": ["high", "medium"], "column": "support_calls_90d", "range": {"min": 3},
     "action": "support_escalation"},
    {"tiers": ["high", "medium"], "column": "satisfaction_score", "range": {"max": 3},
     "action": "satisfaction_follow_up"},
    {"tiers": ["high"], "action": "retention_specialist_call"},
    {"tiers": ["medium"], "action": "personalised_email_offer"}
  ]
}
)json";

}  // namespace smartchurn::explain
