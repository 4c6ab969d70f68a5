#include "logp/models/markov/markov.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <variant>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "markov_context.hpp"
#include "markov_tables.hpp"

namespace logp {

using markov::ContextLayout;
using markov::CountEntry;
using markov::CountVisitor;
using markov::DenseTable;
using markov::SparseCounter;
using markov::SparseTable;

struct MarkovModel::Tables {
  ContextLayout layout;
  bool tied;
  std::variant<DenseTable, SparseTable> counts;
};

namespace {

constexpr Index kFitBatch = 4096;   // examples per batch when streaming a split
constexpr Index kScoreBlock = 256;  // examples scored together, pixel by pixel

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void check_spec(const DataSpec& spec, const std::string& where) {
  if (!spec.is_discrete())
    throw Error(where + ": the markov model needs binary or categorical data, got " + spec.describe() +
                " (real-valued data needs a continuous model)");
  if (spec.levels < 2 || spec.levels > 256)
    throw Error(where + ": the markov model handles 2..256 levels, got levels=" + std::to_string(spec.levels));
}

void check_alpha(double alpha, const std::string& where) {
  if (!(alpha > 0.0) || !std::isfinite(alpha))
    throw Error(where + ": --alpha must be > 0 (the Dirichlet pseudo-count per value), got " + number_text(alpha));
}

ContextLayout make_layout(const DataSpec& spec, const MarkovOptions& options) {
  if (options.context.empty()) return ContextLayout::raster(spec.dim, options.order, spec.levels);
  return ContextLayout::image(spec, options.context);
}

std::uint64_t table_count(const ContextLayout& layout, bool tied) {
  return tied ? 1 : static_cast<std::uint64_t>(layout.dim());
}

// Dense when tables x codes x levels <= limit (computed without overflow).
bool fits_dense(const ContextLayout& layout, bool tied, std::uint64_t limit) {
  const std::uint64_t per_code = table_count(layout, tied) * static_cast<std::uint64_t>(layout.levels());
  return layout.num_codes() <= limit / per_code;
}

// Copies one example (dim floats) into values[0..dim) as integers, checking each is 0..levels-1.
// values[dim] is the padding entry and is left alone. `example` and `where` name it in errors.
void read_example(const float* column, Index dim, int levels, std::uint16_t* values, Index example,
                  const std::string& where) {
  const float top = static_cast<float>(levels);
  for (Index i = 0; i < dim; ++i) {
    const float f = column[i];
    const bool in_range = f >= 0.0f && f < top;  // false for NaN
    const std::uint16_t v = in_range ? static_cast<std::uint16_t>(f) : 0;
    if (!in_range || static_cast<float>(v) != f)
      throw Error(where + ": value " + number_text(f) + " at example " + std::to_string(example) + ", dimension " +
                  std::to_string(i) + " is not an integer in 0.." + std::to_string(levels - 1));
    values[i] = v;
  }
}

// Adds the examples x (D x N; example `first` + j is column j) to counter.add(table, code, value, 1).
template <typename Counter>
void count_examples(const ContextLayout& layout, bool tied, ConstMatrixRef x, Index first, const std::string& where,
                    Counter& counter) {
  const Index dim = layout.dim();
  std::vector<std::uint16_t> values(static_cast<size_t>(dim + 1), static_cast<std::uint16_t>(layout.levels()));
  for (Index j = 0; j < x.cols(); ++j) {
    read_example(x.col(j).data(), dim, layout.levels(), values.data(), first + j, where);
    for (Index i = 0; i < dim; ++i)
      counter.add(tied ? 0 : static_cast<std::uint64_t>(i), layout.code(values.data(), i), values[i], 1.0);
  }
}

// Counts examples into a dense table or a sparse counter, whichever the table size calls for.
class Counts {
 public:
  Counts(ContextLayout layout, const MarkovOptions& options) : layout_(std::move(layout)), options_(options) {
    if (fits_dense(layout_, options.tied, options.dense_limit))
      dense_ = std::make_unique<DenseTable>(table_count(layout_, options.tied), layout_.num_codes(), layout_.levels(),
                                            options.alpha);
    else
      sparse_ = std::make_unique<SparseCounter>(table_count(layout_, options.tied));
  }

  // x: D x N, example first + j in column j; counted kFitBatch examples at a time.
  void add(ConstMatrixRef x, Index first, const std::string& where) {
    for (Index start = 0; start < x.cols(); start += kFitBatch) {
      const Index count = std::min(kFitBatch, x.cols() - start);
      if (dense_) {
        count_examples(layout_, options_.tied, x.middleCols(start, count), first + start, where, *dense_);
      } else {
        count_examples(layout_, options_.tied, x.middleCols(start, count), first + start, where, *sparse_);
        sparse_->flush();
      }
    }
  }

