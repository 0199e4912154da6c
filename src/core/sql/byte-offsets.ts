/**
 * libpg-query reports positions as UTF-8 byte offsets; editors and JavaScript strings count
 * UTF-16 code units. This converts one into the other for a given text.
 */
export function byteToUtf16Mapper(text: string): (byteOffset: number) => number {
  // Pure ASCII (the usual case): identical. (A regex, not a loop: it runs before the JIT warms up.)
  if (!NON_ASCII.test(text)) return (b) => Math.max(0, Math.min(b, text.length));

  // Byte offset at which each UTF-16 index starts, searched by bisection.
  const starts = new Float64Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    starts[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        starts[++i] = bytes; // the low surrogate shares the code point's bytes; point past it
        continue;
      }
      bytes += 3;
    } else bytes += 3;
  }
  starts[text.length] = bytes;
  return (b) => {
    if (b <= 0) return 0;
    if (b >= bytes) return text.length;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= b) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

const NON_ASCII = /[^\x00-\x7f]/;
