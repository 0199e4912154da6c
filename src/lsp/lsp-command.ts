/** `preflight lsp --stdio`: the language server over standard input and output. */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { UsageError } from '../cli/usage-error';
import { startServer } from './server';

const HELP = `Usage: preflight lsp --stdio

Runs Preflight's language server over standard input and output: diagnostics, hovers and quick
fixes for migration.sql and .prisma files in any editor that speaks the Language Server Protocol.
Set-up for Neovim, Helix, Zed, Emacs and JetBrains: docs/lsp.md.

Options:
  --stdio      Speak JSON-RPC on stdin/stdout (the only transport)
  -h, --help   Show this help
`;

/** Runs until the client sends exit (the server library ends the process then). */
export function lspCommand(args: string[], io: { stdout(text: string): void }): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(HELP);
    return Promise.resolve(0);
  }
  const unknown = args.filter((a) => a !== '--stdio');
  if (!args.includes('--stdio') || unknown.length) throw new UsageError(`lsp needs --stdio${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}; see preflight lsp --help`);
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  return new Promise<number>(() => {});
}