  const ContextLayout& layout() const { return layout_; }

  std::variant<DenseTable, SparseTable> finish() {
    if (dense_) {
      dense_->finalize();
      return std::move(*dense_);
    }
    SparseTable table(table_count(layout_, options_.tied), layout_.levels(), options_.alpha);
    sparse_->drain_into(table);
    sparse_.reset();
    return table;
  }

 private:
  ContextLayout layout_;
  MarkovOptions options_;
  std::unique_ptr<DenseTable> dense_;
  std::unique_ptr<SparseCounter> sparse_;
};

// An empty table in the storage the configuration calls for, to be filled with add() and finalize().
std::variant<DenseTable, SparseTable> empty_table(const ContextLayout& layout, const MarkovOptions& options) {
  const std::uint64_t tables = table_count(layout, options.tied);
  if (fits_dense(layout, options.tied, options.dense_limit))
    return DenseTable(tables, layout.num_codes(), layout.levels(), options.alpha);
  return SparseTable(tables, layout.levels(), options.alpha);
}

// log p(x_j) for each column j of x (D x N), in nats. Pixel-major within blocks of kScoreBlock
// examples, so that pixel i's table stays in cache across the block; each example's sum still runs
// over its pixels in raster order from 0, so its value does not depend on the other examples.
template <typename Table>
void score_examples(const ContextLayout& layout, bool tied, const Table& table, ConstMatrixRef x, Vector& out) {
  const Index dim = layout.dim();
  const Index stride = dim + 1;  // an example's values and its padding entry
  std::vector<std::uint16_t> values(static_cast<size_t>(stride * std::min(kScoreBlock, x.cols())));
  for (Index start = 0; start < x.cols(); start += kScoreBlock) {
    const Index count = std::min(kScoreBlock, x.cols() - start);
    for (Index j = 0; j < count; ++j) {
      std::uint16_t* example = values.data() + j * stride;
      read_example(x.col(start + j).data(), dim, layout.levels(), example, start + j, "markov log_prob");
      example[dim] = static_cast<std::uint16_t>(layout.levels());
    }
    out.segment(start, count).setZero();
    for (Index i = 0; i < dim; ++i) {
      const std::uint64_t t = tied ? 0 : static_cast<std::uint64_t>(i);
      for (Index j = 0; j < count; ++j) {
        const std::uint16_t* example = values.data() + j * stride;
        out(start + j) += table.log_p(t, layout.code(example, i), example[i]);
      }
    }
  }
}

// Ancestral sampling: each pixel from p(x_i | context) given the pixels already drawn.
template <typename Table>
void draw_examples(const ContextLayout& layout, bool tied, const Table& table, Rng& rng, Matrix& x) {
  const Index dim = layout.dim();
  std::vector<std::uint16_t> values(static_cast<size_t>(dim + 1), static_cast<std::uint16_t>(layout.levels()));
  for (Index j = 0; j < x.cols(); ++j)
    for (Index i = 0; i < dim; ++i) {
      const std::uint64_t code = layout.code(values.data(), i);
      const int v = table.draw(tied ? 0 : static_cast<std::uint64_t>(i), code, rng.uniform());
      values[static_cast<size_t>(i)] = static_cast<std::uint16_t>(v);
      x(i, j) = static_cast<float>(v);
    }
}

// Runs fn and prefixes any logp::Error it throws with `where`.
template <typename Fn>
auto with_where(const std::string& where, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Error(where + ": " + e.what());
  }
}

// The count datasets of a model file (layout in markov.hpp), with their lengths checked.
struct SavedCounts {
  std::vector<std::int64_t> tables;   // per context
  std::vector<std::uint64_t> codes;   // per context
  std::vector<std::int64_t> sizes;    // per context: how many of `values` are its
  std::vector<std::uint8_t> values;   // per observed value
  std::vector<std::int64_t> counts;   // per observed value
};

SavedCounts read_saved_counts(const H5Group& g) {
  SavedCounts saved{g.read<std::int64_t>("context_table"), g.read<std::uint64_t>("context_code"),
                    g.read<std::int64_t>("context_size"), g.read<std::uint8_t>("value"), g.read<std::int64_t>("count")};
  const auto check_length = [&](const char* name, size_t expected, const char* like) {
    const std::vector<std::uint64_t> dims = g.dims(name);
    if (dims.size() != 1 || dims[0] != expected)
      throw Error(g.where(name) + ": expected a 1-D dataset of " + std::to_string(expected) + " entries like " +
                  g.where(like) + " (corrupt model file?)");
  };
  check_length("context_table", saved.tables.size(), "context_table");
  check_length("context_code", saved.tables.size(), "context_table");
  check_length("context_size", saved.tables.size(), "context_table");
  check_length("value", saved.values.size(), "value");
  check_length("count", saved.values.size(), "value");
  return saved;
}

// Checks the saved counts against the layout (ranges, order, positive counts) while adding them to
// `table` in (table, code, value) order, then finalizes it. Errors name the dataset and entry.
template <typename Table>
void add_saved_counts(const H5Group& g, const SavedCounts& saved, const ContextLayout& layout, bool tied,
                      Table& table) {
  const auto bad = [&](const char* name, size_t k, const std::string& what) {
    return Error(g.where(name) + ": entry " + std::to_string(k) + " " + what + " (corrupt model file?)");
  };
  const std::uint64_t table_limit = table_count(layout, tied);
  const int levels = layout.levels();
  const std::int64_t max_count = std::int64_t{1} << 53;  // exact in double
  size_t k = 0;                                           // index into values and counts
  for (size_t c = 0; c < saved.tables.size(); ++c) {
    const std::int64_t t = saved.tables[c];
    const std::uint64_t code = saved.codes[c];
    if (t < 0 || static_cast<std::uint64_t>(t) >= table_limit)
      throw bad("context_table", c, "is table " + std::to_string(t) + ", outside 0.." +
                                        std::to_string(table_limit - 1));
    if (code >= layout.num_codes())
      throw bad("context_code", c, "is code " + std::to_string(code) + ", outside 0.." +
                                       std::to_string(layout.num_codes() - 1));
    if (c > 0 && (t < saved.tables[c - 1] || (t == saved.tables[c - 1] && code <= saved.codes[c - 1])))
      throw bad("context_code", c, "is out of (table, code) order or repeated");
    const std::int64_t size = saved.sizes[c];
    if (size < 1 || size > levels || static_cast<size_t>(size) > saved.values.size() - k)
      throw bad("context_size", c, "is " + std::to_string(size) + " values, not 1.." + std::to_string(levels) +
                                       " within the " + std::to_string(saved.values.size()) + " stored");
    for (const size_t first = k, end = k + static_cast<size_t>(size); k < end; ++k) {
      const int value = saved.values[k];
      if (value >= levels)
        throw bad("value", k, "is value " + std::to_string(value) + ", outside 0.." + std::to_string(levels - 1));
      if (k > first && value <= saved.values[k - 1])
        throw bad("value", k, "is out of order or repeated within its context");
      if (saved.counts[k] < 1 || saved.counts[k] > max_count)
        throw bad("count", k, "is count " + std::to_string(saved.counts[k]) + ", expected a positive integer");
      table.add(static_cast<std::uint64_t>(t), code, value, static_cast<double>(saved.counts[k]));
    }
  }
  if (k != saved.values.size())
    throw Error(g.where("context_size") + ": the context sizes add up to " + std::to_string(k) + " values but " +
                g.where("value") + " has " + std::to_string(saved.values.size()) + " (corrupt model file?)");
  table.finalize();
}

}  // namespace

