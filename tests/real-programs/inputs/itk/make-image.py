#!/usr/bin/env python3
"""Writes image.iwi.cbor: a 96 x 64 float32 2-D image in ITK-Wasm's CBOR image format (the
only image format the itkwasm-*-wasi pipelines read from a file), for the itk-* cases.

  python3 make-image.py [OUT=image.iwi.cbor] [WIDTH=96] [HEIGHT=64]

The layout follows ITK-Wasm's WasmImageIO (a map: imageType, origin, spacing, direction,
size, metadata, data). Its CBOR reader wants `dimension` and `components` as 32-bit and the
sizes as 64-bit unsigned integers (libcbor's cbor_get_uint32/uint64 read a fixed width), the
direction as tag 86 (float64 little-endian array) and float32 pixels as tag 85.
"""
import math
import struct
import sys


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError(n)


def enc(v):
    if isinstance(v, tuple) and v[0] == "u32":
        return bytes([26]) + struct.pack(">I", v[1])
    if isinstance(v, tuple) and v[0] == "u64":
        return bytes([27]) + struct.pack(">Q", v[1])
    if isinstance(v, tuple) and v[0] == "tag":
        return head(6, v[1]) + enc(v[2])
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, int):
        return head(0, v)
    if isinstance(v, str):
        return head(3, len(v.encode())) + v.encode()
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(enc(k) + enc(x) for k, x in v.items())
    raise TypeError(v)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "image.iwi.cbor"
    w = int(sys.argv[2]) if len(sys.argv) > 2 else 96
    h = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    # smooth waves, a ramp and a fine checker pattern: something for the filters to smooth
    pixels = [100 * math.sin(x / 5.0) * math.cos(y / 7.0) + (x * 7 + y * 13) % 17 - 0.25 * ((x ^ y) & 15)
              for y in range(h) for x in range(w)]
    doc = {
        "imageType": {"dimension": ("u32", 2), "componentType": "float32", "pixelType": "Scalar",
                      "components": ("u32", 1)},
        "origin": [1.5, -2.0],
        "spacing": [0.5, 0.75],
        "direction": ("tag", 86, struct.pack("<4d", 1.0, 0.0, 0.0, 1.0)),
        "size": [("u64", w), ("u64", h)],
        "metadata": {},
        "data": ("tag", 85, struct.pack("<%df" % len(pixels), *pixels)),
    }
    with open(out, "wb") as f:
        f.write(enc(doc))


if __name__ == "__main__":
    main()
