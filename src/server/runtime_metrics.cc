#include "server/runtime_metrics.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <vector>

namespace smartchurn::server {
namespace {

// /proc/self/stat's fields after the command name (which may hold spaces and parentheses), so
// index 0 is field 3 of proc(5), "state".
std::vector<std::string> proc_stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const std::size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream rest(line.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

std::optional<double> stat_number(const std::vector<std::string>& fields, std::size_t proc_field) {
  const std::size_t index = proc_field - 3;
  if (index >= fields.size()) return std::nullopt;
  try {
    return std::stod(fields[index]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double seconds = 0;
      if (in >> seconds) return seconds;
      return std::nullopt;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::optional<double> open_fd_count() {
  std::error_code error;
  std::filesystem::directory_iterator entries("/proc/self/fd", error);
  if (error) return std::nullopt;
  double count = 0;
  for (const auto& entry : entries) {
    (void)entry;
    ++count;
  }
  return count - 1;  // the iterator's own descriptor
}

void append_metric(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, std::optional<double> value) {
  if (!value) return;
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, *value);
}

}  // namespace

std::string render_runtime_metrics(std::string_view version) {
  std::string out = fmt::format(
      "# HELP smartchurn_build_info The SmartChurn version serving; always 1.\n"
      "# TYPE smartchurn_build_info gauge\n"
      "smartchurn_build_info{{version=\"{}\"}} 1\n",
      version);
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_bytes = static_cast<double>(sysconf(_SC_PAGESIZE));
  const std::vector<std::string> stat = proc_stat_fields();
  const auto user = stat_number(stat, 14), system = stat_number(stat, 15);
  const auto start_ticks = stat_number(stat, 22), virtual_bytes = stat_number(stat, 23);
  const auto resident_pages = stat_number(stat, 24);
  const auto boot = boot_time_seconds();

  std::optional<double> cpu, start, resident;
  if (user && system && ticks > 0) cpu = (*user + *system) / ticks;
  if (start_ticks && boot && ticks > 0) start = *boot + *start_ticks / ticks;
  if (resident_pages && page_bytes > 0) resident = *resident_pages * page_bytes;
  std::optional<double> max_fds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    max_fds = static_cast<double>(limit.rlim_cur);
  }
  append_metric(out, "process_cpu_seconds_total", "counter",
                "Total user and system CPU time spent in seconds.", cpu);
  append_metric(out, "process_start_time_seconds", "gauge",
                "Start time of the process since unix epoch in seconds.", start);
  append_metric(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                resident);
  append_metric(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
                virtual_bytes);
  append_metric(out, "process_open_fds", "gauge", "Number of open file descriptors.",
                open_fd_count());
  append_metric(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
                max_fds);
  return out;
}

}  // namespace smartchurn::server
