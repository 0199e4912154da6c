// Drives VS Code's workbench (code-server in Chromium) the way a person does: the command
// palette, Quick Open, the Problems panel, hovers and the quick-fix menu. Only the DOM the user
// sees is read.

const QUICK_INPUT = '.quick-input-widget';

export async function waitFor(fn, { timeout = 30_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function openWorkbench(page, url, folder) {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
  await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 }).catch(() => {});
  // Close whatever the workbench opened on its own (welcome page, chat), then focus the editor area.
  await page.waitForTimeout(1500);
  await page.keyboard.press('Escape');
}

/** Runs a palette command by its title (as shown, e.g. "Preflight: Re-analyse Workspace"). */
export async function runCommand(page, title) {
  await openQuickInput(page, `>${title}`);
  await waitFor(async () => (await page.$$eval(`${QUICK_INPUT} .monaco-list-row`, (rows, t) => rows.some((r) => r.textContent.includes(t)), title)), { what: `command "${title}" in the palette` });
  await page.keyboard.press('Enter');
}

async function openQuickInput(page, value) {
  const visible = () => page.waitForSelector(`${QUICK_INPUT} input`, { timeout: 4000, state: 'visible' }).then(() => true, () => false);
  await page.keyboard.press('F1');
  if (!(await visible())) {
    // A webview or another widget kept F1 to itself: open the palette from the title bar's search box.
    await page.keyboard.press('Escape').catch(() => {});
    await page.locator('.command-center-center, .command-center .search-box').first().click();
    await visible();
  }
  await page.fill(`${QUICK_INPUT} input`, value);
}

/** Discards the unsaved changes of the active editor. */
export async function revertActiveFile(page) {
  await runCommand(page, 'File: Revert File');
  await page.waitForTimeout(300);
}

/** Opens a workspace file by its relative path through Quick Open. */
export async function openFile(page, relPath) {
  await openQuickInput(page, relPath);
  const name = relPath.split('/').pop();
  await waitFor(async () => (await page.$$eval(`${QUICK_INPUT} .monaco-list-row`, (rows, p) => rows.some((r) => (r.getAttribute('aria-label') ?? '').includes(p) || r.textContent.includes(p)), relPath.split('/').slice(-2, -1)[0] ?? name)), { what: `${relPath} in Quick Open` });
  await page.keyboard.press('Enter');
  await waitFor(async () => (await page.$$eval('.tabs-container .tab.active', (tabs) => tabs.map((t) => t.getAttribute('aria-label') ?? t.textContent).join(' '))).includes(name), { what: `editor tab ${name}` });
  await page.waitForTimeout(300);
}

export async function goToLine(page, line, column = 1) {
  await openQuickInput(page, `:${line}:${column}`);
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
}

/** The text of the active editor's visible lines. */
export async function editorText(page) {
  const selector = '.editor-group-container.active .monaco-editor .view-lines';
  await page.waitForSelector(selector, { timeout: 10_000 });
  return page.$eval(selector, (el) => el.innerText.replace(/\u00a0/g, ' '));
}

/** Shows the hover at the cursor and returns its text once every provider has answered. */
export async function showHover(page, { until } = {}) {
  await runCommand(page, 'Show or Focus Hover');
  let previous = null;
  return waitFor(async () => {
    const texts = await page.$$eval('.monaco-hover', (els) => els.filter((e) => e.offsetParent !== null && !e.classList.contains('hidden')).map((e) => e.innerText));
    const text = texts.join('\n').trim();
    const settled = text && text === previous && !/Loading\.\.\.|Checking for quick fixes/.test(text);
    previous = text;
    if (until) return until.test(text) ? text : null;
    return settled ? text : null;
  }, { what: until ? `a hover matching ${until}` : 'a hover', interval: 400, timeout: 15_000 });
}

/** Opens the quick-fix menu at the cursor and picks the action whose title starts with `title`. */
export async function applyQuickFix(page, title, screenshot) {
  await runCommand(page, 'Quick Fix...');
  const items = await waitFor(async () => {
    const list = await page.$$eval('.action-widget .monaco-list-row', (rows) => rows.map((r) => r.textContent.trim()));
    return list.length ? list : null;
  }, { what: 'the quick-fix menu' });
  const index = items.findIndex((t) => t.startsWith(title));
  if (index < 0) throw new Error(`no quick fix "${title}" in: ${items.join(' | ')}`);
  if (screenshot) await screenshot('quick-fix-menu');
  await page.locator('.action-widget .monaco-list-row').nth(index).click();
  return items;
}

