#include "markov_tables.hpp"

#include <limits>

#include "logp/core/error.hpp"

namespace logp::markov {

// ---- DenseTable ----

DenseTable::DenseTable(std::uint64_t tables, std::uint64_t codes, int levels, double alpha)
    : tables_(tables), codes_(codes), levels_(levels), alpha_(alpha),
      counts_(tables * codes * static_cast<std::uint64_t>(levels), 0.0) {}

void DenseTable::finalize() {
  totals_.assign(tables_ * codes_, 0.0);
  log_p_.resize(counts_.size());
  for (std::uint64_t context = 0; context < tables_ * codes_; ++context) {
    const double* n = counts_.data() + context * static_cast<std::uint64_t>(levels_);
    double total = 0.0;
    for (int v = 0; v < levels_; ++v) total += n[v];
    totals_[context] = total;
    double* out = log_p_.data() + context * static_cast<std::uint64_t>(levels_);
    for (int v = 0; v < levels_; ++v) out[v] = log_smoothed(n[v], total, alpha_, levels_);
  }
}

int DenseTable::draw(std::uint64_t table, std::uint64_t code, double u) const {
  // The smallest v with u * (n(c) + alpha L) < sum_{w <= v} (n(c, w) + alpha).
  const double* n = counts_.data() + cell(table, code, 0);
  const double target = u * (total(table, code) + alpha_ * levels_);
  double cumulative = 0.0;
  for (int v = 0; v + 1 < levels_; ++v) {
    cumulative += n[v] + alpha_;
    if (target < cumulative) return v;
  }
  return levels_ - 1;
}

Index DenseTable::observed_contexts() const {
  Index observed = 0;
  for (double total : totals_) observed += total > 0.0 ? 1 : 0;
  return observed;
}

void DenseTable::for_each_count(const CountVisitor& fn) const {
  for (std::uint64_t t = 0; t < tables_; ++t)
    for (std::uint64_t c = 0; c < codes_; ++c) {
      if (totals_[t * codes_ + c] == 0.0) continue;
      for (int v = 0; v < levels_; ++v) {
        const double n = counts_[cell(t, c, v)];
        if (n > 0.0) fn(CountEntry{t, c, v, n});
      }
    }
}

// ---- SparseTable ----

SparseTable::SparseTable(std::uint64_t tables, int levels, double alpha)
    : tables_(tables), levels_(levels), words_((static_cast<std::uint64_t>(levels) + 63) / 64), alpha_(alpha),
      log_p_unseen_context_(log_smoothed(0.0, 0.0, alpha, levels)), table_begin_{0} {}

void SparseTable::add(std::uint64_t table, std::uint64_t code, int value, double n) {
  const bool same_context = !code_.empty() && table_begin_.size() == table + 1 && code_.back() == code;
  if (!same_context) {
    while (table_begin_.size() <= table) table_begin_.push_back(code_.size());  // tables before `table` are done
    code_.push_back(code);
    totals_.push_back(0.0);
    begin_.push_back(counts_.size());
    present_.resize(present_.size() + words_, 0);
  }
  present_[(code_.size() - 1) * words_ + static_cast<std::uint64_t>(value >> 6)] |= std::uint64_t{1} << (value & 63);
  counts_.push_back(n);
  totals_.back() += n;
}

void SparseTable::reserve(std::uint64_t contexts, std::uint64_t values) {
  code_.reserve(contexts);
  totals_.reserve(contexts);
  begin_.reserve(contexts + 1);
  present_.reserve(contexts * words_);
  counts_.reserve(values);
}

void SparseTable::finalize() {
  while (table_begin_.size() <= tables_) table_begin_.push_back(code_.size());
  begin_.push_back(counts_.size());
  log_p_unseen_value_.resize(code_.size());
  log_p_.resize(counts_.size());
  for (size_t c = 0; c < code_.size(); ++c) {
    log_p_unseen_value_[c] = log_smoothed(0.0, totals_[c], alpha_, levels_);
    for (std::uint64_t k = begin_[c]; k < begin_[c + 1]; ++k)
      log_p_[k] = log_smoothed(counts_[k], totals_[c], alpha_, levels_);
  }
}

double SparseTable::count(std::uint64_t table, std::uint64_t code, int value) const {
  const std::uint64_t c = find_context(table, code);
  if (c == kNone) return 0.0;
  const std::uint64_t k = find_value(c, value);
  return k == kNone ? 0.0 : counts_[k];
}

double SparseTable::total(std::uint64_t table, std::uint64_t code) const {
  const std::uint64_t c = find_context(table, code);
  return c == kNone ? 0.0 : totals_[c];
}

int SparseTable::draw(std::uint64_t table, std::uint64_t code, double u) const {
  // As DenseTable::draw, with n(c, v) = 0 for the values the context never saw.
  const std::uint64_t c = find_context(table, code);
  const double total = c == kNone ? 0.0 : totals_[c];
  const double target = u * (total + alpha_ * levels_);
  double cumulative = 0.0;
  for (int v = 0; v + 1 < levels_; ++v) {
    const std::uint64_t k = c == kNone ? kNone : find_value(c, v);
    cumulative += (k == kNone ? 0.0 : counts_[k]) + alpha_;
    if (target < cumulative) return v;
  }
  return levels_ - 1;
}

void SparseTable::for_each_count(const CountVisitor& fn) const {
  for (std::uint64_t t = 0; t < tables_; ++t)
    for (std::uint64_t c = table_begin_[t]; c < table_begin_[t + 1]; ++c) {
      const std::uint64_t* bits = present_.data() + c * words_;
      std::uint64_t k = begin_[c];
      for (int v = 0; v < levels_; ++v)
        if ((bits[v >> 6] >> (v & 63)) & 1) fn(CountEntry{t, code_[c], v, counts_[k++]});
    }
}

// ---- SparseCounter ----

void SparseCounter::add_count(Item& into, std::uint32_t n) {
  if (into.count > std::numeric_limits<std::uint32_t>::max() - n)
    throw Error("markov fit: more than 2^32 - 1 examples share one (position, context, value); use fewer examples");
  into.count += n;
}

void SparseCounter::flush() {
  for (size_t t = 0; t < pending_.size(); ++t) {
    std::vector<Item>& batch = pending_[t];
    if (batch.empty()) continue;
    std::sort(batch.begin(), batch.end(), ItemLess{});
    std::vector<Item>& run = runs_[t];
    std::vector<Item> merged;
    merged.reserve(run.size() + batch.size());
    size_t a = 0;
    size_t b = 0;
    while (a < run.size() || b < batch.size()) {
      const bool take_run = b == batch.size() || (a < run.size() && !ItemLess{}(batch[b], run[a]));
      const Item next = take_run ? run[a++] : batch[b++];
      if (!merged.empty() && merged.back().code == next.code && merged.back().value == next.value)
        add_count(merged.back(), next.count);
      else
        merged.push_back(next);
    }
    run.swap(merged);
    batch.clear();
  }
}

void SparseCounter::drain_into(SparseTable& table) {
  flush();
  std::vector<std::vector<Item>>().swap(pending_);
  std::uint64_t contexts = 0;
  std::uint64_t values = 0;
  for (const std::vector<Item>& run : runs_) {
    values += run.size();
    for (size_t k = 0; k < run.size(); ++k) contexts += k == 0 || run[k].code != run[k - 1].code ? 1 : 0;
  }
  table.reserve(contexts, values);
  for (size_t t = 0; t < runs_.size(); ++t) {
    for (const Item& item : runs_[t]) table.add(t, item.code, item.value, static_cast<double>(item.count));
    std::vector<Item>().swap(runs_[t]);
  }
  table.finalize();
}

}  // namespace logp::markov
