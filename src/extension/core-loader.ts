/** The core is loaded on first need by the editor layer (src/editor/core-loader.ts). */
export { loadCore, type Core } from '../editor/core-loader';
