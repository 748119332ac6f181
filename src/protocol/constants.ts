// The constants the server and the browser share, in one import for the pages: each is defined
// once where its rule lives (these files have no imports, so the browser may bundle them).
export { CLEAR_SCREEN, SKEW_DANGER_MS } from '../sim/constants.js';
export { DEFAULT_WEIGHTS, PARTS, type Part, type Weights } from '../scoring/rubric.js';
