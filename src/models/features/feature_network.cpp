#include "logp/models/features/feature_network.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/nn/conv_stack.hpp"
#include "logp/nn/linear.hpp"
#include "logp/train/optimizer.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

struct FeatureNetwork::Impl {
  DataSpec spec;
  Index classes = 0;
  FeatureNetworkOptions options;
  FeatureNetworkRecord record;
  float input_scale = 1.0f;
  ParameterStore store;
  nn::ConvStack conv;
  nn::Linear hidden, output;

  void build() {
    require(spec.is_image(), "feature network: needs image data (H, W, C), got " + spec.describe());
    require(classes >= 2, "feature network: needs at least 2 classes, got " + std::to_string(classes));
    input_scale = spec.is_discrete() ? 1.0f / static_cast<float>(spec.levels - 1) : 1.0f;
    const std::vector<nn::ConvLayerSpec> layers = {{options.channels1, 3, 2, 1, false, 0},
                                                   {options.channels2, 3, 2, 1, false, 0}};
    conv = nn::ConvStack::add_to(store, "conv", spec.shape[0], spec.shape[1], spec.shape[2], layers,
                                 nn::Activation::relu);
    hidden = nn::Linear::add_to(store, "features", conv.out_size(), options.features);
    output = nn::Linear::add_to(store, "classes", options.features, classes);
  }

  // x: D x n pixel values -> the tape nodes of the F x n features and the K x n log-probabilities.
  std::pair<ad::Var, ad::Var> forward(ad::Tape& tape, const Matrix& x, std::span<float> grad) const {
    const Matrix scaled = x * input_scale;
    const ad::Var in = tape.constant(scaled);
    const ad::Var h = ad::relu(conv.forward(tape, in, store, grad));     // [H2*W2*C2, n]
    const ad::Var f = ad::relu(hidden.forward(tape, h, store, grad));    // [F, n]
    const ad::Var lp = ad::log_softmax(output.forward(tape, f, store, grad));  // [K, n], nats
    return {f, lp};
  }

  // Applies fn(first, count, features, log_probs) over blocks of exactly 256 columns in parallel
  // (the last block padded with copies of its first column; fn reads the first count columns), so
  // every GEMM has the same width whatever N is.
  void evaluate(const Matrix& x, const std::function<void(Index, Index, const Matrix&, const Matrix&)>& fn) const {
    constexpr Index kBlock = 256;
    const Index blocks = (x.cols() + kBlock - 1) / kBlock;
    tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1), [&](const tbb::blocked_range<Index>& range) {
      ad::Tape tape;
      std::vector<float> scratch(static_cast<size_t>(store.size()));  // unused gradients
      Matrix block(x.rows(), kBlock);
      for (Index b = range.begin(); b < range.end(); ++b) {
        tape.clear();
        const Index first = b * kBlock, count = std::min(kBlock, x.cols() - first);
        block.leftCols(count) = x.middleCols(first, count);
        for (Index j = count; j < kBlock; ++j) block.col(j) = x.col(first);
        const auto [f, lp] = forward(tape, block, scratch);
        fn(first, count, f.value(), lp.value());
      }
    }, tbb::simple_partitioner());
  }
};

FeatureNetwork::FeatureNetwork(DataSpec spec, Index classes, const FeatureNetworkOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->spec = std::move(spec);
  impl_->classes = classes;
  impl_->options = options;
  impl_->build();
  Rng rng(options.seed);
  impl_->conv.initialize(impl_->store, rng);
  impl_->hidden.initialize(impl_->store, rng, true);
  impl_->output.initialize(impl_->store, rng, false);
}

FeatureNetwork::~FeatureNetwork() = default;
FeatureNetwork::FeatureNetwork(FeatureNetwork&&) noexcept = default;
FeatureNetwork& FeatureNetwork::operator=(FeatureNetwork&&) noexcept = default;

