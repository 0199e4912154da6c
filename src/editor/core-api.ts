/**
 * The one door from the editor front ends (the VS Code extension, the language server) into the core. Everything behind it (the SQL parser and its
 * WASM, the catalog, the rules) is loaded on first need through `loadCore()`, never at activation.
 */
export { analyzeProject, type ProjectAnalysis } from '../core/analysis/analyze-project';
export { transactionsOf, type MigrationAnalysis } from '../core/analysis/analyze-migration';
export { HistoryAnalyzer } from '../core/analysis/history';
export { changesSinceRef, defaultBranchMergeBase, resolveRef } from '../core/git/base-ref';
export { parsePrismaSchema, type PrismaRelation, type PrismaSchemaModel } from '../core/prisma/schema';
export { sqlReferentialAction } from '../core/prisma/referential-actions';
export { discoverProject, type MigrationFolder, type PrismaProject } from '../core/project/discover';
export { loadConfig, mergeConfig, type PreflightConfig } from '../core/project/config';
export { RULES } from '../core/rules/index';
export { DEFAULT_LOCK_TIME_SEVERITY, withTableSizes } from '../core/sizes/size-aware';
export { statsOfConfig } from '../core/sizes/table-stats';
export { renderRuleDoc } from '../core/rules/docs';
export { describeLock, displayTable, lockName, whatLockBlocks } from '../core/rules/helpers';
export { notNullColumnsOf, onDeleteConsequence, onUpdateConsequence } from '../core/rules/support/referential-actions';

