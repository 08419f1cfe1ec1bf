// Generated once on 2026-11-25 with hid-tools 0.12 (PyPI `hid-tools`): for each non-empty fixture,
// `hidtools.hid.ReportDescriptor.from_bytes` — the parser behind `hid-decode` — was asked for every
// report (type, id, `bitsize` including the ID byte) and every field (`start` bit counted from the ID
// byte, `size`, `count`, `usage`, `logical_min/max`, `physical_min/max`, `unit`, `unit_exp`, `type`
// flags). Array fields print as ARRAY. Consecutive identical fields are run-length encoded: `xN` means
// N fields, each `size` bits after the previous one. Recorded as data so the tests need no Python.
let hidToolsReferenceDump = """
FILE 0003:256C:5101.0002.hid.bin 18
  input id=8 bits=96
    start=8 size=88 count=1 usage=0xff000001 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
FILE 0003:256C:5101.0003.hid.bin 93
  input id=10 bits=80
    start=8 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=9 size=1 count=1 usage=0xd0044 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=10 size=1 count=1 usage=0xd0045 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=11 size=1 count=1 usage=0xd003c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x3
    start=14 size=1 count=1 usage=0xd0032 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=15 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=16 count=1 usage=0x10030 lmin=0 lmax=32767 pmin=0 pmax=2048 unit=0x33 exp=-3 flags=0x2 x1
    start=32 size=16 count=1 usage=0x10031 lmin=0 lmax=32767 pmin=0 pmax=2048 unit=0x33 exp=-3 flags=0x2 x1
    start=48 size=16 count=1 usage=0xd0030 lmin=0 lmax=8191 pmin=0 pmax=2048 unit=0x33 exp=-3 flags=0x2 x1
    start=64 size=8 count=1 usage=0xd003d lmin=-127 lmax=127 pmin=0 pmax=2048 unit=0x33 exp=-3 flags=0x2 x1
    start=72 size=8 count=1 usage=0xd003e lmin=-127 lmax=127 pmin=0 pmax=2048 unit=0x33 exp=-3 flags=0x2 x1
FILE 0003:256C:5101.0004.hid.bin 40
  input id=3 bits=64
    start=8 size=1 count=1 usage=0x700e0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=9 size=1 count=1 usage=0x700e1 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=10 size=1 count=1 usage=0x700e2 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=11 size=1 count=1 usage=0x700e3 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=12 size=1 count=1 usage=0x700e4 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=13 size=1 count=1 usage=0x700e5 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=14 size=1 count=1 usage=0x700e6 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=15 size=1 count=1 usage=0x700e7 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=8 count=6 usage=ARRAY lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x0 x1
FILE 0003:056A:03EC.0002.hid.bin 1500
  input id=6 bits=272
    start=8 size=8 count=1 usage=0xd0054 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=17 size=1 count=1 usage=0xd0044 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=18 size=1 count=1 usage=0xd005a lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=19 size=1 count=1 usage=0xd0000 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=20 size=1 count=1 usage=0xd0045 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=21 size=1 count=1 usage=0xd003c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=22 size=1 count=1 usage=0xd0032 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=23 size=1 count=1 usage=0xd0000 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=24 size=16 count=1 usage=0x10030 lmin=0 lmax=29376 pmin=0 pmax=29376 unit=0x11 exp=-3 flags=0x2 x1
    start=40 size=8 count=1 usage=0x0 lmin=0 lmax=29376 pmin=0 pmax=29376 unit=0x11 exp=-3 flags=0x3 x1
    start=48 size=16 count=1 usage=0x10031 lmin=0 lmax=16524 pmin=0 pmax=16524 unit=0x11 exp=-3 flags=0x2 x1
    start=64 size=8 count=1 usage=0x0 lmin=0 lmax=16524 pmin=0 pmax=16524 unit=0x11 exp=-3 flags=0x3 x1
    start=72 size=16 count=1 usage=0xd0030 lmin=0 lmax=4095 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=88 size=16 count=1 usage=0xd003d lmin=-9000 lmax=9000 pmin=-9000 pmax=9000 unit=0x14 exp=-2 flags=0x2 x1
    start=104 size=16 count=1 usage=0xd003e lmin=-9000 lmax=9000 pmin=-9000 pmax=9000 unit=0x14 exp=-2 flags=0x2 x1
    start=120 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x2
    start=152 size=8 count=1 usage=0xff0d0132 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=160 size=32 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x2
    start=224 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=240 size=16 count=1 usage=0xd0056 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0xa x1
    start=256 size=16 count=1 usage=0xff0d0220 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0xa x1
  input id=19 bits=72
    start=8 size=8 count=1 usage=0x0 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=7 count=1 usage=0x0 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=23 size=1 count=1 usage=0xff0d0454 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=48 count=1 usage=0x0 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  input id=30 bits=272
    start=8 size=8 count=1 usage=0xff0d0054 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=1 count=1 usage=0xff0d0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=17 size=1 count=1 usage=0xff0d0044 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=18 size=1 count=1 usage=0xff0d005a lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=19 size=1 count=1 usage=0xff0d0000 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=20 size=1 count=1 usage=0xff0d0045 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=21 size=1 count=1 usage=0xff0d003c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=22 size=1 count=1 usage=0xff0d0032 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=23 size=1 count=1 usage=0xff0d0036 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=24 count=1 usage=0xff0d0130 lmin=0 lmax=29376 pmin=0 pmax=29376 unit=0x11 exp=-3 flags=0x2 x1
    start=48 size=24 count=1 usage=0xff0d0131 lmin=0 lmax=16524 pmin=0 pmax=16524 unit=0x11 exp=-3 flags=0x2 x1
    start=72 size=16 count=1 usage=0xff0d0030 lmin=0 lmax=4095 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=88 size=16 count=1 usage=0xff0d003d lmin=-90 lmax=90 pmin=-90 pmax=90 unit=0x14 exp=0 flags=0x2 x1
    start=104 size=16 count=1 usage=0xff0d003e lmin=-90 lmax=90 pmin=-90 pmax=90 unit=0x14 exp=0 flags=0x2 x1
    start=120 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x2
    start=152 size=8 count=1 usage=0xff0d0132 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=160 size=32 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x2
    start=224 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=240 size=16 count=1 usage=0xff0d0056 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0xa x1
    start=256 size=16 count=1 usage=0xff0d0220 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0xa x1
  input id=80 bits=136
    start=8 size=8 count=1 usage=0xff0d0200 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=6 count=1 usage=0xff0d0203 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=22 size=2 count=1 usage=0xff0d0204 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=1 count=1 usage=0xff0d0205 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=25 size=1 count=1 usage=0xff0d0206 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=26 size=6 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=32 size=8 count=1 usage=0xff0d0207 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=40 size=8 count=1 usage=0xff0d0208 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=48 size=8 count=1 usage=0xff0d0209 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=56 size=8 count=1 usage=0xff0d021a lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=64 size=1 count=1 usage=0xff0d021d lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=65 size=1 count=1 usage=0xff0d021c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=66 size=1 count=1 usage=0xff0d021b lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=67 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=72 size=64 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  input id=84 bits=392
    start=8 size=8 count=1 usage=0xff0d0201 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x48
  input id=85 bits=392
    start=8 size=8 count=1 usage=0xff0d0201 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x48
  input id=172 bits=1536
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x191
  input id=254 bits=16
    start=8 size=1 count=1 usage=0x10082 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x6 x1
    start=9 size=1 count=1 usage=0x10083 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x6 x1
    start=10 size=6 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  feature id=2 bits=16
    start=8 size=8 count=1 usage=0xff0d1002 lmin=1 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=3 bits=16
    start=8 size=8 count=1 usage=0xff0d1003 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=4 bits=16
    start=8 size=8 count=1 usage=0xff0d1004 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=7 bits=128
    start=8 size=8 count=1 usage=0xff0d1009 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=8 count=1 usage=0x0 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=24 size=16 count=1 usage=0xff0d1007 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=40 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=56 size=16 count=1 usage=0xff0d1008 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=72 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x3
    start=120 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  feature id=12 bits=72
    start=8 size=16 count=1 usage=0xff0d0d30 lmin=0 lmax=200 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=24 size=16 count=1 usage=0xff0d0d31 lmin=0 lmax=200 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=40 size=16 count=1 usage=0xff0d0d32 lmin=0 lmax=200 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=56 size=16 count=1 usage=0xff0d0d33 lmin=0 lmax=200 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
  feature id=13 bits=16
    start=8 size=8 count=1 usage=0xff0d100d lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=20 bits=112
    start=8 size=8 count=1 usage=0xff0d1014 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x13
  feature id=21 bits=120
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x14
  feature id=28 bits=216
    start=8 size=8 count=1 usage=0xff0d1015 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x26
  feature id=51 bits=152
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x18
  feature id=64 bits=544
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x67
  feature id=68 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=69 bits=264
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x32
  feature id=80 bits=136
    start=8 size=8 count=1 usage=0xff0d0202 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=6 count=1 usage=0xff0d0203 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=22 size=2 count=1 usage=0xff0d0204 lmin=0 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=1 count=1 usage=0xff0d0205 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=25 size=1 count=1 usage=0xff0d0206 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=26 size=6 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=32 size=8 count=1 usage=0xff0d0207 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=40 size=8 count=1 usage=0xff0d0208 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=48 size=8 count=1 usage=0xff0d0209 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=56 size=8 count=1 usage=0xff0d021a lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=64 size=1 count=1 usage=0xff0d021d lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=65 size=1 count=1 usage=0xff0d021c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=66 size=1 count=1 usage=0xff0d021b lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=67 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=72 size=64 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  feature id=96 bits=512
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x63
  feature id=97 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=98 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=101 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=102 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=103 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=104 bits=144
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x17
  feature id=111 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=203 bits=256
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x31
  feature id=204 bits=24
    start=8 size=8 count=1 usage=0xff0d10cc lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=205 bits=24
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=209 bits=2088
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x260
  feature id=210 bits=2088
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x260
  feature id=211 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=212 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=213 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=214 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=215 bits=72
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x8
  feature id=216 bits=104
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x12
  feature id=217 bits=20488
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2560
  feature id=218 bits=8232
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1028
  feature id=219 bits=56
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x6
  feature id=220 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=221 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=222 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=223 bits=280
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x34
  feature id=224 bits=16
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=225 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=226 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=227 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=228 bits=4096
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x511
FILE 0003:056A:03EC.0005.hid.bin 1779
  input id=3 bits=320
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x39
  input id=12 bits=400
    start=8 size=8 count=1 usage=0x0 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=8 count=1 usage=0xd0054 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=25 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=26 size=1 count=1 usage=0xd0047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=27 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=32 size=16 count=1 usage=0xd0051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=48 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=64 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=80 size=8 count=1 usage=0xd0048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=88 size=8 count=1 usage=0xd0049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=96 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=97 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=98 size=1 count=1 usage=0xd0047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=99 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=104 size=16 count=1 usage=0xd0051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=120 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=136 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=152 size=8 count=1 usage=0xd0048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=160 size=8 count=1 usage=0xd0049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=168 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=169 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=170 size=1 count=1 usage=0xd0047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=171 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=176 size=16 count=1 usage=0xd0051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=192 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=208 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=224 size=8 count=1 usage=0xd0048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=232 size=8 count=1 usage=0xd0049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=240 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=241 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=242 size=1 count=1 usage=0xd0047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=243 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=248 size=16 count=1 usage=0xd0051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=264 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=280 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=296 size=8 count=1 usage=0xd0048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=304 size=8 count=1 usage=0xd0049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=312 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=313 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=314 size=1 count=1 usage=0xd0047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=315 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=320 size=16 count=1 usage=0xd0051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=336 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=352 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=368 size=8 count=1 usage=0xd0048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=376 size=8 count=1 usage=0xd0049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=384 size=16 count=1 usage=0xd0056 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  input id=31 bits=64
    start=8 size=1 count=1 usage=0xd0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=9 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=10 size=6 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=16 count=1 usage=0x10030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=32 size=16 count=1 usage=0x10031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=48 size=16 count=1 usage=0xd0056 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  input id=48 bits=496
    start=8 size=8 count=1 usage=0x0 lmin=0 lmax=0 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=8 count=1 usage=0xff000054 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=1 count=1 usage=0xff000042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=25 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=26 size=1 count=1 usage=0xff000047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=27 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=32 size=16 count=1 usage=0xff000051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=48 size=16 count=1 usage=0xff000030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=64 size=16 count=1 usage=0xff000031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=80 size=8 count=1 usage=0xff000048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=88 size=8 count=1 usage=0xff000049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=96 size=1 count=1 usage=0xff000042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=97 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=98 size=1 count=1 usage=0xff000047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=99 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=104 size=16 count=1 usage=0xff000051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=120 size=16 count=1 usage=0xff000030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=136 size=16 count=1 usage=0xff000031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=152 size=8 count=1 usage=0xff000048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=160 size=8 count=1 usage=0xff000049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=168 size=1 count=1 usage=0xff000042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=169 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=170 size=1 count=1 usage=0xff000047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=171 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=176 size=16 count=1 usage=0xff000051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=192 size=16 count=1 usage=0xff000030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=208 size=16 count=1 usage=0xff000031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=224 size=8 count=1 usage=0xff000048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=232 size=8 count=1 usage=0xff000049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=240 size=1 count=1 usage=0xff000042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=241 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=242 size=1 count=1 usage=0xff000047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=243 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=248 size=16 count=1 usage=0xff000051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=264 size=16 count=1 usage=0xff000030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=280 size=16 count=1 usage=0xff000031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=296 size=8 count=1 usage=0xff000048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=304 size=8 count=1 usage=0xff000049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=312 size=1 count=1 usage=0xff000042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=313 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=314 size=1 count=1 usage=0xff000047 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=315 size=5 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=320 size=16 count=1 usage=0xff000051 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=336 size=16 count=1 usage=0xff000030 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=352 size=16 count=1 usage=0xff000031 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=368 size=8 count=1 usage=0xff000048 lmin=0 lmax=66 pmin=0 pmax=2983 unit=0x0 exp=0 flags=0x2 x1
    start=376 size=8 count=1 usage=0xff000049 lmin=0 lmax=36 pmin=0 pmax=1706 unit=0x0 exp=0 flags=0x2 x1
    start=384 size=16 count=1 usage=0xff000056 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=400 size=16 count=1 usage=0xff0d0220 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0xa x1
    start=416 size=1 count=1 usage=0xff0d0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=417 size=1 count=1 usage=0xff0d0044 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=418 size=1 count=1 usage=0xff0d005a lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=419 size=1 count=1 usage=0xff0d005d lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=420 size=1 count=1 usage=0xff0d0045 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=421 size=1 count=1 usage=0xff0d003c lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=422 size=1 count=1 usage=0xff0d0032 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=423 size=1 count=1 usage=0xff0d0036 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=424 size=16 count=1 usage=0xff0d0130 lmin=0 lmax=11752 pmin=0 pmax=2938 unit=0x11 exp=-2 flags=0x2 x1
    start=440 size=16 count=1 usage=0xff0d0131 lmin=0 lmax=6608 pmin=0 pmax=1652 unit=0x11 exp=-2 flags=0x2 x1
    start=456 size=8 count=1 usage=0xff0d0132 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=464 size=16 count=1 usage=0xff0d003d lmin=-90 lmax=90 pmin=-90 pmax=90 unit=0x14 exp=0 flags=0x2 x1
    start=480 size=16 count=1 usage=0xff0d003e lmin=-90 lmax=90 pmin=-90 pmax=90 unit=0x14 exp=0 flags=0x2 x1
  feature id=2 bits=16
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=3 bits=512
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x63
  feature id=4 bits=128
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x15
  feature id=5 bits=72
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x8
  feature id=7 bits=2056
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x256
  feature id=8 bits=1088
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x135
  feature id=9 bits=512
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x63
  feature id=12 bits=16
    start=8 size=8 count=1 usage=0xd0055 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=13 bits=64
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x7
  feature id=14 bits=24
    start=8 size=8 count=1 usage=0xd0052 lmin=0 lmax=10 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=8 count=1 usage=0xd0053 lmin=0 lmax=10 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=18 bits=512
    start=8 size=8 count=1 usage=0xffd20000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x63
  feature id=49 bits=16
    start=8 size=8 count=1 usage=0xff001021 lmin=0 lmax=3 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
FILE 0003:056A:0374.000A.hid.bin 759
  input id=16 bits=216
    start=8 size=1 count=1 usage=0xff0d0042 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=9 size=1 count=1 usage=0xff0d0044 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=10 size=1 count=1 usage=0xff0d005a lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=11 size=2 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=13 size=1 count=1 usage=0xff0d0032 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=14 size=1 count=1 usage=0xff0d0036 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=15 size=1 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=24 count=1 usage=0xff0d0130 lmin=0 lmax=15200 pmin=0 pmax=15200 unit=0x11 exp=-3 flags=0x2 x1
    start=40 size=24 count=1 usage=0xff0d0131 lmin=0 lmax=9500 pmin=0 pmax=9500 unit=0x11 exp=-3 flags=0x2 x1
    start=64 size=16 count=1 usage=0xff0d0030 lmin=0 lmax=4095 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x2 x1
    start=80 size=48 count=1 usage=0x0 lmin=0 lmax=4095 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x3 x1
    start=128 size=8 count=1 usage=0xff0d0132 lmin=0 lmax=63 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x2 x1
    start=136 size=32 count=1 usage=0xff0d005b lmin=-2147483648 lmax=2147483647 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x2 x1
    start=168 size=32 count=1 usage=0xff0d005c lmin=-2147483648 lmax=2147483647 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x2 x1
    start=200 size=16 count=1 usage=0xff0d0077 lmin=0 lmax=4095 pmin=0 pmax=9500 unit=0x0 exp=0 flags=0x2 x1
  input id=17 bits=72
    start=8 size=1 count=1 usage=0xff0d0910 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=9 size=1 count=1 usage=0xff0d0911 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=10 size=1 count=1 usage=0xff0d0912 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=11 size=1 count=1 usage=0xff0d0913 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=12 size=4 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=16 size=56 count=1 usage=0x0 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  input id=19 bits=72
    start=8 size=7 count=1 usage=0xff0d043b lmin=0 lmax=100 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=15 size=1 count=1 usage=0xff0d0404 lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=24 size=48 count=1 usage=0x0 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  input id=172 bits=1536
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x191
  feature id=2 bits=16
    start=8 size=8 count=1 usage=0xff0d1002 lmin=2 lmax=2 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=3 bits=16
    start=8 size=8 count=1 usage=0xff0d1003 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=4 bits=16
    start=8 size=8 count=1 usage=0xff0d1004 lmin=1 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=7 bits=128
    start=8 size=8 count=1 usage=0xff0d1009 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=16 size=8 count=1 usage=0x0 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
    start=24 size=16 count=1 usage=0xff0d1007 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=40 size=16 count=1 usage=0xff0d0000 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
    start=56 size=72 count=1 usage=0x0 lmin=0 lmax=65535 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  feature id=12 bits=72
    start=8 size=16 count=1 usage=0xff0d0d30 lmin=0 lmax=400 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=24 size=16 count=1 usage=0xff0d0d31 lmin=0 lmax=400 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=40 size=16 count=1 usage=0xff0d0d32 lmin=0 lmax=400 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
    start=56 size=16 count=1 usage=0xff0d0d33 lmin=0 lmax=400 pmin=0 pmax=200 unit=0x11 exp=-3 flags=0x2 x1
  feature id=13 bits=16
    start=8 size=8 count=1 usage=0xff0d100d lmin=0 lmax=1 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=20 bits=112
    start=8 size=8 count=1 usage=0xff0d1014 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x13
  feature id=21 bits=120
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x14
  feature id=22 bits=120
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x14
  feature id=49 bits=48
    start=8 size=8 count=1 usage=0xff0d1031 lmin=0 lmax=100 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x3
    start=32 size=16 count=1 usage=0x0 lmin=0 lmax=100 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x3 x1
  feature id=51 bits=152
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x18
  feature id=53 bits=88
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x10
  feature id=68 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=69 bits=264
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x32
  feature id=96 bits=512
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x63
  feature id=97 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=98 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=101 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=102 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=103 bits=40
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=104 bits=144
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x17
  feature id=111 bits=504
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x62
  feature id=204 bits=24
    start=8 size=8 count=1 usage=0xff0d10cc lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=205 bits=24
    start=8 size=8 count=1 usage=0xff0d0000 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=208 bits=72
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x8
  feature id=209 bits=2088
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x260
  feature id=210 bits=2088
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x260
  feature id=211 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=212 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=213 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=214 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=215 bits=72
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x8
  feature id=216 bits=104
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x12
  feature id=217 bits=10248
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1280
  feature id=218 bits=4136
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x516
  feature id=219 bits=56
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x6
  feature id=220 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=221 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=222 bits=40
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x4
  feature id=223 bits=280
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x34
  feature id=224 bits=16
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x1
  feature id=225 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=226 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=227 bits=24
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x2
  feature id=228 bits=4096
    start=8 size=8 count=1 usage=0xff0d0001 lmin=0 lmax=255 pmin=0 pmax=0 unit=0x0 exp=0 flags=0x2 x511
"""
