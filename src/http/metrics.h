// A small metrics registry rendered as Prometheus text (exposition format 0.0.4).
// Counters, gauges and histograms with fixed buckets, each optionally labelled; other
// components add gauges whose value is read at scrape time (DB pool, index size).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wangge::http {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  // REQUIRES: v >= 0.
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // REQUIRES: bounds are strictly increasing (the +Inf bucket is implicit).
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then the total count last.
  std::vector<uint64_t> cumulative_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, 1 ms to 10 s.
std::vector<double> default_latency_buckets();

// Thread-safe. The references returned stay valid for the registry's lifetime, so hot paths
// look a metric up once and keep it.
class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The metric of that name and labels, created on first use. Throws std::invalid_argument
  // when name is not a valid metric name or is already registered with another type.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       const Labels& labels = {});

  // Sets a gauge to value, creating it on first use: the simplest hook for a component that
  // knows a number (an index's size after a rebuild) and does not want to be called back.
  void set_gauge(std::string_view name, std::string_view help, double value,
                 const Labels& labels = {}) {
    gauge(name, help, labels).set(value);
  }

  // A gauge whose value is read by calling fn at each scrape. fn runs on the scraping thread
  // with the registry locked: it must be thread-safe, quick, and must not use this registry.
  // An exception from it omits the sample.
  void gauge_callback(std::string_view name, std::string_view help, const Labels& labels,
                      std::function<double()> fn);

  // The whole registry in Prometheus text format, metrics sorted by name.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Series {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> callback;
  };
  struct Family {
    Type type;
    std::string help;
    std::map<Labels, Series> series;
  };
  Series& series(std::string_view name, std::string_view help, Type type, const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace wangge::http
