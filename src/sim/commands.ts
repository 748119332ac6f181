import type { Ctx } from './engine.js';
import type { CommandResult, NodeName } from './types.js';
export function runCommand(_c: Ctx, _node: NodeName, line: string): CommandResult {
  return { output: `-bash: ${line}: command not found`, exitCode: 127 };
}
