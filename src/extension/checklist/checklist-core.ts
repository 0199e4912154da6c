/**
 * The checklist's door into the core. Generating a checklist replays the migration history with
 * the WASM parser, so `ChecklistService` imports this module dynamically, on first need, as the
 * analyzer does with `../core-api`. Light helpers (reading and writing the file, merging state)
 * are imported directly where they are used.
 */
export { checklistForMigration, renderDownSql, type MigrationChecklist } from '../../core/checklist/index';
export { HistoryAnalyzer } from '../../core/analysis/history';
