// An esbuild plugin that speeds up libpg-query's Emscripten glue (wasm/libpg-query.js) in our
// bundles. Each parse copies the SQL into WebAssembly memory and the JSON parse tree out of it;
// the glue does both a byte at a time in JavaScript:
//   - findStringEnd scans for the NUL after the JSON (megabytes for a large migration): a
//     typed-array indexOf does the same search natively;
//   - lengthBytesUTF8 + stringToUTF8 count and encode the SQL by hand: Buffer.byteLength and
//     TextEncoder.encodeInto do it natively. Byte for byte the same, except a lone surrogate
//     (invalid UTF-16), which becomes U+FFFD instead of an invalid 3-byte sequence: the same
//     length, so every byte offset the parser reports stays where it was.
// Measured on civitai's 696 migrations, parse only: 8-15% less time (docs/benchmarks.md).
// Every replacement must match exactly: a libpg-query release that changes the glue fails the
// build here instead of silently losing the patch (tests then run against the new glue).
import { readFileSync } from 'node:fs';

const REPLACEMENTS = [
  [
    'var findStringEnd=(heapOrArray,idx,maxBytesToRead,ignoreNul)=>{var maxIdx=idx+maxBytesToRead;if(ignoreNul)return maxIdx;while(heapOrArray[idx]&&!(idx>=maxIdx))++idx;return idx};',
    'var findStringEnd=(heapOrArray,idx,maxBytesToRead,ignoreNul)=>{var maxIdx=idx+maxBytesToRead;if(ignoreNul)return maxIdx;var end=heapOrArray.indexOf(0,idx);if(end<0)end=heapOrArray.length;return maxIdx<end?maxIdx:end};',
  ],
  [
    'var stringToUTF8=(str,outPtr,maxBytesToWrite)=>stringToUTF8Array(str,HEAPU8,outPtr,maxBytesToWrite);',
    'var UTF8Encoder=new TextEncoder;var stringToUTF8=(str,outPtr,maxBytesToWrite)=>{if(!(maxBytesToWrite>0))return 0;var r=UTF8Encoder.encodeInto(str,HEAPU8.subarray(outPtr,outPtr+maxBytesToWrite-1));HEAPU8[outPtr+r.written]=0;return r.written};',
  ],
  ['var lengthBytesUTF8=str=>{', 'var lengthBytesUTF8=str=>Buffer.byteLength(str,"utf8");var lengthBytesUTF8ByHand=str=>{'],
];

export const libpgQueryGlue = {
  name: 'libpg-query-glue',
  setup(b) {
    b.onLoad({ filter: /[\\/]libpg-query[\\/]wasm[\\/]libpg-query\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of REPLACEMENTS) {
        if (text.split(from).length !== 2) return { errors: [{ text: `libpg-query-glue: expected exactly one \`${from.slice(0, 60)}…\` in ${args.path}; the glue changed, update scripts/libpg-query-glue.mjs` }] };
        text = text.replace(from, () => to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};
