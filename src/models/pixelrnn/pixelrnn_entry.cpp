#include "logp/models/pixelrnn/pixelrnn_entry.hpp"

#include "logp/models/pixelrnn/pixelrnn.hpp"
#include "logp/models/training_fit.hpp"

namespace logp {
namespace {

class PixelRnnFit final : public TrainedModelFit<PixelRnnModel, PixelRnnOptions> {
 public:
  PixelRnnFit() {
    options_.add_choice("layer", "layer type", model_options_.layer,
                        {{"row-lstm", PixelRnnLayer::row_lstm},
                         {"diag-bilstm", PixelRnnLayer::diagonal_bilstm},
                         {"conv", PixelRnnLayer::conv}});
    options_.add("layers", "residual layers (the paper's MNIST model: 7)", model_options_.layers, Range::positive);
    options_.add("hidden", "h: LSTM units / feature maps per layer", model_options_.hidden, Range::positive);
    declare_training();
  }
};

}  // namespace

ModelEntry pixelrnn_entry() {
  return {"pixelrnn", "PixelRNN (Row LSTM, Diagonal BiLSTM) and PixelCNN on images, exact log-likelihood",
          ModelKind::exact_density, [] { return std::unique_ptr<ModelFit>(new PixelRnnFit); }, &PixelRnnModel::load};
}

}  // namespace logp
