#pragma once
// Every autodiff op: include this to build models on the tape.
#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/batch_norm.hpp"
#include "logp/autodiff/conv.hpp"
#include "logp/autodiff/density.hpp"
#include "logp/autodiff/dropout.hpp"
#include "logp/autodiff/elementwise.hpp"
#include "logp/autodiff/reduce.hpp"
#include "logp/autodiff/shape.hpp"
#include "logp/autodiff/tape.hpp"
