// An explanation as the API shows it, with /predict and for a stored customer (internal to
// src/server).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "smartchurn/explain.h"
#include "smartchurn/playbook.h"

namespace smartchurn::server {

// {base_value, reasons (the top `top`, each with its value from `record`), recommended_action}.
nlohmann::json explanation_json(const Explanation& explanation, const nlohmann::json& record,
                                std::size_t top, const std::string& tier, const Playbook& playbook);

}  // namespace smartchurn::server
