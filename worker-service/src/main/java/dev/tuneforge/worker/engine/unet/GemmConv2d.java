package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Conv2d;
import dev.tuneforge.worker.engine.nn.ParameterViews;
import dev.tuneforge.worker.engine.nn.Layer;

/**
 * A square-kernel convolution that runs as one matrix product when that is cheaper than
 * libtorch's convolution kernel. At the UNet's deep, low-resolution levels a 3×3 convolution has
 * far more weights (up to 2560·1280·9) than output positions; libtorch's oneDNN path re-lays those
 * weights out on every call, which costs more than the arithmetic. Unfolding the few input
 * patches ({@code C·k·k × N·H·W}) and multiplying by the weights in their stored layout reads each
 * weight once. 1×1 convolutions are plain products over channels. Larger maps go to the regular
 * kernel, which is faster there. Same function, same parameters: only the schedule differs.
 */
public final class GemmConv2d implements Layer {

    /**
     * Unfold when output positions (batch included) are at most this fraction of the output
     * channels: measured on SD 1.5 shapes, unfolding wins clearly at 8×8 and below (64 positions,
     * 1280 channels) and loses at 16×16 with 640 channels.
     */
    private static final int POSITIONS_PER_CHANNEL_DIVISOR = 8;

    private final Conv2d conv;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final NDArray weightMatrix;
    private final NDArray biasColumn;

    public GemmConv2d(Conv2d conv, int kernel, int stride, int padding) {
        this.conv = conv;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long out = conv.outChannels();
        this.weightMatrix = conv.weight().reshape(out, conv.inChannels() * kernel * kernel);
        this.biasColumn = conv.bias() == null ? null : conv.bias().reshape(out, 1);
    }

    @Override
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long outH = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long outW = (s.get(3) + 2L * padding - kernel) / stride + 1;
        boolean pointwise = kernel == 1 && stride == 1 && padding == 0;
        if (!pointwise && s.get(0) * outH * outW * POSITIONS_PER_CHANNEL_DIVISOR > conv.outChannels()) {
            return conv.forward(x);
        }
        // Channels first, batch second: the patch matrix then spans the whole batch, so one product
        // reads the weights once for all images.
        NDArray channelsFirst = x.transpose(1, 0, 2, 3);
        NDArray patches = pointwise ? channelsFirst.reshape(s.get(1), -1) : unfold(channelsFirst, outH, outW);
        NDArray product = ParameterViews.current(conv.weight(), weightMatrix, patches).matMul(patches);
        // DJL puts a result in its first operand's manager: move it out of the long-lived weights' one.
        product.attach(patches.getManager());
        if (biasColumn != null) {
            product.addi(ParameterViews.current(conv.bias(), biasColumn, patches));
        }
        NDArray perImage = product.reshape(conv.outChannels(), s.get(0), outH, outW);
        return s.get(0) == 1 ? perImage.reshape(1, conv.outChannels(), outH, outW)
                : perImage.transpose(1, 0, 2, 3).reshape(-1).reshape(s.get(0), conv.outChannels(), outH, outW);
    }

    /** {@code (C, N, H, W)} to the patch matrix {@code (C·k·k, N·outH·outW)}, rows ordered as the weights. */
    private NDArray unfold(NDArray channelsFirst, long outH, long outW) {
        NDArray padded = padding == 0 ? channelsFirst
                : channelsFirst.pad(new Shape(padding, padding, padding, padding), 0);
        NDList shifted = new NDList(kernel * kernel);
        long spanH = stride * (outH - 1) + 1;
        long spanW = stride * (outW - 1) + 1;
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                shifted.add(padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", ky, ky + spanH, stride, kx,
                        kx + spanW, stride)));
            }
        }
        long channels = channelsFirst.getShape().get(0);
        return NDArrays.stack(shifted, 1).reshape(channels * kernel * kernel, -1);
    }
}