MarkovModel::MarkovModel(DataSpec spec, MarkovOptions options, std::unique_ptr<Tables> tables)
    : DensityModel(std::move(spec)), options_(std::move(options)), tables_(std::move(tables)) {}

MarkovModel::~MarkovModel() = default;
MarkovModel::MarkovModel(MarkovModel&&) noexcept = default;

MarkovModel MarkovModel::fit(const DatasetSplit& train, const MarkovOptions& options) {
  check_spec(train.spec(), train.where());
  check_alpha(options.alpha, "markov fit");
  Counts counts(make_layout(train.spec(), options), options);
  for_each_batch(train, kFitBatch, [&](Index first, const Matrix& batch) { counts.add(batch, first, train.where()); });
  auto tables = std::make_unique<Tables>(Tables{counts.layout(), options.tied, counts.finish()});
  return MarkovModel(train.spec(), options, std::move(tables));
}

MarkovModel MarkovModel::fit(ConstMatrixRef x, const DataSpec& spec, const MarkovOptions& options) {
  check_spec(spec, "markov fit");
  check_alpha(options.alpha, "markov fit");
  if (x.rows() != spec.dim)
    throw Error("markov fit: the data has D=" + std::to_string(x.rows()) + " but the spec says D=" +
                std::to_string(spec.dim) + " (" + spec.describe() + ")");
  Counts counts(make_layout(spec, options), options);
  counts.add(x, 0, "markov fit");
  auto tables = std::make_unique<Tables>(Tables{counts.layout(), options.tied, counts.finish()});
  return MarkovModel(spec, options, std::move(tables));
}

