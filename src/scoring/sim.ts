// The one door from grading into the engine: every src/sim function scoring uses is imported here,
// so a refactor of src/sim changes this file only.
export { createCluster, step } from '../sim/engine';
export { checkObjective, matches } from '../sim/objectives';
export { lowestNodeidName, partitionQuorum, qdeviceVoteCount, twoNodeInForce } from '../sim/quorum';
export { buildClusterConfig, CONCEPTS, getScenario } from '../sim/scenarios';
export type {
  ClusterState,
  Fault,
  I18nText,
  NodeName,
  Objective,
  Scenario,
  SimEvent,
  TimingProfileName,
  VoteMode,
} from '../sim/types';