void FeatureNetwork::train(const Matrix& x, const std::vector<std::int64_t>& labels,
                           const std::function<void(int, double)>& progress) {
  Impl& m = *impl_;
  const Index n = x.cols();
  require(x.rows() == m.spec.dim, "feature network: examples have D=" + std::to_string(x.rows()) + ", the network takes " +
                                      std::to_string(m.spec.dim));
  require(static_cast<Index>(labels.size()) == n && n >= 1, "feature network: needs one label per example");
  for (std::int64_t y : labels)
    require(y >= 0 && y < m.classes, "feature network: label " + std::to_string(y) + " outside 0.." +
                                         std::to_string(m.classes - 1));
  OptimizerOptions optimizer_options;
  optimizer_options.learning_rate = m.options.learning_rate;
  Optimizer optimizer(optimizer_options, m.store.size());
  Rng rng(m.options.seed + 1);
  std::vector<Index> order(static_cast<size_t>(n));
  const Index shard = m.options.shard_size, batch = m.options.batch_size;
  const Index shards_per_batch = (batch + shard - 1) / shard;
  std::vector<std::vector<float>> grads(static_cast<size_t>(shards_per_batch),
                                        std::vector<float>(static_cast<size_t>(m.store.size())));
  std::vector<double> losses(static_cast<size_t>(shards_per_batch));
  std::vector<float> total(static_cast<size_t>(m.store.size()));
  for (int epoch = 0; epoch < m.options.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), Index{0});
    for (Index i = n - 1; i > 0; --i)  // Fisher-Yates: the order depends on (seed, epoch) only
      std::swap(order[static_cast<size_t>(i)], order[rng.uniform_index(static_cast<std::uint64_t>(i + 1))]);
    double epoch_loss = 0.0;
    for (Index first = 0; first < n; first += batch) {
      const Index count = std::min(batch, n - first), shards = (count + shard - 1) / shard;
      tbb::parallel_for(tbb::blocked_range<Index>(0, shards, 1), [&](const tbb::blocked_range<Index>& range) {
        ad::Tape tape;
        for (Index s = range.begin(); s < range.end(); ++s) {
          const Index begin = first + s * shard, size = std::min(shard, first + count - begin);
          Matrix xs(x.rows(), size);
          Matrix onehot = Matrix::Zero(m.classes, size);  // K x size
          for (Index j = 0; j < size; ++j) {
            const Index e = order[static_cast<size_t>(begin + j)];
            xs.col(j) = x.col(e);
            onehot(labels[static_cast<size_t>(e)], j) = 1.0f;
          }
          std::vector<float>& grad = grads[static_cast<size_t>(s)];
          std::fill(grad.begin(), grad.end(), 0.0f);
          tape.clear();
          const ad::Var lp = m.forward(tape, xs, grad).second;
          const ad::Var loss = ad::scale(ad::sum(ad::mul(lp, tape.constant(onehot))), -1.0f);  // summed NLL, nats
          tape.backward(loss);
          losses[static_cast<size_t>(s)] = loss.value()(0, 0);
        }
      }, tbb::simple_partitioner());
      std::fill(total.begin(), total.end(), 0.0f);
      for (Index s = 0; s < shards; ++s) {  // fixed order: the same sum for any thread count
        const std::vector<float>& grad = grads[static_cast<size_t>(s)];
        for (size_t i = 0; i < total.size(); ++i) total[i] += grad[i];
        epoch_loss += losses[static_cast<size_t>(s)];
      }
      for (float& g : total) g /= static_cast<float>(count);
      optimizer.step(m.store.values(), total, epoch);
    }
    if (progress) progress(epoch, epoch_loss / static_cast<double>(n));
  }
}

MatrixD FeatureNetwork::features(const Matrix& x) const { return outputs(x).features; }

FeatureNetwork::Outputs FeatureNetwork::outputs(const Matrix& x) const {
  require(x.rows() == impl_->spec.dim, "feature network: examples have D=" + std::to_string(x.rows()) +
                                           ", the network takes " + std::to_string(impl_->spec.dim));
  Outputs out{MatrixD(impl_->options.features, x.cols()), MatrixD(impl_->classes, x.cols())};
  impl_->evaluate(x, [&](Index first, Index count, const Matrix& f, const Matrix& lp) {
    out.features.middleCols(first, count) = f.leftCols(count).cast<double>();
    out.log_probs.middleCols(first, count) = lp.leftCols(count).cast<double>();
  });
  return out;
}

double FeatureNetwork::accuracy(const Matrix& x, const std::vector<std::int64_t>& labels) const {
  require(static_cast<Index>(labels.size()) == x.cols() && x.cols() > 0, "feature network: needs one label per example");
  std::vector<Index> correct(static_cast<size_t>(x.cols()));
  impl_->evaluate(x, [&](Index first, Index count, const Matrix&, const Matrix& lp) {
    for (Index j = 0; j < count; ++j) {
      Index best = 0;
      lp.col(j).maxCoeff(&best);
      correct[static_cast<size_t>(first + j)] = best == labels[static_cast<size_t>(first + j)] ? 1 : 0;
    }
  });
  return static_cast<double>(std::accumulate(correct.begin(), correct.end(), Index{0})) / static_cast<double>(x.cols());
}

