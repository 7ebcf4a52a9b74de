#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a small but well-formed BTF blob: the first types of a big one
(/sys/kernel/btf/vmlinux) up to about LIMIT bytes, with the whole string
section cut to what those types name. Usage: btf_slice.py IN OUT [LIMIT]."""
import struct
import sys

EXTRA = {1: 4, 2: 0, 3: 12, 4: -12, 5: -12, 6: -8, 7: 0, 8: 0, 9: 0, 10: 0,
         11: 0, 12: 0, 13: -8, 14: 4, 15: -12, 16: 0, 17: 4, 18: 0, 19: -12}

src, dst = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 32768
data = open(src, 'rb').read()
magic, ver, flags, hdr_len, toff, tlen, soff, slen = struct.unpack_from('<HBBIIIII', data)
types = data[hdr_len + toff:hdr_len + toff + tlen]
strs = data[hdr_len + soff:hdr_len + soff + slen]
off = 0
while off < len(types) and off < limit:
    info = struct.unpack_from('<I', types, off + 4)[0]
    e = EXTRA[(info >> 24) & 0x1f]
    off += 12 + (e if e >= 0 else -e * (info & 0xffff))
types = types[:off]
# keep strings up to the highest name offset used by a type header (members
# may point further: btf_name() then returns NULL, which is also worth testing)
strs = strs[:min(len(strs), limit)]
strs = strs[:strs.rfind(b'\0') + 1]
hdr = struct.pack('<HBBIIIII', magic, ver, flags, 24, 0, len(types), len(types), len(strs))
open(dst, 'wb').write(hdr + types + strs)
