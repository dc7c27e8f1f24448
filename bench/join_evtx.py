#!/usr/bin/env python3
"""Writes one EVTX file of at least SIZE_MB made of the chunks of real EVTX files.

A large single file of real events for benchmarks: `ashiato simulate --bulk-evtx-mb` writes
synthetic events of three kinds only, and the corpus is 48 MB in 340 small files. EVTX chunks are
self-contained (each has its own string and template tables), so the chunks of many files can be
put one after another under a new file header. The input chunks are taken in file order and
repeated until the size is reached; only chunks whose two checksums verify and whose records walk
cleanly are used (the corpus holds deliberately damaged files). Records are renumbered from 1 so
that record ids rise through the file, and every checksum is recomputed.

Usage: join_evtx.py SIZE_MB OUT.evtx DIR_OR_FILE...
"""
import os
import struct
import sys
import zlib

FILE_HEADER = 4096
CHUNK = 65536
CHUNK_HEADER = 512
MAX_CHUNKS = 0xFFFF  # the file header counts chunks in 16 bits


def crc(*parts):
    c = 0
    for p in parts:
        c = zlib.crc32(p, c)
    return c & 0xFFFFFFFF


def record_offsets(chunk):
    """Offsets of the chunk's records, or None when they do not walk cleanly to its free space."""
    free = struct.unpack_from("<I", chunk, 48)[0]
    if free < CHUNK_HEADER or free > CHUNK:
        return None
    offsets, at = [], CHUNK_HEADER
    while at < free:
        if at + 28 > free or chunk[at:at + 4] != b"\x2a\x2a\x00\x00":
            return None
        size = struct.unpack_from("<I", chunk, at + 4)[0]
        if size < 28 or at + size > free or struct.unpack_from("<I", chunk, at + size - 4)[0] != size:
            return None
        offsets.append(at)
        at += size
    return offsets if offsets else None


def clean_chunks(path):
    """The chunks of one file that verify, each with its record offsets."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < FILE_HEADER or data[:8] != b"ElfFile\x00":
        return []
    out = []
    for start in range(FILE_HEADER, len(data) - CHUNK + 1, CHUNK):
        chunk = data[start:start + CHUNK]
        if chunk[:8] != b"ElfChnk\x00":
            continue
        if struct.unpack_from("<I", chunk, 124)[0] != crc(chunk[:120], chunk[128:CHUNK_HEADER]):
            continue
        offsets = record_offsets(chunk)
        if offsets is None:
            continue
        free = struct.unpack_from("<I", chunk, 48)[0]
        if struct.unpack_from("<I", chunk, 52)[0] != crc(chunk[CHUNK_HEADER:free]):
            continue
        out.append((chunk, offsets))
    return out


def renumbered(chunk, offsets, first_id):
    c = bytearray(chunk)
    for i, at in enumerate(offsets):
        struct.pack_into("<Q", c, at + 8, first_id + i)
    last_id = first_id + len(offsets) - 1
    struct.pack_into("<QQQQ", c, 8, first_id, last_id, first_id, last_id)
    struct.pack_into("<I", c, 44, offsets[-1])
    free = struct.unpack_from("<I", c, 48)[0]
    struct.pack_into("<I", c, 52, crc(bytes(c[CHUNK_HEADER:free])))
    struct.pack_into("<I", c, 124, crc(bytes(c[:120]), bytes(c[128:CHUNK_HEADER])))
    return bytes(c)


def inputs(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(".evtx"):
                        yield os.path.join(root, name)
        else:
            yield p


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    wanted_chunks = -(-int(sys.argv[1]) * 1024 * 1024 // CHUNK)
    if wanted_chunks > MAX_CHUNKS:
        sys.exit("join_evtx: at most %d MB fit in one EVTX file" % (MAX_CHUNKS * CHUNK // (1024 * 1024)))
    chunks = [c for path in inputs(sys.argv[3:]) for c in clean_chunks(path)]
    if not chunks:
        sys.exit("join_evtx: no usable EVTX chunk in the inputs")
    next_id, written = 1, 0
    with open(sys.argv[2], "wb") as out:
        out.write(bytes(FILE_HEADER))
        while written < wanted_chunks:
            chunk, offsets = chunks[written % len(chunks)]
            out.write(renumbered(chunk, offsets, next_id))
            next_id += len(offsets)
            written += 1
        header = bytearray(FILE_HEADER)
        header[:8] = b"ElfFile\x00"
        struct.pack_into("<QQQIHHHH", header, 8, 0, written - 1, next_id, 128, 1, 3, FILE_HEADER, written)
        struct.pack_into("<I", header, 124, crc(bytes(header[:120])))
        out.seek(0)
        out.write(header)
    print("%s: %d chunks (%d distinct), %d records" % (sys.argv[2], written, len(chunks), next_id - 1))


if __name__ == "__main__":
    main()
