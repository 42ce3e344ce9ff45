#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wangge::http {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ':';
  });
}

std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// {a="1",b="2"}, with extra (le="…") appended; empty when there are no labels at all.
std::string label_text(const Labels& labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (out.size() > 1) out += ',';
    out += fmt::format("{}=\"{}\"", k, escape_label(v));
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  return out + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  for (size_t i = 1; i < bounds_.size(); ++i) {
    if (!(bounds_[i - 1] < bounds_[i])) {
      throw std::invalid_argument("histogram bounds must increase strictly");
    }
  }
}

void Histogram::observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::cumulative_counts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricsRegistry::Series& MetricsRegistry::series(std::string_view name, std::string_view help,
                                                 Type type, const Labels& labels) {
  if (!valid_name(name)) throw std::invalid_argument(fmt::format("bad metric name {}", name));
  for (const auto& [k, v] : labels) {
    if (!valid_name(k) || k.find(':') != std::string::npos) {
      throw std::invalid_argument(fmt::format("bad label name {} on {}", k, name));
    }
  }
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{type, std::string(help), {}}).first;
  } else if (it->second.type != type) {
    throw std::invalid_argument(fmt::format("metric {} registered with another type", name));
  }
  return it->second.series[labels];
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& s = series(name, help, Type::counter, labels);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& s = series(name, help, Type::gauge, labels);
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::vector<double> bounds, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto& s = series(name, help, Type::histogram, labels);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *s.histogram;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                     const Labels& labels, std::function<double()> fn) {
  std::lock_guard lock(mu_);
  series(name, help, Type::gauge, labels).callback = std::move(fn);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(family.help), name,
                       kTypes[static_cast<int>(family.type)]);
    for (const auto& [labels, s] : family.series) {
      if (s.counter) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), number(s.counter->value()));
      } else if (s.histogram) {
        const auto& bounds = s.histogram->bounds();
        auto counts = s.histogram->cumulative_counts();
        for (size_t i = 0; i < counts.size(); ++i) {
          std::string le = i < bounds.size() ? number(bounds[i]) : "+Inf";
          out += fmt::format("{}_bucket{} {}\n", name, label_text(labels, "le=\"" + le + "\""),
                             counts[i]);
        }
        out += fmt::format("{}_sum{} {}\n", name, label_text(labels), number(s.histogram->sum()));
        out += fmt::format("{}_count{} {}\n", name, label_text(labels), counts.back());
      } else if (s.callback) {
        try {
          out += fmt::format("{}{} {}\n", name, label_text(labels), number(s.callback()));
        } catch (...) {
          // A failing source omits its sample rather than failing the whole scrape.
        }
      } else if (s.gauge) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), number(s.gauge->value()));
      }
    }
  }
  return out;
}

}  // namespace wangge::http
