// What a client may read of an error: the core's message with its location but never a server
// file path, and nothing of other exceptions (a bug, logged instead). Internal to src/server.
#pragma once

#include <exception>
#include <string>

namespace smartchurn::server {

std::string client_message(const std::exception& error);

}  // namespace smartchurn::server
