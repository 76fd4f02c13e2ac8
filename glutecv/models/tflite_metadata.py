"""Attach TFLite model metadata (input normalisation and colour space) to a ``.tflite`` model.

MediaPipe's Tasks API reads how to turn an RGB image into the model's float input tensor from
the model's own metadata: ``(pixel - mean) / std`` per channel, from a ``NormalizationOptions``
process unit on the input tensor. The models in the npm package carry no metadata, so we add it.

Metadata lives inside the model flatbuffer the standard TFLite way: the serialised
``ModelMetadata`` flatbuffer (file identifier ``M001``) becomes one more entry of ``Model.buffers``
and a ``Model.metadata`` entry named ``TFLITE_METADATA`` points at it. This module builds that
with the flatbuffer classes generated from the TFLite and metadata schemas that mediapipe ships
(``mediapipe.tasks.metadata``) and the ``flatbuffers`` package; the output is a pure function of
the input bytes (for one ``flatbuffers`` version), which keeps built bundles reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

from glutecv.errors import ModelError

METADATA_NAME = "TFLITE_METADATA"
TFLITE_IDENTIFIER = b"TFL3"
METADATA_IDENTIFIER = b"M001"
# Oldest metadata parser that understands every field written here (ModelMetadata, tensor
# names, ImageProperties and NormalizationOptions all exist since schema 1.0.0).
MIN_PARSER_VERSION = "1.0.0"
BUFFER_ALIGNMENT = 16  # bytes; TFLite's converter aligns weight buffers the same way


def add_image_input_metadata(
    model: bytes, *, name: str, description: str, mean: Sequence[float], std: Sequence[float],
) -> bytes:
    """Return ``model`` with metadata for one RGB image input normalised by ``mean``/``std``.

    ``mean`` and ``std`` are in pixel units (0..255 input), one value for all channels or one per
    channel. Existing ``TFLITE_METADATA`` is replaced. Raises ModelError if ``model`` is not a
    TFLite flatbuffer with exactly one input.
    """
    import flatbuffers
    import numpy as np
    from mediapipe.tasks.metadata import schema_py_generated as tfl

    if model[4:8] != TFLITE_IDENTIFIER:
        raise ModelError(f"{name}: not a TFLite model (file identifier {model[4:8]!r})")
    model_t = tfl.ModelT.InitFromObj(tfl.Model.GetRootAs(model, 0))
    graph = model_t.subgraphs[0]
    if len(graph.inputs) != 1:
        raise ModelError(f"{name}: expected one input tensor, found {len(graph.inputs)}")
    output_names = [_tensor_name(graph.tensors[i]) for i in graph.outputs]
    meta = _metadata_buffer(name, description, mean, std, output_names)

    meta_buffer = tfl.BufferT()
    meta_buffer.data = np.frombuffer(meta, dtype=np.uint8)
    model_t.buffers = list(model_t.buffers or [])
    model_t.metadata = [m for m in (model_t.metadata or []) if _name(m.name) != METADATA_NAME]
    model_t.buffers.append(meta_buffer)
    entry = tfl.MetadataT()
    entry.name = METADATA_NAME
    entry.buffer = len(model_t.buffers) - 1
    model_t.metadata.append(entry)
    model_t.buffers = [_AlignedBuffer(b) for b in model_t.buffers]

    builder = flatbuffers.Builder(len(model) + len(meta) + 4096)
    builder.Finish(model_t.Pack(builder), TFLITE_IDENTIFIER)
    return bytes(builder.Output())


def read_normalization(model: bytes) -> tuple[list[float], list[float]] | None:
    """The (mean, std) written into ``model``'s metadata, or None when it has none."""
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb
    from mediapipe.tasks.metadata import schema_py_generated as tfl

    root = tfl.Model.GetRootAs(model, 0)
    for i in range(root.MetadataLength()):
        entry = root.Metadata(i)
        if _name(entry.Name()) != METADATA_NAME:
            continue
        data = root.Buffers(entry.Buffer()).DataAsNumpy().tobytes()
        meta = meta_fb.ModelMetadataT.InitFromObj(meta_fb.ModelMetadata.GetRootAs(data, 0))
        unit = meta.subgraphMetadata[0].inputTensorMetadata[0].processUnits[0].options
        return [float(v) for v in unit.mean], [float(v) for v in unit.std]
    return None


def _metadata_buffer(
    name: str, description: str, mean: Sequence[float], std: Sequence[float],
    output_names: Sequence[str],
) -> bytes:
    import flatbuffers
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb

    norm = meta_fb.NormalizationOptionsT()
    norm.mean, norm.std = [float(v) for v in mean], [float(v) for v in std]
    unit = meta_fb.ProcessUnitT()
    unit.optionsType = meta_fb.ProcessUnitOptions.NormalizationOptions
    unit.options = norm

    image = meta_fb.ImagePropertiesT()
    image.colorSpace = meta_fb.ColorSpaceType.RGB
    content = meta_fb.ContentT()
    content.contentPropertiesType = meta_fb.ContentProperties.ImageProperties
    content.contentProperties = image

    image_input = meta_fb.TensorMetadataT()
    image_input.name = "image"
    image_input.description = "RGB image, normalised as (pixel - mean) / std"
    image_input.content = content
    image_input.processUnits = [unit]

    outputs = []
    for out_name in output_names:
        tensor = meta_fb.TensorMetadataT()
        tensor.name = out_name
        outputs.append(tensor)

    graph = meta_fb.SubGraphMetadataT()
    graph.name = name
    graph.inputTensorMetadata = [image_input]
    graph.outputTensorMetadata = outputs

    model_meta = meta_fb.ModelMetadataT()
    model_meta.name = name
    model_meta.description = description
    model_meta.subgraphMetadata = [graph]
    model_meta.minParserVersion = MIN_PARSER_VERSION

    builder = flatbuffers.Builder(1024)
    builder.Finish(model_meta.Pack(builder), METADATA_IDENTIFIER)
    return bytes(builder.Output())


def _name(raw: bytes | str | None) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else (raw or "")


def _tensor_name(tensor: object) -> str:
    return _name(getattr(tensor, "name", None))


class _AlignedBuffer:
    """A ``BufferT`` stand-in whose data vector starts on a 16-byte boundary when packed."""

    def __init__(self, buffer: object) -> None:
        self._buffer = buffer

    def Pack(self, builder):  # noqa: N802 - flatbuffers object-API method name
        from mediapipe.tasks.metadata import schema_py_generated as tfl

        buf = self._buffer
        data_offset = None
        if buf.data is not None and len(buf.data):
            raw = bytes(memoryview(buf.data))
            builder.StartVector(1, len(raw), BUFFER_ALIGNMENT)
            builder.head -= len(raw)
            builder.Bytes[builder.head:builder.head + len(raw)] = raw
            data_offset = builder.EndVector()
        tfl.BufferStart(builder)
        if data_offset is not None:
            tfl.BufferAddData(builder, data_offset)
        tfl.BufferAddOffset(builder, buf.offset)
        tfl.BufferAddSize(builder, buf.size)
        return tfl.BufferEnd(builder)