std::string MarkovModel::hyperparameters() const {
  std::ostringstream out;
  if (options_.context.empty())
    out << "order=" << options_.order;
  else
    out << "context=" << format_context(options_.context);
  out << ", alpha=" << options_.alpha;
  if (options_.tied) out << ", tied";
  return out.str();
}

std::string_view MarkovModel::storage() const {
  return std::holds_alternative<DenseTable>(tables_->counts) ? "dense" : "sparse";
}

Index MarkovModel::context_slots() const { return tables_->layout.slots(); }

Index MarkovModel::num_parameters() const {
  // Depends on the configuration, never on the storage knob, so a saved and loaded model agrees.
  const ContextLayout& layout = tables_->layout;
  const Index per_context = layout.levels() - 1;
  if (!fits_dense(layout, tables_->tied, kMarkovDenseLimit))
    return std::visit([](const auto& t) { return t.observed_contexts(); }, tables_->counts) * per_context;
  // At most kMarkovDenseLimit cells, so these sums cannot overflow.
  std::uint64_t contexts = 0;
  if (tables_->tied)
    contexts = layout.reachable_codes_any();
  else
    for (Index i = 0; i < dim(); ++i) contexts += layout.reachable_codes(i);
  return static_cast<Index>(contexts) * per_context;
}

Vector MarkovModel::log_prob_impl(ConstMatrixRef x) const {
  Vector out(x.cols());
  std::visit([&](const auto& table) { score_examples(tables_->layout, tables_->tied, table, x, out); },
             tables_->counts);
  return out;
}

Matrix MarkovModel::sample(Index n, Rng& rng) const {
  require(n >= 0, "markov sample: n must be >= 0, got " + std::to_string(n));
  Matrix x(dim(), n);
  std::visit([&](const auto& table) { draw_examples(tables_->layout, tables_->tied, table, rng, x); }, tables_->counts);
  return x;
}

double MarkovModel::conditional(Index position, const std::vector<int>& context_values, int value) const {
  const std::string what = "markov conditional";
  if (position < 0 || position >= dim())
    throw Error(what + ": position " + std::to_string(position) + " is outside 0.." + std::to_string(dim() - 1));
  const int levels = tables_->layout.levels();
  if (value < 0 || value >= levels)
    throw Error(what + ": value " + std::to_string(value) + " is outside 0.." + std::to_string(levels - 1));
  const std::uint64_t code = tables_->layout.code_of(context_values, what);
  const std::uint64_t table = tables_->tied ? 0 : static_cast<std::uint64_t>(position);
  const auto smoothed = [&](const auto& t) {
    return markov::smoothed(t.count(table, code, value), t.total(table, code), options_.alpha, levels);
  };
  return std::visit(smoothed, tables_->counts);
}

void MarkovModel::save(const H5Group& g) const {
  g.set_attr("order", static_cast<std::int64_t>(options_.order));
  g.set_attr("context", format_context(options_.context));
  g.set_attr("alpha", options_.alpha);
  g.set_attr("tied", static_cast<std::int64_t>(options_.tied ? 1 : 0));
  // What order and context imply, so a load can tell when they no longer match the tables.
  g.set_attr("context_codes", static_cast<std::int64_t>(tables_->layout.num_codes()));
  // Per observed context: its table, code and number of observed values; per observed value: the
  // value and its count (layout in markov.hpp).
  std::vector<std::int64_t> context_tables, context_sizes, counts;
  std::vector<std::uint64_t> context_codes;
  std::vector<std::uint8_t> values;
  const CountVisitor collect = [&](const CountEntry& e) {
    const bool same_context = !context_codes.empty() && context_tables.back() == static_cast<std::int64_t>(e.table) &&
                              context_codes.back() == e.code;
    if (!same_context) {
      context_tables.push_back(static_cast<std::int64_t>(e.table));
      context_codes.push_back(e.code);
      context_sizes.push_back(0);
    }
    ++context_sizes.back();
    values.push_back(static_cast<std::uint8_t>(e.value));
    counts.push_back(static_cast<std::int64_t>(e.count));
  };
  std::visit([&](const auto& t) { t.for_each_count(collect); }, tables_->counts);
  const std::vector<std::uint64_t> contexts{context_codes.size()};
  const std::vector<std::uint64_t> entries{values.size()};
  g.write<std::int64_t>("context_table", contexts, context_tables.data());
  g.write<std::uint64_t>("context_code", contexts, context_codes.data());
  g.write<std::int64_t>("context_size", contexts, context_sizes.data());
  g.write<std::uint8_t>("value", entries, values.data());
  g.write<std::int64_t>("count", entries, counts.data());
}

