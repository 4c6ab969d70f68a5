// The losses of image-to-image translation (include/logp/models/gan/translation_loss.hpp).
#include "logp/models/gan/translation_loss.hpp"

#include "logp/autodiff/ops.hpp"
#include "logp/core/error.hpp"

namespace logp {

template <class T>
ad::BasicVar<T> patch_least_squares(ad::BasicVar<T> d, T target, T weight) {
  require(d.rows() >= 1, "patch_least_squares: the grid has no outputs");
  return ad::scale(ad::sum(ad::square(ad::add_scalar(d, -target))), weight / static_cast<T>(d.rows()));
}

template <class T>
ad::BasicVar<T> mean_l1_loss(ad::BasicVar<T> x, ad::BasicVar<T> y) {
  require(x.rows() == y.rows() && x.cols() == y.cols(), "mean_l1_loss: the images differ in shape");
  return ad::scale(ad::sum(ad::leaky_relu(ad::sub(x, y), T(-1))), T(1) / static_cast<T>(x.rows()));
}

template <class T>
ad::BasicVar<T> class_cross_entropy(ad::BasicVar<T> logits, ad::BasicVar<T> one_hot) {
  require(logits.rows() == one_hot.rows() && logits.cols() == one_hot.cols(),
          "class_cross_entropy: logits and classes differ in shape");
  return ad::scale(ad::sum(ad::mul(ad::log_softmax(logits), one_hot)), T(-1));
}

#define LOGP_INSTANTIATE(T)                                                              \
  template ad::BasicVar<T> patch_least_squares(ad::BasicVar<T>, T, T);                  \
  template ad::BasicVar<T> mean_l1_loss(ad::BasicVar<T>, ad::BasicVar<T>);                 \
  template ad::BasicVar<T> class_cross_entropy(ad::BasicVar<T>, ad::BasicVar<T>);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp
