/** A project's state between analyses lives in the editor layer (src/editor/project-session.ts), shared with the language server. */
export { ProjectSession, isInside, sessionKey, type BranchChanges } from '../editor/project-session';