namespace {

// Untied, table t counts position t of every training example once: all D tables hold the same
// total N. A table missing or off by a count means the file no longer describes one training set.
void check_table_totals(const H5Group& g, const SavedCounts& saved, Index dim) {
  std::vector<std::int64_t> totals(static_cast<std::size_t>(dim), 0);
  std::size_t k = 0;
  for (std::size_t c = 0; c < saved.tables.size(); ++c)
    for (std::int64_t v = 0; v < saved.sizes[c]; ++v, ++k) totals[static_cast<std::size_t>(saved.tables[c])] += saved.counts[k];
  for (std::size_t t = 0; t < totals.size(); ++t)
    if (totals[t] != totals[0])
      throw Error(g.where("count") + ": position " + std::to_string(t) + " counts " + std::to_string(totals[t]) +
                  " examples, position 0 counts " + std::to_string(totals[0]) + " (corrupt model file?)");
}

}  // namespace

std::unique_ptr<Model> MarkovModel::load(const H5Group& g, const DataSpec& spec) {
  const std::string here = g.file() + ":" + g.path();  // "model.h5:/model"
  check_spec(spec, here);
  MarkovOptions options;
  const std::int64_t order = g.attr_int("order");
  if (order < 0 || order > 64)
    throw Error(here + ": attribute order=" + std::to_string(order) + " is outside 0..64 (corrupt model file?)");
  options.order = static_cast<int>(order);
  options.context = with_where(here, [&] { return parse_context(g.attr_string("context")); });
  options.alpha = g.attr_double("alpha");
  check_alpha(options.alpha, here);
  const std::int64_t tied = g.attr_int("tied");
  if (tied != 0 && tied != 1)
    throw Error(here + ": attribute tied=" + std::to_string(tied) + " is not 0 or 1 (corrupt model file?)");
  options.tied = tied == 1;
  // Untied and fitted on N > 0 examples, every position's table holds a context: D is bounded by
  // what is stored before any per-position memory is allocated. (N = 0 stores no counts at all.)
  const std::vector<std::uint64_t> stored_contexts = g.dims("context_table");
  if (!options.tied && (stored_contexts.size() != 1 ||
                        (stored_contexts[0] > 0 && stored_contexts[0] < static_cast<std::uint64_t>(spec.dim))))
    throw Error(g.where("context_table") + ": " + (stored_contexts.size() == 1 ? std::to_string(stored_contexts[0]) : "?") +
                " contexts stored, fewer than the D = " + std::to_string(spec.dim) +
                " position tables of /data dim (corrupt model file?)");
  ContextLayout layout = with_where(here, [&] { return make_layout(spec, options); });
  if (g.has_attr("context_codes") && g.attr_int("context_codes") != static_cast<std::int64_t>(layout.num_codes()))
    throw Error(here + ": attributes order = " + std::to_string(options.order) + " and context = '" +
                g.attr_string("context") + "' give " + std::to_string(layout.num_codes()) +
                " context codes, but the tables were saved with " + std::to_string(g.attr_int("context_codes")) +
                " (attribute context_codes; corrupt model file?)");
  std::variant<DenseTable, SparseTable> counts = empty_table(layout, options);
  const SavedCounts saved = read_saved_counts(g);
  std::visit([&](auto& table) { add_saved_counts(g, saved, layout, options.tied, table); }, counts);
  if (!options.tied) {
    // Each stored context must be one its position can see: a table saved for another order or
    // template holds contexts whose padded slots are in the wrong places.
    for (std::size_t c = 0; c < saved.tables.size(); ++c)
      if (!layout.can_occur(static_cast<Index>(saved.tables[c]), saved.codes[c]))
        throw Error(g.where("context_code") + ": entry " + std::to_string(c) + " (position " +
                    std::to_string(saved.tables[c]) + ", code " + std::to_string(saved.codes[c]) +
                    ") cannot occur with attributes order = " + std::to_string(options.order) + ", context = '" +
                    g.attr_string("context") + "' (corrupt model file?)");
    check_table_totals(g, saved, spec.dim);
  }
  auto tables = std::make_unique<Tables>(Tables{std::move(layout), options.tied, std::move(counts)});
  return std::unique_ptr<Model>(new MarkovModel(spec, std::move(options), std::move(tables)));
}

}  // namespace logp
