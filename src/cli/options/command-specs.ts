/** The option table of each subcommand (trace keeps its own, and its help, in trace-command.ts). */
import type { CommandSpec, OptionSpec } from './option-table';
import { LIVE_EPILOG, LIVE_OPTIONS } from '../live/live-options';
import { SIZE_OPTIONS, STATS_FILE_OPTION } from '../live/size-options';

export const FORMATS = ['pretty', 'json', 'sarif', 'github', 'markdown', 'gitlab'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const CONFIG: OptionSpec = { name: 'config', type: 'string', value: '<file>', description: 'Use this preflight.config.json instead of searching for one' };
const PRISMA_VERSION: OptionSpec = { name: 'prisma-version', type: 'string', value: '<v>', description: 'Assume this Prisma version (decides how migration.sql files run)' };

/** What `check` and `comment` share: which migrations and rules, and when the run fails. */
const REVIEW_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'since',
    type: 'string',
    value: '<git-ref>',
    description: 'Only migrations added or changed since the ref; flags edited migrations and onDelete changes in schema.prisma (default: "baseRef" of preflight.config.json, else every migration)',
  },
  CONFIG,
  PRISMA_VERSION,
  { name: 'select', type: 'string', value: '<ids>', description: 'Report only these rules (comma-separated rule ids)' },
  { name: 'ignore', type: 'string', value: '<ids>', description: 'Never report these rules (comma-separated rule ids)' },
  { name: 'fail-on', type: 'string', value: '<level>', choices: FAIL_ON, description: 'Exit 1 when a finding is at least this severe; never: only usage errors fail (default: error)' },
  { name: 'exit-zero', type: 'boolean', description: 'Exit 0 even when findings reach --fail-on (usage errors still exit 2)' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'No notes on stderr and no summary line: the findings only' },
  { name: 'no-cache', type: 'boolean', description: 'Neither read nor write the cache (an unchanged history prefix is otherwise restored, not replayed)' },
  { name: 'cache-dir', type: 'string', value: '<dir>', description: 'Cache folder (default: node_modules/.cache/preflight next to the project, else $XDG_CACHE_HOME/preflight or ~/.cache/preflight)' },
  ...SIZE_OPTIONS,
];

const REVIEW_EXIT_CODES = `Exit codes:
  0  no finding reaches --fail-on (or --exit-zero)
  1  at least one finding reaches --fail-on (default: a finding of severity error)
  2  usage error (bad option, unknown rule id, invalid preflight.config.json, no project) or internal error`;

export const CHECK_SPEC: CommandSpec = {
  name: 'check',
  usage: '[path...] [options]',
  summary: 'Review the Prisma migrations of the project(s) at path (default: .)',
  description: `Reviews the Prisma migrations at each path. A path is a project, a directory holding several
projects (each is found, skipping node_modules, hidden and git-ignored folders), a migrations
folder, one migration folder or migration.sql, or a schema file. Files of one project are
reviewed together, once: the migrations named, plus the project's schema findings.`,
  options: [
    { name: 'format', type: 'string', value: '<f>', choices: FORMATS, description: 'Output format (default: pretty)' },
    { name: 'output-file', short: 'o', type: 'string', value: '<path>', description: 'Write the report to this file instead of stdout' },
    ...REVIEW_OPTIONS,
    { name: 'no-color', type: 'boolean', description: 'No colours in pretty output (also: NO_COLOR=1)' },
  ],
  epilog: REVIEW_EXIT_CODES,
};

export const COMMENT_SPEC: CommandSpec = {
  name: 'comment',
  usage: '[path...] [options]',
  summary: 'Post or update the review as one sticky pull-request comment on GitHub',
  description: `Reviews like \`preflight check\` and posts the Markdown report (--format markdown) as one comment
on the pull request. Later runs find that comment by its hidden marker and update it; a clean
review updates an existing comment to say so and posts nothing new.

Reads GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_EVENT_PATH (the pull request's number)
and GITHUB_API_URL (default https://api.github.com; set by GitHub Enterprise runners).`,
  options: REVIEW_OPTIONS,
  epilog: `${REVIEW_EXIT_CODES}; 2 also when the comment cannot be posted (no token, not a pull request, an HTTP error)`,
};

export const EXPLAIN_SPEC: CommandSpec = {
  name: 'explain',
  usage: '<rule-id>',
  summary: "Show a rule's documentation",
  description: 'Prints the documentation of one rule: what it flags, why, an example, what to do instead.',
  options: [],
};

export const RULES_SPEC: CommandSpec = {
  name: 'rules',
  usage: '',
  summary: 'List every rule',
  description: 'Lists every rule: id, default severity, summary.',
  options: [],
};

export const CHECKLIST_SPEC: CommandSpec = {
  name: 'checklist',
  usage: '<migration-folder> [options]',
  summary: 'Write or update the deployment checklist in the migration folder',
  description: `Writes preflight-checklist.md into the migration folder (a GitHub task list). Regenerating keeps
the ticks and notes of items that still apply.`,
  options: [
    { name: 'verify', type: 'boolean', description: 'Write nothing; exit 1 while any pre-deployment item is unticked' },
    { name: 'down-sql', type: 'boolean', description: 'Also write down.sql (rollback) into the migration folder' },
    CONFIG,
    PRISMA_VERSION,
    ...LIVE_OPTIONS,
    STATS_FILE_OPTION,
    { name: 'phase', type: 'string', value: '<p>', choices: ['before-deploy', 'after-deploy'], description: 'With a database: run the pre-deployment checks, or after deploying the verification queries (default: before-deploy)' },
    { name: 'format', type: 'string', value: '<f>', choices: ['pretty', 'json'], description: 'json prints the checklist model with each check result (default: pretty)' },
  ],
  epilog: `With --database-url (or PREFLIGHT_DATABASE_URL) the check queries run read-only against the database: each
result is written under its item, passing checks are ticked (as ticked by Preflight; a later failing
run undoes only those ticks), and the row counts and sizes of the locked tables go into the migration
record. Exit 1 when a check fails or times out.
${LIVE_EPILOG}`,
};

export const TRACE_SUMMARY = { name: 'trace', summary: 'Dry-run a migration in an embedded PostgreSQL, or a temporary database on a server' } as const;
