// The public face of the simulator: what rooms/, reports/, scoring/ and the tests import.
export { createCluster, reduce, step } from './engine.js';
export { timingFor } from './timing.js';
export { crmMaster, haService, linkKey, nodeConfig, nodeid, partitionKey, partitionOf, serviceId, type Ctx } from './kernel.js';
export { configuredVotes, partitionInfo, type PartitionInfo } from './rules/votequorum.js';
export { qdeviceVotes } from './rules/qdevice.js';
export { cfsCommit, CFS_LOG_LIMIT } from './rules/pmxcfs.js';
export { applyFault, applyWorldFault, linkDeaf, type WorldFault } from './rules/faults.js';
export { lrmActive } from './rules/ha.js';
export { SKEW_DANGER_MS } from './rules/clock.js';
export { runCommand } from './shell/index.js';
export { QNETD_HOST } from './shell/qnetd.js';
export { openPrompts, promptsFor, seesEvent, type VotePrompt } from './seat-events.js';
export {
  diagnosisNodeView,
  nodeView,
  qdeviceSeatView,
  seatView,
  teacherSnapshot,
  upcomingFaults,
  viewKey,
  type DiagnosisNodeView,
  type NodeView,
  type QdeviceSeatView,
  type Seat,
  type SeatOptions,
  type TeacherSnapshot,
} from './view.js';
export {
  HA_FATES,
  QUESTION_IDS,
  isRight,
  questionsFor,
  questionsForAll,
  runForward,
  type Answer,
  type HaFate,
  type SeatQuestion,
} from './checkpoints.js';
export type * from './types.js';
