// The metrics every Prometheus target is expected to have: the build's version and the process
// metrics Prometheus' own client libraries export (internal to src/server).
#pragma once

#include <string>
#include <string_view>

namespace smartchurn::server {

// Text exposition (0.0.4) of smartchurn_build_info{version} 1 and process_resident_memory_bytes,
// process_virtual_memory_bytes, process_cpu_seconds_total, process_start_time_seconds,
// process_open_fds and process_max_fds, read from /proc now. A value /proc does not give (another
// kernel, a sandbox) is left out rather than reported as 0.
std::string render_runtime_metrics(std::string_view version);

}  // namespace smartchurn::server
