;; The scanner's literal finder (see finder.ts): where any of up to 64 short literals ("needles")
;; occur in a range of bytes, and how many newlines come before each, 16 bytes at a time.
;;
;; Per block of 16 bytes, the positions where some needle's first three bytes may be are found at
;; once by nibble lookups ("shufti": each needle is given one of 8 bucket bits; a byte's low and
;; high nibble each select the buckets whose first, second or third byte has that nibble, and a
;; position is a candidate when one bucket is selected by all six; a two-byte needle's bucket is
;; selected by any third byte). The few candidates are checked byte by byte against the needles
;; of the buckets selected there, and a whole match is written out as a hit. Newlines are counted from
;; the same block. The main loop takes two blocks a round and looks at single positions only when
;; either has a candidate, which most rounds over a log have not. The scanner in JavaScript makes
;; one pass per literal plus one call per line for newlines; this is one pass for all of them.
;;
;; Assembled by scripts/build-wasm.mjs into finder-wasm.ts (checked by test/finder.test.ts).
;; Memory layout (also exported, so finder.ts reads it from here):
;;   0     6 × 16 bytes: bucket bits by low nibble of a first byte, high nibble of a first byte,
;;         low and high nibble of a second byte, low and high nibble of a third byte
;;   128   16 bytes: scratch (the bucket lanes of the block being checked)
;;   1024  64 × 16 bytes: the needles
;;   2048  64 × i32: their lengths (2 to 16)
;;   4096  hits: pairs of i32 (position × 64 + needle, newlines from the range's start to it)
;;   DATA  the caller's bytes, up to the end of memory less 32 (a block reads 18 bytes)
(module
  (memory (export "memory") 16)
  (global (export "nibbleTables") i32 (i32.const 0))
  (global (export "needleBytes") i32 (i32.const 1024))
  (global (export "needleLength") i32 (i32.const 2048))
  (global (export "hits") i32 (i32.const 4096))
  (global (export "maxHits") i32 (i32.const 40960))
  (global (export "data") i32 (i32.const 393216))
  ;; Newlines in the range of the last find.
  (global $newlines (export "newlines") (mut i32) (i32.const 0))
  ;; Where the next hit of the find in progress goes.
  (global $out (mut i32) (i32.const 4096))

  ;; Hits at positions [start, end) for needles 0..count-1, reading no byte at or past limit for a
  ;; match; returns how many (at most end - start: a position's hit is the first needle there).
  (func (export "find") (param $start i32) (param $end i32) (param $limit i32) (param $count i32) (result i32)
    (local $p i32) (local $v0 v128) (local $v1 v128) (local $w0 v128) (local $w1 v128) (local $acc v128) (local $acc2 v128)
    (local $f15 v128) (local $lo3 v128) (local $hi3 v128) (local $x0 v128) (local $x1 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $mask i32) (local $lines i32) (local $lines2 i32) (local $nl i32) (local $rest i32)
    (local.set $f15 (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (local.set $lo1 (v128.load (i32.const 0)))
    (local.set $hi1 (v128.load (i32.const 16)))
    (local.set $lo2 (v128.load (i32.const 32)))
    (local.set $hi2 (v128.load (i32.const 48)))
    (local.set $lo3 (v128.load (i32.const 64)))
    (local.set $hi3 (v128.load (i32.const 80)))
    (local.set $p (local.get $start))
    (global.set $out (i32.const 4096))
    ;; Two blocks a round while 32 bytes remain: one test for a candidate in either.
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))
        (local.set $acc (v128.and (v128.and
              (i8x16.swizzle (local.get $lo3) (v128.and (local.tee $x0 (v128.load offset=2 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi3) (v128.and (i16x8.shr_u (local.get $x0) (i32.const 4)) (local.get $f15)))) (v128.and
            (v128.and
              (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $v0 (v128.load align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi1) (v128.and (i16x8.shr_u (local.get $v0) (i32.const 4)) (local.get $f15))))
            (v128.and
              (i8x16.swizzle (local.get $lo2) (v128.and (local.tee $v1 (v128.load offset=1 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi2) (v128.and (i16x8.shr_u (local.get $v1) (i32.const 4)) (local.get $f15)))))))
        (local.set $lines (i8x16.bitmask (i8x16.eq (local.get $v0) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        (local.set $acc2 (v128.and (v128.and
              (i8x16.swizzle (local.get $lo3) (v128.and (local.tee $x1 (v128.load offset=18 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi3) (v128.and (i16x8.shr_u (local.get $x1) (i32.const 4)) (local.get $f15)))) (v128.and
            (v128.and
              (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $w0 (v128.load offset=16 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi1) (v128.and (i16x8.shr_u (local.get $w0) (i32.const 4)) (local.get $f15))))
            (v128.and
              (i8x16.swizzle (local.get $lo2) (v128.and (local.tee $w1 (v128.load offset=17 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi2) (v128.and (i16x8.shr_u (local.get $w1) (i32.const 4)) (local.get $f15)))))))
        (local.set $lines2 (i8x16.bitmask (i8x16.eq (local.get $w0) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        (if (v128.any_true (v128.or (local.get $acc) (local.get $acc2)))
          (then
            (local.set $mask (i32.xor (i8x16.bitmask (i8x16.eq (local.get $acc) (v128.const i64x2 0 0))) (i32.const 0xffff)))
            (if (local.get $mask)
              (then
                (v128.store (i32.const 128) (local.get $acc))
                (call $check (local.get $p) (local.get $mask) (local.get $lines) (local.get $nl) (local.get $limit) (local.get $count))))
            (local.set $mask (i32.xor (i8x16.bitmask (i8x16.eq (local.get $acc2) (v128.const i64x2 0 0))) (i32.const 0xffff)))
            (if (local.get $mask)
              (then
                (v128.store (i32.const 128) (local.get $acc2))
                (call $check (i32.add (local.get $p) (i32.const 16)) (local.get $mask) (local.get $lines2) (i32.add (local.get $nl) (i32.popcnt (local.get $lines))) (local.get $limit) (local.get $count))))))
        (local.set $nl (i32.add (local.get $nl) (i32.add (i32.popcnt (local.get $lines)) (i32.popcnt (local.get $lines2)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $pairs)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v0 (v128.load align=1 (local.get $p)))
        (local.set $v1 (v128.load offset=1 align=1 (local.get $p)))
        (local.set $lines (i8x16.bitmask (i8x16.eq (local.get $v0) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        ;; Positions where some bucket's first and second bytes may be.
        (local.set $acc
          (v128.and (v128.and
              (i8x16.swizzle (local.get $lo3) (v128.and (local.tee $x0 (v128.load offset=2 align=1 (local.get $p))) (local.get $f15)))
              (i8x16.swizzle (local.get $hi3) (v128.and (i16x8.shr_u (local.get $x0) (i32.const 4)) (local.get $f15)))) (v128.and
            (v128.and
              (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v0) (local.get $f15)))
              (i8x16.swizzle (local.get $hi1) (v128.and (i16x8.shr_u (local.get $v0) (i32.const 4)) (local.get $f15))))
            (v128.and
              (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v1) (local.get $f15)))
              (i8x16.swizzle (local.get $hi2) (v128.and (i16x8.shr_u (local.get $v1) (i32.const 4)) (local.get $f15)))))))
        (local.set $mask (i32.xor (i8x16.bitmask (i8x16.eq (local.get $acc) (v128.const i64x2 0 0))) (i32.const 0xffff)))
        ;; The last block may reach past end: drop what is there.
        (local.set $rest (i32.sub (local.get $end) (local.get $p)))
        (if (i32.lt_u (local.get $rest) (i32.const 16))
          (then
            (local.set $mask (i32.and (local.get $mask) (i32.sub (i32.shl (i32.const 1) (local.get $rest)) (i32.const 1))))
            (local.set $lines (i32.and (local.get $lines) (i32.sub (i32.shl (i32.const 1) (local.get $rest)) (i32.const 1))))))
        (if (local.get $mask)
          (then
            (v128.store (i32.const 128) (local.get $acc))
            (call $check (local.get $p) (local.get $mask) (local.get $lines) (local.get $nl) (local.get $limit) (local.get $count))))
        (local.set $nl (i32.add (local.get $nl) (i32.popcnt (local.get $lines))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)))
    (global.set $newlines (local.get $nl))
    (i32.shr_u (i32.sub (global.get $out) (i32.const 4096)) (i32.const 3)))

  ;; Each candidate position of the block at p (bits of mask): the needle that is there whole, if any,
  ;; as a hit. Only the needles of the buckets selected there (the block's lanes, at scratch) are tried.
  (func $check (param $p i32) (param $mask i32) (param $lines i32) (param $nl i32) (param $limit i32) (param $count i32)
    (local $bit i32) (local $q i32) (local $k i32) (local $len i32) (local $j i32) (local $out i32) (local $lane i32)
    (local.set $out (global.get $out))
    (block $candsDone
      (loop $cands
        (br_if $candsDone (i32.eqz (local.get $mask)))
        (local.set $bit (i32.ctz (local.get $mask)))
        (local.set $q (i32.add (local.get $p) (local.get $bit)))
        (local.set $lane (i32.load8_u offset=128 (local.get $bit)))
        (local.set $k (i32.const 0))
        (block $matched
          (loop $needles
            (br_if $matched (i32.ge_u (local.get $k) (local.get $count)))
            (local.set $len (i32.load offset=2048 (i32.shl (local.get $k) (i32.const 2))))
            (if (i32.and
                  (i32.and (i32.shr_u (local.get $lane) (i32.and (local.get $k) (i32.const 7))) (i32.const 1))
                  (i32.le_u (i32.add (local.get $q) (local.get $len)) (local.get $limit)))
              (then
                (local.set $j (i32.const 0))
                (block $differs
                  (loop $compare
                    (if (i32.ge_u (local.get $j) (local.get $len))
                      (then
                        (i32.store (local.get $out) (i32.or (i32.shl (local.get $q) (i32.const 6)) (local.get $k)))
                        (i32.store offset=4 (local.get $out)
                          (i32.add (local.get $nl)
                            (i32.popcnt (i32.and (local.get $lines) (i32.sub (i32.shl (i32.const 1) (local.get $bit)) (i32.const 1))))))
                        (local.set $out (i32.add (local.get $out) (i32.const 8)))
                        (br $matched)))
                    (br_if $differs
                      (i32.ne
                        (i32.load8_u (i32.add (local.get $q) (local.get $j)))
                        (i32.load8_u offset=1024 (i32.add (i32.shl (local.get $k) (i32.const 4)) (local.get $j)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $compare)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $needles)))
        (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
        (br $cands)))
    (global.set $out (local.get $out)))
)
