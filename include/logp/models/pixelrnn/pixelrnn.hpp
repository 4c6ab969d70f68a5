#pragma once
// PixelRNN (van den Oord, Kalchbrenner & Kavukcuoglu 2016): an autoregressive model of images
// that predicts each pixel from the pixels before it in raster order, with Row LSTM, Diagonal
// BiLSTM or masked-convolution (PixelCNN) layers (pixelrnn_network.hpp). log_prob is the exact
// log-likelihood, sum over pixels of log p(x_p | x_<p), nats; binary images use a Bernoulli per
// pixel, images with L > 2 levels a softmax over the L values.
//
// Data: an image spec with one channel (H, W, 1), binary or categorical. The gradient comes from
// the tape, one tape per shard; objective_and_grad draws nothing (rng unused), so a shard's gradient
// depends only on its columns.
#include <memory>
#include <string>

#include "logp/models/pixelrnn/pixelrnn_network.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

struct PixelRnnOptions {
  PixelRnnLayer layer = PixelRnnLayer::diagonal_bilstm;
  Index layers = 7;     // residual layers (the paper's MNIST model: 7 Diagonal BiLSTM layers)
  Index hidden = 16;    // h: LSTM units; the residual stream has 2h feature maps
  Index eval_chunk = 64;  // examples per tape in log_prob and sample (memory, not results)
};

class PixelRnnModel : public TrainableDensity {
 public:
  PixelRnnModel(DataSpec spec, PixelRnnOptions options);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "pixelrnn"; }
  std::string hyperparameters() const override;  // "layer=diag-bilstm, layers=7, hidden=16"
  // Ancestral sampling, pixel by pixel in raster order: D passes of the network over the batch,
  // a pixel of row i on the image's first i+1 rows only (the rows below cannot matter).
  Matrix sample(Index n, Rng& rng) const override;
  void save(const H5Group& g) const override;
  // Free parameters only: the masked (always zero) convolution taps are stored but not counted.
  Index num_parameters() const override { return network_.free_parameters(); }

  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  void initialize(Rng& rng) override;

  const PixelRnnNetwork& network() const { return network_; }
  const PixelRnnOptions& options() const { return options_; }

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  PixelRnnOptions options_;
  PixelRnnNetwork network_;
};

}  // namespace logp
