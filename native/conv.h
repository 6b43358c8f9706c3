// TicketLab's native NHWC float32 convolutions (conv.cc): forward, input and filter gradients.
#pragma once

#include <cstdint>

namespace ticketlab {

// The geometry of a 2-D convolution, dilation 1: x [n, h, w, ci], filter [kh, kw, ci, co],
// strides (sh, sw), top/left padding (pt, pl), y [n, ho, wo, co].
struct ConvGeometry {
  int n, h, w, ci, kh, kw, sh, sw, pt, pl, ho, wo, co;
};

// y = conv(x, w), on up to `threads` threads.
void Conv2dForward(const ConvGeometry& g, const float* x, const float* w, float* y, int threads);
// dx = the gradient of conv(x, w) with respect to x, given dy.
void Conv2dInputGrad(const ConvGeometry& g, const float* dy, const float* w, float* dx, int threads);
// dw = the gradient of conv(x, w) with respect to w, given x and dy.
void Conv2dFilterGrad(const ConvGeometry& g, const float* x, const float* dy, float* dw, int threads);

}  // namespace ticketlab
