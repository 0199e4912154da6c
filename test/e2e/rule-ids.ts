// Prints the id of every rule in the registry, as JSON (for scripts/e2e-run.mjs).
import { RULES } from '../../src/core/rules/index';

process.stdout.write(JSON.stringify(RULES.map((r) => r.meta.id)));
