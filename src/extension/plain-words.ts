/** Plain-text wording lives in the editor layer (src/editor/plain-words.ts), shared with the language server. */
export { findingCounts, plainText, plural } from '../editor/plain-words';
