#pragma once
// Count tables of a Markov model: n(t, c, v), the number of training examples whose pixel has
// value v in context code c, in table t (the pixel's position, or 0 when tied), and the smoothed
// conditionals p(v | c) = (n(t, c, v) + alpha) / (n(t, c) + alpha * levels) derived from them.
//
// DenseTable holds every (t, c, v) cell; SparseTable holds only the observed (t, c) contexts and,
// for each, only its observed values. Both are filled by add(t, c, v, n) and then finalize(), and
// both compute log p with the same expression from the same counts, so they agree bit for bit.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "logp/core/types.hpp"

namespace logp::markov {

// p(v | c) and log p(v | c) from counts n(c, v), n(c): the single definition both storages use.
inline double smoothed(double n_cv, double n_c, double alpha, int levels) {
  return (n_cv + alpha) / (n_c + alpha * levels);
}
inline double log_smoothed(double n_cv, double n_c, double alpha, int levels) {
  return std::log(smoothed(n_cv, n_c, alpha, levels));
}

// One nonzero count: `count` examples had value `value` in context `code` of table `table`.
struct CountEntry {
  std::uint64_t table = 0;
  std::uint64_t code = 0;
  int value = 0;
  double count = 0.0;
};
// Receives the nonzero counts in (table, code, value) order.
using CountVisitor = std::function<void(const CountEntry&)>;

// Every cell of tables x codes x levels (levels fastest). Memory: 24 bytes per cell.
class DenseTable {
 public:
  DenseTable(std::uint64_t tables, std::uint64_t codes, int levels, double alpha);

  // Adds n to n(t, c, v), in any order; then finalize() once.
  void add(std::uint64_t table, std::uint64_t code, int value, double n) { counts_[cell(table, code, value)] += n; }
  void finalize();

  double log_p(std::uint64_t table, std::uint64_t code, int value) const { return log_p_[cell(table, code, value)]; }
  double count(std::uint64_t table, std::uint64_t code, int value) const { return counts_[cell(table, code, value)]; }
  double total(std::uint64_t table, std::uint64_t code) const { return totals_[table * codes_ + code]; }
  int draw(std::uint64_t table, std::uint64_t code, double u) const;  // u in [0, 1)
  Index observed_contexts() const;
  void for_each_count(const CountVisitor& fn) const;

 private:
  std::uint64_t cell(std::uint64_t table, std::uint64_t code, int value) const {
    return (table * codes_ + code) * static_cast<std::uint64_t>(levels_) + static_cast<std::uint64_t>(value);
  }

  std::uint64_t tables_;
  std::uint64_t codes_;
  int levels_;
  double alpha_;
  std::vector<double> counts_;  // tables x codes x levels: n(t, c, v)
  std::vector<double> totals_;  // tables x codes: n(t, c)
  std::vector<double> log_p_;   // tables x codes x levels: log p(v | c), nats
};

// The observed contexts of each table, sorted by code, each with its observed values, sorted.
// A context is found by binary search among its table's codes, a value by its rank in the
// context's bitmap of observed values. Memory: 40 + 8 ceil(levels / 64) bytes per observed
// context, 16 per observed value.
class SparseTable {
 public:
  SparseTable(std::uint64_t tables, int levels, double alpha);

  // Adds a nonzero count. Calls must come in strictly increasing (table, code, value) order.
  void add(std::uint64_t table, std::uint64_t code, int value, double n);
  void reserve(std::uint64_t contexts, std::uint64_t values);  // optional, before the first add
  void finalize();

  double log_p(std::uint64_t table, std::uint64_t code, int value) const {
    const std::uint64_t c = find_context(table, code);
    if (c == kNone) return log_p_unseen_context_;
    const std::uint64_t k = find_value(c, value);
    return k == kNone ? log_p_unseen_value_[c] : log_p_[k];
  }
  double count(std::uint64_t table, std::uint64_t code, int value) const;
  double total(std::uint64_t table, std::uint64_t code) const;
  int draw(std::uint64_t table, std::uint64_t code, double u) const;  // u in [0, 1)
  Index observed_contexts() const { return static_cast<Index>(code_.size()); }
  void for_each_count(const CountVisitor& fn) const;

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};

  std::uint64_t find_context(std::uint64_t table, std::uint64_t code) const {
    const auto first = code_.begin() + static_cast<std::ptrdiff_t>(table_begin_[table]);
    const auto last = code_.begin() + static_cast<std::ptrdiff_t>(table_begin_[table + 1]);
    const auto it = std::lower_bound(first, last, code);
    return it != last && *it == code ? static_cast<std::uint64_t>(it - code_.begin()) : kNone;
  }
  // Position of `value` among context c's observed values, or kNone: a rank in its bitmap.
  std::uint64_t find_value(std::uint64_t c, int value) const {
    const std::uint64_t* bits = present_.data() + c * words_;
    const int word = value >> 6;
    const std::uint64_t bit = std::uint64_t{1} << (value & 63);
    if ((bits[word] & bit) == 0) return kNone;
    std::uint64_t k = begin_[c];
    for (int w = 0; w < word; ++w) k += static_cast<std::uint64_t>(std::popcount(bits[w]));
    return k + static_cast<std::uint64_t>(std::popcount(bits[word] & (bit - 1)));
  }

  std::uint64_t tables_;
  int levels_;
  std::uint64_t words_;  // bitmap words per context: ceil(levels / 64)
  double alpha_;
  double log_p_unseen_context_;              // log p(v | c) for a context never observed
  std::vector<std::uint64_t> table_begin_;   // tables + 1: table t's contexts are [table_begin_[t], table_begin_[t+1])
  std::vector<std::uint64_t> code_;          // per context, ascending within a table
  std::vector<double> totals_;               // per context: n(t, c)
  std::vector<double> log_p_unseen_value_;   // per context: log p(v | c) for a v with n(t, c, v) = 0
  std::vector<std::uint64_t> present_;       // contexts x words_: bit v set if n(t, c, v) > 0
  std::vector<std::uint64_t> begin_;         // contexts + 1: context c's values are [begin_[c], begin_[c+1])
  std::vector<double> counts_;               // per observed value: n(t, c, v)
  std::vector<double> log_p_;                // per observed value: log p(v | c), nats
};

// Counts (t, c, v) observations for a SparseTable in memory proportional to the distinct ones:
// add() queues an observation under its table, flush() sorts each table's queue and merges it into
// the table's sorted run. Call flush() every few thousand examples to bound the queues.
class SparseCounter {
 public:
  explicit SparseCounter(std::uint64_t tables) : pending_(tables), runs_(tables) {}

  void add(std::uint64_t table, std::uint64_t code, int value, double n) {
    pending_[table].push_back(Item{code, static_cast<std::uint32_t>(n), static_cast<std::uint16_t>(value)});
  }
  void flush();
  // Moves every count into `table` (in the order it needs), releasing the runs as it goes.
  void drain_into(SparseTable& table);

 private:
  struct Item {
    std::uint64_t code;
    std::uint32_t count;
    std::uint16_t value;
  };
  struct ItemLess {
    bool operator()(const Item& a, const Item& b) const {
      return a.code < b.code || (a.code == b.code && a.value < b.value);
    }
  };
  static void add_count(Item& into, std::uint32_t n);  // refuses overflow

  std::vector<std::vector<Item>> pending_;  // per table: observations since the last flush
  std::vector<std::vector<Item>> runs_;     // per table: sorted by (code, value), no repeats
};

}  // namespace logp::markov