export async function openProblems(page) {
  if (!(await page.$('.markers-panel'))) await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  await page.waitForSelector('.markers-panel', { timeout: 15_000 });
}

/**
 * Every row of the Problems panel, scrolling the (virtualised) tree: our markers as
 * { folder, file, rule, line, column, severity, message }.
 */
export async function readProblems(page) {
  await openProblems(page);
  const list = page.locator('.markers-panel .monaco-list').first();
  const box = await list.boundingBox();
  const rows = new Map();
  const collect = async () => {
    const found = await page.$$eval('.markers-panel .monaco-list-row', (els) =>
      els.map((r) => {
        const text = (sel) => r.querySelector(sel)?.textContent?.trim() ?? '';
        return { index: Number(r.getAttribute('data-index')), label: r.getAttribute('aria-label') ?? '', source: text('.marker-source'), code: text('.marker-code'), line: text('.marker-line'), message: text('.marker-message') };
      }),
    );
    let added = 0;
    for (const r of found) if (!rows.has(r.index)) (rows.set(r.index, r), added++);
    return added;
  };
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -2000);
    await page.waitForTimeout(100);
  }
  await collect();
  let idle = 0;
  while (box && idle < 3) {
    await page.mouse.wheel(0, Math.max(100, box.height * 0.6));
    await page.waitForTimeout(120);
    idle = (await collect()) ? 0 : idle + 1;
  }
  if (box) await page.mouse.move(5, 5); // no hover left over the panel
  const out = [];
  let folder = '';
  let file = '';
  for (const r of [...rows.values()].sort((a, b) => a.index - b.index)) {
    const res = /problems? in file (.+?) of folder (.+)$/.exec(r.label);
    if (res) {
      file = res[1];
      folder = res[2];
      continue;
    }
    const at = /\[Ln (\d+), Col (\d+)\]/.exec(r.line);
    if (r.source !== 'preflight' || !r.code || !at) continue;
    out.push({ folder, file, rule: r.code, line: Number(at[1]), column: Number(at[2]), severity: r.label.split(':')[0], message: r.message });
  }
  return out;
}

/** The Preflight item of the status bar, as text. */
export async function statusBarText(page) {
  return page.$$eval('.statusbar-item', (items) => items.map((i) => i.innerText || i.getAttribute('aria-label') || '').find((t) => t.includes('Preflight')) ?? null);
}

/** The cursor's 1-based line, as the status bar shows it ("Ln 3, Col 23"). */
export async function cursorLine(page) {
  const text = await page.$$eval('.statusbar-item', (items) => items.map((i) => i.innerText).find((t) => /Ln \d+, Col \d+/.test(t)) ?? '');
  const m = /Ln (\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Puts the keyboard focus in the active editor, cursor at the end of the file. */
export async function focusEditorEnd(page) {
  await page.click('.editor-group-container.active .monaco-editor .view-lines');
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(150);
}

/** Types into the Problems panel's filter box (empty string: clears it). */
export async function setProblemsFilter(page, text) {
  await openProblems(page);
  const box = page.locator('input[aria-label="Filter Problems"]').first();
  await box.fill(text);
  await page.waitForTimeout(500);
}

/** The frame of a webview whose document holds `selector` (found anew each time: a hidden panel's frame goes away). */
export async function webviewFrame(page, selector, what) {
  return waitFor(
    async () => {
      for (const f of page.frames()) {
        if (await f.evaluate((s) => !!document.querySelector(s), selector).catch(() => false)) return f;
      }
      return null;
    },
    { what, timeout: 30_000 },
  );
}

/**
 * In one of the extension's quick picks (its placeholder tells which): type `filter` and take the
 * first match. Waits for that pick itself, not just any quick input: right after a palette command
 * the palette's own list can still be on screen, and typing into it fails.
 */
export async function pickInQuickPick(page, placeholder, filter) {
  const input = `${QUICK_INPUT} input[placeholder="${placeholder}"]`;
  await page.waitForSelector(input, { state: 'visible', timeout: 30_000 });
  await page.fill(input, filter);
  await waitFor(async () => (await page.$$eval(`${QUICK_INPUT} .monaco-list-row`, (rows, f) => rows.length > 0 && rows[0].textContent.includes(f), filter)), { what: `"${filter}" first in the quick pick "${placeholder}"` });
  await page.keyboard.press('Enter');
}

/** The migration quick pick of Review Migration… and Dry-run Migration. */
export function pickMigration(page, filter) {
  return pickInQuickPick(page, 'Migration folder (newest first)', filter);
}
