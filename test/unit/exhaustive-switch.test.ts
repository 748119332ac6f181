// Every `switch` over a union of literal types in src/ and web/ ends in an exhaustiveness check
// (`const _exhaustive: never = x` in its default), so a new event, fault or mode cannot ship
// without its case (its rule, its sentence, its drawing). The scan is switches-scan.mjs.
import { describe, expect, it } from 'vitest';
import { literalUnionSwitches } from './switches-scan.mjs';

describe('exhaustive switches', () => {
  it('no switch over a union in src/ or web/ lacks its never check', () => {
    const { unchecked, checked } = literalUnionSwitches();
    // The scan does see the switches it is about (the event wording, the engine, the shell…).
    expect(checked).toBeGreaterThanOrEqual(15);
    expect(unchecked).toEqual([]);
  }, 90_000);
});
