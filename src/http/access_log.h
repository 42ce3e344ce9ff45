// The access log's logger. Its lines gather in memory and reach stdout in blocks: when 64 KiB
// have gathered, when the logger is flushed (spdlog flushes registered loggers every second)
// and when the process ends. A busy server so makes one write call per few hundred requests
// instead of one per request, and no request waits on the terminal or pipe behind stdout.
#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace wangge::http {

// The process's access logger, created and registered as "access" on first use. Thread-safe.
std::shared_ptr<spdlog::logger> access_logger();

}  // namespace wangge::http
