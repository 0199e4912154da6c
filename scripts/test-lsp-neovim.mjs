// A real LSP client: Debian's Neovim, headless, starts `node dist/cli.js lsp --stdio` from a
// minimal init.lua, opens a migration of examples/shop, and writes vim.diagnostic.get() and a
// hover to a file that this script checks. Usage: npm run test:lsp (builds first).
// Skips with one line when nvim is not installed (.ci/run installs Debian's neovim).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'examples/shop/prisma/migrations/20250527160833_tenant_indexes_and_cash_drawer_set_null/migration.sql');

if (spawnSync('nvim', ['--version']).error) {
  // CI sets PREFLIGHT_REQUIRE_NVIM=1: there a skip is a failure, not a pass.
  console.log(`test:lsp ${process.env.PREFLIGHT_REQUIRE_NVIM === '1' ? 'FAILED' : 'skipped'}: nvim is not installed (apt-get install -y neovim)`);
  process.exit(process.env.PREFLIGHT_REQUIRE_NVIM === '1' ? 1 : 0);
}

const dir = mkdtempSync(join(tmpdir(), 'preflight-nvim-'));
const out = join(dir, 'result.json');
const lua = (s) => JSON.stringify(s); // a JSON string is a valid Lua string literal here (no control characters)
// Neovim 0.7 (Debian bookworm) has vim.lsp.start_client, not vim.lsp.start; both work on newer ones.
writeFileSync(
  join(dir, 'init.lua'),
  `
vim.opt.swapfile = false
local root = ${lua(join(root, 'examples/shop'))}
local client_id = vim.lsp.start_client({
  name = 'preflight',
  cmd = { ${lua(process.execPath)}, ${lua(join(root, 'dist/cli.js'))}, 'lsp', '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'shop' } },
  settings = { preflight = { problems = { scope = 'branch' } } },
})
vim.api.nvim_create_autocmd('BufEnter', {
  pattern = 'migration.sql',
  callback = function(args)
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})
vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
    local result = { ok = ok, diagnostics = {} }
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = d.code, source = d.source, message = d.message })
    end
    local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 29, character = 4 } }, 10000)
    for _, r in pairs(hover or {}) do
      if r.result then result.hover = r.result.contents.value end
    end
    local f = io.open(${lua(out)}, 'w')
    f:write(vim.fn.json_encode(result))
    f:close()
    vim.lsp.stop_client(client_id)
    vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
    vim.cmd('qa!')
  end,
})
`,
);

const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', join(dir, 'init.lua'), file], { encoding: 'utf8', timeout: 60000, env: { ...process.env, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir } });
let result;
try {
  result = JSON.parse(readFileSync(out, 'utf8'));
} catch {
  console.error(`nvim wrote no result (exit ${run.status}${run.error ? `, ${run.error.message}` : ''})\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const failures = [];
const index = result.diagnostics.find((d) => d.code === 'non-concurrent-index' && d.lnum === 29);
if (!result.ok) failures.push('no diagnostics within 20 s');
if (!index) failures.push(`no non-concurrent-index diagnostic on line 30; got ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.lnum + 1]))}`);
else if (index.source !== 'preflight' || index.severity !== vim('WARN')) failures.push(`unexpected source/severity: ${JSON.stringify(index)}`);
if (!/\*\*SHARE\*\* on `"Appointment"`/.test(result.hover ?? '')) failures.push(`hover does not name the SHARE lock: ${JSON.stringify(result.hover)}`);

function vim(severity) {
  return { ERROR: 1, WARN: 2, INFO: 3, HINT: 4 }[severity];
}

if (failures.length) {
  console.error(`Neovim LSP test failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`Neovim (${spawnSync('nvim', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}) got ${result.diagnostics.length} Preflight diagnostics on ${file.slice(root.length + 1)} (${[...new Set(result.diagnostics.map((d) => d.code))].join(', ')}) and a hover naming the lock.`);
