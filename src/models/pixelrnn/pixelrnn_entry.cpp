#include "logp/models/pixelrnn/pixelrnn_entry.hpp"

#include "logp/models/pixelrnn/pixelrnn.hpp"
#include "logp/models/training_fit.hpp"

namespace logp {
namespace {

class PixelRnnFit final : public ModelFit {
 public:
  PixelRnnFit() {
    options_.add_choice("layer", "layer type", pixelrnn_.layer,
                        {{"row-lstm", PixelRnnLayer::row_lstm},
                         {"diag-bilstm", PixelRnnLayer::diagonal_bilstm},
                         {"conv", PixelRnnLayer::conv}});
    options_.add("layers", "residual layers (the paper's MNIST model: 7)", pixelrnn_.layers, Range::positive);
    options_.add("hidden", "h: LSTM units / feature maps per layer", pixelrnn_.hidden, Range::positive);
    declare_training_options(options_, training_);
  }
  std::unique_ptr<Model> fit(const FitContext& context) override {
    auto model = std::make_unique<PixelRnnModel>(context.train.spec(), pixelrnn_);
    train_for_fit(*model, context, training_);
    return model;
  }

 private:
  PixelRnnOptions pixelrnn_;
  TrainingSettings training_;
};

}  // namespace

ModelEntry pixelrnn_entry() {
  return {"pixelrnn", "PixelRNN (Row LSTM, Diagonal BiLSTM) and PixelCNN on images, exact log-likelihood",
          ModelKind::exact_density, [] { return std::unique_ptr<ModelFit>(new PixelRnnFit); }, &PixelRnnModel::load};
}

}  // namespace logp