const DataSpec& FeatureNetwork::data_spec() const { return impl_->spec; }
Index FeatureNetwork::feature_dim() const { return impl_->options.features; }
Index FeatureNetwork::classes() const { return impl_->classes; }
Index FeatureNetwork::num_parameters() const { return impl_->store.size(); }
const FeatureNetworkRecord& FeatureNetwork::record() const { return impl_->record; }
void FeatureNetwork::set_record(const FeatureNetworkRecord& record) { impl_->record = record; }

std::string FeatureNetwork::architecture() const {
  return "CNN " + std::to_string(impl_->options.channels1) + "-" + std::to_string(impl_->options.channels2) + "-" +
         std::to_string(impl_->options.features) + ", " + std::to_string(impl_->classes) + " classes";
}

std::string FeatureNetwork::describe() const {
  std::ostringstream out;
  out << "logp features: CNN " << impl_->options.channels1 << "-" << impl_->options.channels2 << "-"
      << impl_->options.features << " trained on " << impl_->record.data_file << " (" << impl_->record.train_examples
      << " examples), test accuracy " << std::fixed << std::setprecision(1) << 100.0 * impl_->record.test_accuracy
      << "% on " << impl_->record.test_examples << "; not comparable with Inception features";
  return out.str();
}

void FeatureNetwork::save(const std::string& path) const {
  AtomicOutput output(path);
  {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.set_attr("format", std::string("logp-feature-network"));
    root.set_attr("format_version", std::int64_t{1});
    save(root);
    file.flush();
  }
  output.commit();
}

void FeatureNetwork::save(const H5Group& g) const {
  g.set_attr("classes", static_cast<std::int64_t>(impl_->classes));
  g.set_attr("channels1", static_cast<std::int64_t>(impl_->options.channels1));
  g.set_attr("channels2", static_cast<std::int64_t>(impl_->options.channels2));
  g.set_attr("features", static_cast<std::int64_t>(impl_->options.features));
  g.set_attr("epochs", static_cast<std::int64_t>(impl_->options.epochs));
  g.set_attr("seed", static_cast<std::int64_t>(impl_->options.seed));
  g.set_attr("data_file", impl_->record.data_file);
  g.set_attr("train_examples", static_cast<std::int64_t>(impl_->record.train_examples));
  g.set_attr("test_examples", static_cast<std::int64_t>(impl_->record.test_examples));
  g.set_attr("test_accuracy", impl_->record.test_accuracy);
  g.set_attr("seconds", impl_->record.seconds);
  impl_->spec.save(g.create_group("data"));
  impl_->store.save(g.create_group("parameters"));
}

FeatureNetwork FeatureNetwork::load(const std::string& path) {
  const H5File file = H5File::open(path);
  const H5Group root = file.root();
  require(root.has_attr("format") && root.attr_string("format") == "logp-feature-network",
          path + ": not a logp feature network (no format=logp-feature-network)");
  return load(root);
}

FeatureNetwork FeatureNetwork::load(const H5Group& g) {
  FeatureNetworkOptions options;
  options.channels1 = read_int_attr(g, "channels1", 1, INT64_MAX);  // checked against the stored blocks
  options.channels2 = read_int_attr(g, "channels2", 1, INT64_MAX);
  options.features = read_int_attr(g, "features", 1, INT64_MAX);
  options.epochs = static_cast<int>(read_int_attr(g, "epochs", 0, INT32_MAX));
  options.seed = static_cast<std::uint64_t>(g.attr_int("seed"));
  const StoredBlocksGuard stored(g.group("parameters"));
  FeatureNetwork network(DataSpec::load(g.group("data")), read_int_attr(g, "classes", 2, INT64_MAX), options);
  network.impl_->store.load(g.group("parameters"));
  require_finite(std::span<const float>(network.impl_->store.values()),
                 g.file() + ":" + g.path() + "/parameters");
  FeatureNetworkRecord record;
  record.data_file = g.attr_string("data_file");
  record.train_examples = g.attr_int("train_examples");
  record.test_examples = g.attr_int("test_examples");
  record.test_accuracy = g.attr_double("test_accuracy");
  record.seconds = g.attr_double("seconds");
  network.set_record(record);
  return network;
}

}  // namespace logp
