#pragma once
// The domain feature network: a small CNN classifier trained on a dataset's labelled train
// split, whose penultimate layer is the "logp features" space of the sample metrics.
// Features from it are never to be compared with Inception features (FID values differ in scale
// and meaning); tools say so beside every number computed in this space.
//
// Architecture (images H x W x C, layout of autodiff/conv.hpp):
//   conv 3x3 stride 2 pad 1 -> C1 channels, relu   [H*W*C]        -> [H1*W1*C1]
//   conv 3x3 stride 2 pad 1 -> C2 channels, relu   [H1*W1*C1]     -> [H2*W2*C2]
//   linear -> F features, relu                     (the feature space, F = `features`)
//   linear -> K classes, log-softmax               (cross-entropy, nats)
// Inputs are pixel values times input_scale (1/(levels-1) for discrete data, 1 for real).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

class DatasetSplit;
class H5Group;
class OptionList;

struct FeatureNetworkOptions {
  Index channels1 = 16;
  Index channels2 = 32;
  Index features = 128;      // F, the penultimate width
  int epochs = 3;
  Index batch_size = 128;
  Index shard_size = 32;     // examples per TBB task; fixes the summation order (thread-count independent)
  double learning_rate = 1e-3;  // Adam
  std::uint64_t seed = 0;
};

// The options above as declared options (`logp fit features` reads them; names as on the
// command line, defaults from the struct). The list refers to `options`, which must outlive it.
OptionList feature_network_option_list(FeatureNetworkOptions& options);

// How the network was trained, stored with it.
struct FeatureNetworkRecord {
  std::string data_file;
  Index train_examples = 0;
  Index test_examples = 0;
  double test_accuracy = 0.0;  // fraction in [0, 1] on the test split
  double seconds = 0.0;
};

class FeatureNetwork {
 public:
  // spec: an image spec (H, W, C); classes: K labels 0..K-1.
  FeatureNetwork(DataSpec spec, Index classes, const FeatureNetworkOptions& options);
  ~FeatureNetwork();
  FeatureNetwork(FeatureNetwork&&) noexcept;
  FeatureNetwork& operator=(FeatureNetwork&&) noexcept;

  // x: D x N pixel values as stored; labels: N in 0..K-1. progress(epoch, mean train loss nats).
  void train(const Matrix& x, const std::vector<std::int64_t>& labels,
             const std::function<void(int epoch, double loss)>& progress = {});

  // x: D x N -> F x N penultimate activations (double). TBB-parallel over blocks of a fixed
  // width (the last one padded), so a column's features do not depend on N or on its neighbours.
  MatrixD features(const Matrix& x) const;
  // Both outputs at once, evaluated as features() is: F x N features and K x N class
  // log-probabilities log p(k | x) (log-softmax, nats; each column's exp sums to 1).
  struct Outputs {
    MatrixD features;   // F x N
    MatrixD log_probs;  // K x N
  };
  Outputs outputs(const Matrix& x) const;
  // Fraction of x's columns classified as their label.
  double accuracy(const Matrix& x, const std::vector<std::int64_t>& labels) const;

  const DataSpec& data_spec() const;
  Index feature_dim() const;
  Index classes() const;
  Index num_parameters() const;  // the flat store's size
  const FeatureNetworkRecord& record() const;
  void set_record(const FeatureNetworkRecord& record);
  std::string architecture() const;  // "CNN 16-32-128, 10 classes"
  std::string describe() const;  // "logp features: CNN 16-32-128 trained on FILE, test accuracy 88.1%"

  void save(const std::string& path) const;  // HDF5, written atomically
  static FeatureNetwork load(const std::string& path);
  // Into / from a group of a larger file (a model that holds a network, e.g. geom): the
  // options, record, data spec (subgroup data) and parameters (subgroup parameters). load checks
  // sizes against the stored blocks and the parameters for finiteness; errors name the group.
  void save(const H5Group& g) const;
  static FeatureNetwork load(const H5Group& g);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Trains a network on the labelled `train` split (K = largest label + 1 classes) and measures its
// accuracy on the labelled `test` split; the record names data_file. log gets one line per epoch
// (mean training cross-entropy, nats/example). Errors name the split when labels are missing or
// out of range.
FeatureNetwork fit_feature_network(const DatasetSplit& train, const DatasetSplit& test, const std::string& data_file,
                                   const FeatureNetworkOptions& options, std::ostream& log);

}  // namespace logp
