/** The door into the core is the editor layer's (src/editor/core-api.ts); the extension's modules import it from here. */
export * from '../editor/core-api';
